"""The one shape a worker runs after ``connect``: every co-function (``CoMapFunction``,
``CoFlatMapFunction``, ``CoProcessFunction``, ``KeyedCoProcessFunction``) travels wrapped in a
``CoFunction``, which has ``process_element1/2`` and ``on_timer`` and knows whether its streams are keyed.
"""
from pyflow.datastream.functions import CoFlatMapFunction, CoMapFunction, Function


class CoFunction(Function):
    """``fn`` as a co-process function. ``keyed``: both inputs come from key_by (state and timers allowed)."""

    def __init__(self, fn, keyed: bool):
        self.fn = fn
        self.keyed = keyed
        if isinstance(fn, CoMapFunction):
            self.process_element1 = _one(fn.map1)
            self.process_element2 = _one(fn.map2)
        elif isinstance(fn, CoFlatMapFunction):
            self.process_element1 = _many(fn.flat_map1, "flat_map1")
            self.process_element2 = _many(fn.flat_map2, "flat_map2")
        else:
            self.process_element1 = fn.process_element1
            self.process_element2 = fn.process_element2

    @property
    def describe(self) -> str:
        return type(self.fn).__qualname__

    def open(self, runtime_context):
        self.fn.open(runtime_context)

    def close(self):
        self.fn.close()

    def on_timer(self, timestamp, ctx):
        on_timer = getattr(self.fn, "on_timer", None)
        return None if on_timer is None else on_timer(timestamp, ctx)


def _one(method):
    def run(value, ctx):
        return (method(value),)
    return run


def _many(method, name):
    def run(value, ctx):
        produced = method(value)
        if produced is None:
            raise TypeError(f"{name}() returned None; it must return an iterable or be a generator (use yield)")
        return produced
    return run
