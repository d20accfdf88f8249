"""Windows and window assigners, as ``pyflink.datastream.window``. Windows follow Flink: starts
aligned to the epoch plus an offset, end exclusive, results at ``end - 1``, sessions merging when
they touch (see shared FLINK_SEMANTICS). The assigner runs in the engine; the window function
(reduce, aggregate, process) runs in a Python worker, all windows that fire together in one call.

>>> from pyflow.common import Time
>>> TumblingEventTimeWindows.of(Time.seconds(5))._to_plan()["size_ms"]
5000
"""
from typing import Generic, Iterable

from pyflow.common.time import MAX_MILLIS, Duration, check_millis
from pyflow.datastream._type_vars import W2, T, W
from pyflow.datastream.triggers import (ContinuousEventTimeTrigger, ContinuousProcessingTimeTrigger, CountTrigger,
                                        EventTimeTrigger, ProcessingTimeTrigger, PurgingTrigger, Trigger,
                                        TriggerResult)

__all__ = ["Window", "CountWindow", "MergingWindowAssigner", "CountTumblingWindowAssigner", "TimeWindow", "GlobalWindow", "TumblingEventTimeWindows", "TumblingProcessingTimeWindows",
           "SlidingEventTimeWindows", "SlidingProcessingTimeWindows", "EventTimeSessionWindows",
           "ProcessingTimeSessionWindows", "GlobalWindows", "WindowAssigner", "Trigger", "TriggerResult",
           "EventTimeTrigger", "ProcessingTimeTrigger", "CountTrigger", "PurgingTrigger",
           "ContinuousEventTimeTrigger", "ContinuousProcessingTimeTrigger"]


class Window:
    """A window a function sees (``context.window()``): ``TimeWindow``, ``GlobalWindow`` or ``CountWindow``."""

    def max_timestamp(self) -> int:
        """The largest timestamp that belongs to the window."""
        raise NotImplementedError(f"{type(self).__name__} does not define max_timestamp()")


class TimeWindow(Window):
    """``[start, end)``; results carry ``max_timestamp() == end - 1``."""

    def __init__(self, start: int, end: int):
        self.start = start
        self.end = end

    def max_timestamp(self) -> int:
        """The largest timestamp in the window: ``end - 1``."""
        return self.end - 1

    def __eq__(self, other):
        return isinstance(other, TimeWindow) and (self.start, self.end) == (other.start, other.end)

    def __hash__(self):
        return hash((self.start, self.end))

    def __repr__(self):
        return f"TimeWindow(start={self.start}, end={self.end})"


class GlobalWindow(Window):
    """The one window of count windows."""

    def max_timestamp(self) -> int:
        """The largest possible timestamp: the global window never ends by time."""
        return 2 ** 63 - 1

    def __eq__(self, other):
        return isinstance(other, GlobalWindow)

    def __hash__(self):
        return 0

    def __repr__(self):
        return "GlobalWindow"


class CountWindow(Window):
    """PyFlink's window of count windows, numbered by ``id``. PyFlow's count windows are global windows fired
    by a count trigger, so functions see a ``GlobalWindow``; this class exists for PyFlink code naming it."""

    def __init__(self, id: int):
        self.id = id

    def max_timestamp(self) -> int:
        """The largest possible timestamp: a count window never ends by time."""
        return 2 ** 63 - 1

    def __eq__(self, other):
        return isinstance(other, CountWindow) and other.id == self.id

    def __hash__(self):
        return hash(self.id)

    def __repr__(self):
        return f"CountWindow(id={self.id})"


class WindowAssigner(Generic[T, W]):
    """Puts each record into windows; built by the classes below. The engine runs the assigner: a Python
    subclass with its own ``assign_windows`` is not supported (``window()`` takes the built-in ones)."""

    def __init__(self, spec: dict):
        self._spec = spec

    def _to_plan(self) -> dict:
        return dict(self._spec)

    def __repr__(self):
        return f"{type(self).__name__}({self._spec})"


class MergingWindowAssigner(WindowAssigner[T, W]):
    """An assigner whose windows merge (the session windows)."""

    class MergeCallback(Generic[W2]):
        """Says which windows merge into which (PyFlink's ``MergingWindowAssigner.MergeCallback``)."""

        def merge(self, to_be_merged: Iterable, merge_result) -> None:
            """Merges ``to_be_merged`` into ``merge_result``; the engine merges sessions itself."""
            raise NotImplementedError("session windows merge in the engine; Python merge callbacks are not "
                                      "supported (use EventTimeSessionWindows or ProcessingTimeSessionWindows)")


def _ms(value, what: str, least: int = -MAX_MILLIS) -> int:
    if isinstance(value, Duration):
        ms = value.to_milliseconds()
    elif isinstance(value, int) and not isinstance(value, bool):
        ms = value
    else:
        raise TypeError(f"{what} must be a Time/Duration or milliseconds, got {value!r}")
    return check_millis(ms, what, least)


def _positive(value, what: str) -> int:
    return _ms(value, what, least=1)


class TumblingEventTimeWindows(WindowAssigner[T, TimeWindow]):
    """Back-to-back windows of one size, by event time."""
    @staticmethod
    def of(size, offset=None) -> "TumblingEventTimeWindows":
        """Windows of ``size`` (a Time or ms), shifted by ``offset``."""
        api = "TumblingEventTimeWindows.of"
        return TumblingEventTimeWindows({"assigner": "tumbling", "event_time": True,
                                         "size_ms": _positive(size, f"{api}(size)"),
                                         "offset_ms": 0 if offset is None else _ms(offset, f"{api}(offset)")})


class TumblingProcessingTimeWindows(WindowAssigner[T, TimeWindow]):
    """Back-to-back windows of one size, by processing time."""
    @staticmethod
    def of(size, offset=None) -> "TumblingProcessingTimeWindows":
        """Windows of ``size`` (a Time or ms), shifted by ``offset``."""
        api = "TumblingProcessingTimeWindows.of"
        return TumblingProcessingTimeWindows({"assigner": "tumbling", "event_time": False,
                                              "size_ms": _positive(size, f"{api}(size)"),
                                              "offset_ms": 0 if offset is None else _ms(offset, f"{api}(offset)")})


class SlidingEventTimeWindows(WindowAssigner[T, TimeWindow]):
    """Overlapping windows of one size, one starting every ``slide``, by event time."""
    @staticmethod
    def of(size, slide, offset=None) -> "SlidingEventTimeWindows":
        """Windows of ``size`` starting every ``slide`` (Times or ms), shifted by ``offset``."""
        api = "SlidingEventTimeWindows.of"
        return SlidingEventTimeWindows({"assigner": "sliding", "event_time": True,
                                        "size_ms": _positive(size, f"{api}(size)"),
                                        "slide_ms": _positive(slide, f"{api}(slide)"),
                                        "offset_ms": 0 if offset is None else _ms(offset, f"{api}(offset)")})


class SlidingProcessingTimeWindows(WindowAssigner[T, TimeWindow]):
    """Overlapping windows of one size, one starting every ``slide``, by processing time."""
    @staticmethod
    def of(size, slide, offset=None) -> "SlidingProcessingTimeWindows":
        """Windows of ``size`` starting every ``slide`` (Times or ms), shifted by ``offset``."""
        return SlidingProcessingTimeWindows({"assigner": "sliding", "event_time": False,
                                             "size_ms": _positive(size, "SlidingProcessingTimeWindows.of(size)"),
                                             "slide_ms": _positive(slide, "SlidingProcessingTimeWindows.of(slide)"),
                                             "offset_ms": 0 if offset is None else
                                             _ms(offset, "SlidingProcessingTimeWindows.of(offset)")})


class EventTimeSessionWindows(MergingWindowAssigner[T, TimeWindow]):
    """Per-key sessions by event time: a window closes after a gap without records."""
    @staticmethod
    def with_gap(size) -> "EventTimeSessionWindows":
        """Sessions that close after ``size`` (a Time or ms) without records."""
        return EventTimeSessionWindows({"assigner": "session", "event_time": True,
                                        "gap_ms": _positive(size, "EventTimeSessionWindows.with_gap(size)")})


class ProcessingTimeSessionWindows(MergingWindowAssigner[T, TimeWindow]):
    """Per-key sessions by processing time: a window closes after a gap without records."""
    @staticmethod
    def with_gap(size) -> "ProcessingTimeSessionWindows":
        """Sessions that close after ``size`` (a Time or ms) without records."""
        return ProcessingTimeSessionWindows({"assigner": "session", "event_time": False,
                                             "gap_ms": _positive(size, "ProcessingTimeSessionWindows.with_gap(size)")})


class CountTumblingWindowAssigner(WindowAssigner[T, CountWindow]):
    """Windows of ``window_size`` records per key (what ``KeyedStream.count_window(size)`` uses)."""

    @staticmethod
    def of(window_size: int) -> "CountTumblingWindowAssigner":
        """Windows of ``window_size`` records."""
        if not isinstance(window_size, int) or isinstance(window_size, bool) or window_size < 1:
            raise ValueError(f"CountTumblingWindowAssigner.of() needs a size >= 1, got {window_size!r}")
        return CountTumblingWindowAssigner({"assigner": "count", "size": window_size})


class GlobalWindows(WindowAssigner[T, GlobalWindow]):
    """One window per key holding all its records; it never fires unless given a ``trigger`` (such as
    ``CountTrigger.of(n)``)."""

    @staticmethod
    def create() -> "GlobalWindows":
        """The global window assigner; give the windowed stream a trigger."""
        return GlobalWindows({"assigner": "global"})


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
