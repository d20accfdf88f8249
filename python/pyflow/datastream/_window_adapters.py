"""``WindowedStream.apply``'s function as the process window function the worker runs: Flink's
``WindowFunction.apply(key, window, inputs)`` is a ``ProcessWindowFunction`` that reads only the window."""
import functools

from pyflow.datastream.functions import ProcessAllWindowFunction, ProcessWindowFunction


class _Wrapping:
    """Forwards ``open`` and ``close`` to the wrapped user function ``self._fn``."""

    def open(self, runtime_context):
        self._fn.open(runtime_context)

    def close(self):
        self._fn.close()


class Apply(_Wrapping, ProcessWindowFunction):
    """Runs ``fn.apply(key, context.window(), elements)``."""

    def __init__(self, fn):
        self._fn = fn

    def process(self, key, context, elements):
        return self._fn.apply(key, context.window(), elements)


class AllApply(_Wrapping, ProcessAllWindowFunction):
    """Runs ``fn.apply(context.window(), elements)`` (after ``window_all``)."""

    def __init__(self, fn):
        self._fn = fn

    def process(self, context, elements):
        return self._fn.apply(context.window(), elements)


class PreAggregated(_Wrapping, ProcessWindowFunction):
    """``reduce(f, window_function)`` / ``aggregate(f, window_function)``: the window's records are first
    reduced (or aggregated) to one value, then the window function gets an iterable holding just that
    value (Flink's rule). ``window_function`` is a ``ProcessWindowFunction`` / ``WindowFunction`` (or their
    ``All`` forms after ``window_all``)."""

    def __init__(self, pre_aggregate, window_function):
        self._pre = pre_aggregate  # a (a, b) -> c callable, or an AggregateFunction
        self._fn = window_function

    def _value(self, elements):
        from pyflow.datastream.functions import AggregateFunction
        if isinstance(self._pre, AggregateFunction):
            acc = self._pre.create_accumulator()
            for e in elements:
                acc = self._pre.add(e, acc)
            return self._pre.get_result(acc)
        return functools.reduce(self._pre, elements)

    def process(self, *args):
        """``(key, context, elements)``, or ``(context, elements)`` after ``window_all``."""
        from pyflow.datastream.functions import AllWindowFunction, WindowFunction
        *head, context, elements = args
        one = [self._value(elements)]
        fn = self._fn
        if isinstance(fn, WindowFunction):
            return fn.apply(head[0], context.window(), one)
        if isinstance(fn, AllWindowFunction):
            return fn.apply(context.window(), one)
        return fn.process(*head, context, one)
