"""``ExecutionConfig``, as ``pyflink.common.ExecutionConfig`` (``env.get_config()``): execution options that go
to the engine with the job; PyFlow has the auto-watermark interval.

>>> from pyflow.common import Configuration
>>> ExecutionConfig(Configuration()).set_auto_watermark_interval(50).get_auto_watermark_interval()
50
"""

__all__ = ["ExecutionConfig"]


class ExecutionConfig:
    """PyFlink's ``ExecutionConfig``: options that go to the engine with the job."""

    KEY = "pipeline.auto-watermark-interval"

    def __init__(self, configuration):
        self._config = configuration

    def set_auto_watermark_interval(self, interval: int) -> "ExecutionConfig":
        """How often generated watermarks are emitted, in ms (Flink's default: 200)."""
        if not isinstance(interval, int) or isinstance(interval, bool) or interval < 0:
            raise ValueError(f"set_auto_watermark_interval expects milliseconds >= 0, got {interval!r}")
        from pyflow.common.time import check_millis
        check_millis(interval, "set_auto_watermark_interval(interval)")
        self._config.set_string(self.KEY, f"{interval} ms")
        return self

    def get_auto_watermark_interval(self) -> int:
        """The auto-watermark interval in ms (200 unless set)."""
        text = self._config.get_string(self.KEY, "200 ms")
        return int(text.split()[0])
