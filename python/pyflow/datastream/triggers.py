"""Window triggers, as PyFlink's (exported from ``pyflow.datastream.window``). Each names one of the
engine's own triggers; the engine runs it, so no Python runs per record to decide a firing. A
``Trigger`` subclass with Python callbacks is not supported yet: ``WindowedStream.trigger`` refuses it
with a clear error.

>>> PurgingTrigger.of(CountTrigger.of(3))._to_plan()
{'kind': 'purging', 'inner': {'kind': 'count', 'count': 3}}
"""
from enum import Enum
from typing import Generic

from pyflow.common.time import Duration, check_millis
from pyflow.datastream._type_vars import T, W

__all__ = ["Trigger", "EventTimeTrigger", "ProcessingTimeTrigger", "CountTrigger", "PurgingTrigger",
           "ContinuousEventTimeTrigger", "ContinuousProcessingTimeTrigger", "TriggerResult"]


class TriggerResult(Enum):
    """What a trigger decides (PyFlink's ``TriggerResult``): the engine's triggers return these.

    >>> TriggerResult.FIRE_AND_PURGE.is_fire(), TriggerResult.FIRE_AND_PURGE.is_purge()
    (True, True)
    """

    CONTINUE = (False, False)
    FIRE_AND_PURGE = (True, True)
    FIRE = (True, False)
    PURGE = (False, True)

    def is_fire(self) -> bool:
        """Whether the window's function runs."""
        return self.value[0]

    def is_purge(self) -> bool:
        """Whether the window's contents are cleared."""
        return self.value[1]


class Trigger(Generic[T, W]):
    """Decides when a window fires (and purges). Use the built-in triggers below; PyFlow does not run
    Python trigger callbacks (``on_element``, ``on_event_time``, ...) yet."""

    def _to_plan(self) -> dict:
        raise NotImplementedError(
            f"custom Python triggers ({type(self).__qualname__}) are not supported yet (planned); use "
            "EventTimeTrigger, ProcessingTimeTrigger, CountTrigger, ContinuousEventTimeTrigger or PurgingTrigger "
            "from pyflow.datastream.window, which the engine runs")

    def __repr__(self):
        try:
            return f"{type(self).__name__}({self._to_plan()})"
        except NotImplementedError:
            return f"{type(self).__name__}()"


class _Builtin(Trigger[T, W]):
    def __init__(self, spec: dict):
        self._spec = spec

    def _to_plan(self) -> dict:
        return {k: (v._to_plan() if isinstance(v, Trigger) else v) for k, v in self._spec.items()}


class EventTimeTrigger(_Builtin[T, "TimeWindow"]):
    """Fires when the watermark passes the window's end (the default of event-time windows)."""

    @staticmethod
    def create() -> "EventTimeTrigger":
        """Fires when the watermark passes the window's end (the event-time windows' default)."""
        return EventTimeTrigger({"kind": "event_time"})


class ProcessingTimeTrigger(_Builtin[T, "TimeWindow"]):
    """Fires when processing time reaches the window's end (the default of processing-time windows)."""

    @staticmethod
    def create() -> "ProcessingTimeTrigger":
        """Fires when the processing-time clock passes the window's end."""
        return ProcessingTimeTrigger({"kind": "processing_time"})


class CountTrigger(_Builtin[T, "CountWindow"]):
    """Fires each time a window has gathered ``window_size`` more records (keeps them: wrap it in
    ``PurgingTrigger`` to start each firing afresh)."""

    @staticmethod
    def of(window_size: int) -> "CountTrigger":
        """Fires each time the window holds another ``window_size`` records."""
        if not isinstance(window_size, int) or isinstance(window_size, bool) or window_size < 1:
            raise ValueError(f"CountTrigger.of() needs a count >= 1, got {window_size!r}")
        return CountTrigger({"kind": "count", "count": window_size})


class PurgingTrigger(_Builtin[T, "Window"]):
    """Like ``nested_trigger``, but every firing also purges the window's contents."""

    @staticmethod
    def of(nested_trigger: Trigger) -> "PurgingTrigger":
        """Fires when ``nested_trigger`` does, and purges the window's contents each time."""
        if not isinstance(nested_trigger, Trigger):
            raise TypeError(f"PurgingTrigger.of() expects a Trigger, got {nested_trigger!r}")
        nested_trigger._to_plan()  # a custom trigger is refused here, not at execution
        return PurgingTrigger({"kind": "purging", "inner": nested_trigger})


class ContinuousEventTimeTrigger(_Builtin[T, "TimeWindow"]):
    """Fires every ``interval`` of event time while the window is open, and at its end."""

    @staticmethod
    def of(interval) -> "ContinuousEventTimeTrigger":
        """Fires every ``interval`` (a Duration or ms) of event time, and at the window's end."""
        ms = interval.to_milliseconds() if isinstance(interval, Duration) else interval
        if not isinstance(ms, int) or isinstance(ms, bool) or ms <= 0:
            raise ValueError(f"ContinuousEventTimeTrigger.of() needs a positive Time/Duration, got {interval!r}")
        check_millis(ms, "ContinuousEventTimeTrigger.of(interval)", least=1)
        return ContinuousEventTimeTrigger({"kind": "continuous_event_time", "interval_ms": ms})


class ContinuousProcessingTimeTrigger(Trigger[T, "TimeWindow"]):
    """Not available yet: the engine has no continuous processing-time trigger."""

    @staticmethod
    def of(interval) -> "ContinuousProcessingTimeTrigger":
        """Not supported yet: raises NotImplementedError (use ContinuousEventTimeTrigger)."""
        raise NotImplementedError("ContinuousProcessingTimeTrigger is not supported yet (planned); "
                                  "ContinuousEventTimeTrigger is")
