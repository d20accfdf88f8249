"""Map, flat_map and filter on a ``KeyedStream`` with keyed state, as PyFlink runs them: the function
becomes a ``KeyedProcessFunction`` (PyFlink's ``MapKeyedProcessFunctionAdapter`` and its siblings), so
``open(runtime_context)`` may call ``get_state(...)`` and the state lives in the engine's keyed state
backend, checkpointed with the operator like any keyed process function's.

Only a ``Function`` object that defines ``open`` can reach keyed state, so only such functions take this
path; lambdas and plain callables keep the fused, stateless stage (no state travels with their batches).
"""
from pyflow.common.row import Row
from pyflow.datastream.functions import Function, KeyedProcessFunction

__all__ = ["needs_keyed_state", "KeyedAdapter", "KeyedReduce", "KeyAndValue"]

MAX_TIMESTAMP = 2 ** 63 - 1  # the final watermark of a bounded input reaches it


def needs_keyed_state(func) -> bool:
    """Whether ``func`` is a ``Function`` whose ``open`` may ask its runtime context for keyed state."""
    return isinstance(func, Function) and type(func).open is not Function.open


class KeyedAdapter(KeyedProcessFunction):
    """``func`` (a MapFunction, FlatMapFunction or FilterFunction object) as a keyed process function;
    ``kind`` is ``"map"``, ``"flat_map"`` or ``"filter"``."""

    def __init__(self, func, kind: str):
        self.func = func
        self.kind = kind
        self._call = getattr(func, kind)

    def open(self, runtime_context):
        self.func.open(runtime_context)

    def close(self):
        self.func.close()

    def process_element(self, value, ctx):
        if self.kind == "map":
            return (self._call(value),)
        if self.kind == "filter":
            return (value,) if self._call(value) else ()
        produced = self._call(value)
        if produced is None:
            raise TypeError("the flat_map function returned None; it must return an iterable or be a generator "
                            "(use yield)")
        return produced


class KeyedReduce(KeyedProcessFunction):
    """A ``ReduceFunction`` object with ``open`` as a keyed process function (PyFlink's
    ``ReduceProcessKeyedProcessFunctionAdapter``): the key's running value is a state of its own; STREAMING
    emits every update, BATCH only each key's final value, from a timer at the end of input."""

    def __init__(self, func):
        self.func = func

    def open(self, runtime_context):
        from pyflow.datastream.state import ValueStateDescriptor
        self.func.open(runtime_context)
        self._acc = runtime_context.get_state(ValueStateDescriptor("_pyflow_reduce_accumulator", None))
        self._batch = runtime_context._in_batch_execution_mode

    def close(self):
        self.func.close()

    def process_element(self, value, ctx):
        acc = self._acc.value()
        if acc is None and self._batch:
            ctx.timer_service().register_event_time_timer(MAX_TIMESTAMP)
        acc = value if acc is None else self.func.reduce(acc, value)
        self._acc.update(acc)
        return () if self._batch else (acc,)

    def on_timer(self, timestamp, ctx):
        acc = self._acc.value()
        return () if acc is None else (acc,)


class KeyAndValue:
    """``Row(f0=key, f1=value)``: what PyFlink's ``KeyedStream.execute_and_collect`` yields, since its keyed
    stream carries each record with its key."""

    def __init__(self, key_selector):
        self._get_key = getattr(key_selector, "get_key", key_selector)

    def __call__(self, value):
        return Row(f0=self._get_key(value), f1=value)
