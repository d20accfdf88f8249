"""``WindowedStream.apply``'s function as the process window function the worker runs: Flink's
``WindowFunction.apply(key, window, inputs)`` is a ``ProcessWindowFunction`` that reads only the window."""
from pyflow.datastream.functions import ProcessAllWindowFunction, ProcessWindowFunction


class Apply(ProcessWindowFunction):
    """Runs ``fn.apply(key, context.window(), elements)``."""

    def __init__(self, fn):
        self._fn = fn

    def open(self, runtime_context):
        self._fn.open(runtime_context)

    def process(self, key, context, elements):
        return self._fn.apply(key, context.window(), elements)


class AllApply(ProcessAllWindowFunction):
    """Runs ``fn.apply(context.window(), elements)`` (after ``window_all``)."""

    def __init__(self, fn):
        self._fn = fn

    def open(self, runtime_context):
        self._fn.open(runtime_context)

    def process(self, context, elements):
        return self._fn.apply(context.window(), elements)
