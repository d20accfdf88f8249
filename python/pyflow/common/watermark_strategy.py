"""``WatermarkStrategy`` and ``TimestampAssigner``, as ``pyflink.common.watermark_strategy``.

Watermarks follow Flink: bounded out-of-orderness ``d`` gives ``max timestamp - d - 1``,
monotonous gives ``max timestamp - 1``; they are emitted every auto-watermark interval and never go
backwards; an idle stream (``with_idleness``) stops holding back the watermark downstream.
"""
from abc import ABC, abstractmethod

from pyflow.common.time import Duration, check_millis

__all__ = ["WatermarkStrategy", "TimestampAssigner"]


class TimestampAssigner(ABC):
    """Extracts a record's event timestamp, in epoch milliseconds."""

    @abstractmethod
    def extract_timestamp(self, value, record_timestamp: int) -> int:
        """The event timestamp of ``value``; ``record_timestamp`` is its previous one (or a very small number)."""


class WatermarkStrategy:
    """How a stream gets event timestamps and watermarks.

    >>> s = WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_seconds(5)).with_timestamp_assigner(
    ...     lambda event, ts: event[1])
    >>> s._to_plan()["out_of_orderness_ms"]
    5000
    """

    def __init__(self, out_of_orderness_ms: int, emits_watermarks: bool = True, assigner=None, idleness_ms=None):
        self._out_of_orderness_ms = out_of_orderness_ms
        self._emits = emits_watermarks
        self._assigner = assigner
        self._idleness_ms = idleness_ms

    @staticmethod
    def for_bounded_out_of_orderness(max_out_of_orderness: Duration) -> "WatermarkStrategy":
        """Watermarks trailing the largest timestamp seen by ``max_out_of_orderness`` (a Duration), minus 1 ms."""
        ms = _millis(max_out_of_orderness, "for_bounded_out_of_orderness")
        if ms < 0:
            raise ValueError(f"for_bounded_out_of_orderness(): the out-of-orderness cannot be negative, got {ms} ms")
        return WatermarkStrategy(check_millis(ms, "for_bounded_out_of_orderness(max_out_of_orderness)"))

    @staticmethod
    def for_monotonous_timestamps() -> "WatermarkStrategy":
        """Watermarks for ascending timestamps: the largest seen, minus 1 ms."""
        return WatermarkStrategy(0)

    @staticmethod
    def no_watermarks() -> "WatermarkStrategy":
        """Timestamps without watermarks (event-time windows and timers never fire)."""
        return WatermarkStrategy(0, emits_watermarks=False)

    def with_timestamp_assigner(self, timestamp_assigner) -> "WatermarkStrategy":
        """A ``TimestampAssigner`` or a callable ``(value, record_timestamp) -> int``."""
        if not isinstance(timestamp_assigner, TimestampAssigner) and not callable(timestamp_assigner):
            raise TypeError("with_timestamp_assigner() expects a TimestampAssigner or a callable "
                            f"(value, record_timestamp) -> int, got {timestamp_assigner!r}")
        return WatermarkStrategy(self._out_of_orderness_ms, self._emits, timestamp_assigner, self._idleness_ms)

    def with_idleness(self, idle_timeout: Duration) -> "WatermarkStrategy":
        """Marks the stream idle after ``idle_timeout`` (a Duration) without records, so that it does not hold
        watermarks back."""
        ms = _millis(idle_timeout, "with_idleness")
        if ms <= 0:
            raise ValueError(f"with_idleness(): the idle timeout must be positive, got {ms} ms")
        return WatermarkStrategy(self._out_of_orderness_ms, self._emits, self._assigner,
                                 check_millis(ms, "with_idleness(idle_timeout)", least=1))

    def _assigner_callable(self):
        a = self._assigner
        return a.extract_timestamp if isinstance(a, TimestampAssigner) else a

    def _to_plan(self) -> dict:
        """The node fields of an ``assign_timestamps`` plan node (the assigner is pickled by the caller)."""
        return {"out_of_orderness_ms": self._out_of_orderness_ms, "emits_watermarks": self._emits,
                "idleness_ms": -1 if self._idleness_ms is None else self._idleness_ms}


def _millis(duration, api: str) -> int:
    if not isinstance(duration, Duration):
        raise TypeError(f"{api}() expects a Duration (e.g. Duration.of_seconds(5)), got {duration!r}")
    return duration.to_milliseconds()


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
