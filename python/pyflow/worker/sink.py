"""The ``sink`` stage: a Python ``SinkFunction`` (``DataStream.add_sink``) called per record, in order, at the
end of its chain; it outputs nothing (the host discards the empty result). ``open``/``close`` of the
function run as for any function object (runtime_context.py, lifecycle.py)."""
import time

from pyflow.datastream.functions import SinkFunction

NO_TIMESTAMP = -(2 ** 63)


class _Context(SinkFunction.Context):
    def __init__(self):
        self.ts = NO_TIMESTAMP

    def current_processing_time(self) -> int:
        return time.time_ns() // 1_000_000

    def current_watermark(self) -> int:
        raise RuntimeError("current_watermark() is not available to a Python SinkFunction yet; a ProcessFunction "
                           "before the sink can read it from its context's timer_service()")

    def timestamp(self):
        return None if self.ts == NO_TIMESTAMP else self.ts


def sink_stage(fn, name):
    """The stage function ``Rows -> Rows`` calling ``fn(value, context)`` (a bound ``SinkFunction.invoke``)."""
    from pyflow.worker.stages import USER_ERRORS, RecordError, Rows  # stages imports this module
    ctx = _Context()

    def run(rows: "Rows") -> "Rows":
        stamps = rows.ts.tolist() if rows.ts is not None else None
        valid = rows.ts_valid.tolist() if rows.ts_valid is not None else None
        i = 0
        try:
            for i, v in enumerate(rows.values):
                ctx.ts = NO_TIMESTAMP if stamps is None or (valid is not None and not valid[i]) else stamps[i]
                fn(v, ctx)
        except USER_ERRORS as e:
            raise RecordError(i, e) from e
        return Rows([], None, None)
    return run
