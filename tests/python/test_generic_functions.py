"""Function, state, window and trigger classes are generic where PyFlink's are (same type variables per
class), so Flink's own windowing examples (``class MyProcessWindowFunction(ProcessWindowFunction[tuple,
tuple, str, TimeWindow])``) run unchanged; one runs here through the real engine and workers."""
import typing

import pytest

from pyflow.common import Time, Types, WatermarkStrategy
from pyflow.datastream import functions, state, window
from pyflow.datastream.functions import (AllWindowFunction, FilterFunction, FlatMapFunction, KeySelector,
                                         MapFunction, ProcessAllWindowFunction, ProcessWindowFunction,
                                         WindowFunction)
from pyflow.datastream.window import TimeWindow, TumblingEventTimeWindows

# class -> the names of PyFlink's type variables for it
PYFLINK_PARAMETERS = {
    functions.MapFunction: ("IN", "OUT"),
    functions.FlatMapFunction: ("IN", "OUT"),
    functions.FilterFunction: ("IN",),
    functions.KeySelector: ("IN", "KEY"),
    functions.WindowFunction: ("IN", "OUT", "KEY", "W"),
    functions.AllWindowFunction: ("IN", "OUT", "W"),
    functions.ProcessWindowFunction: ("IN", "OUT", "KEY", "W"),
    functions.ProcessWindowFunction.Context: ("W2",),
    functions.ProcessAllWindowFunction: ("IN", "OUT", "W"),
    state.ValueState: ("T",),
    state.ListState: ("T",),
    state.MapState: ("K", "V"),
    state.ReducingState: ("T",),
    state.AggregatingState: ("IN", "OUT"),
    window.WindowAssigner: ("T", "W"),
    window.MergingWindowAssigner: ("T", "W"),
    window.MergingWindowAssigner.MergeCallback: ("W2",),
    window.Trigger: ("T", "W"),
    window.EventTimeTrigger: ("T",),
    window.TumblingEventTimeWindows: ("T",),
}


@pytest.mark.parametrize("cls", PYFLINK_PARAMETERS, ids=lambda c: c.__qualname__)
def test_type_variables_as_pyflink(cls):
    assert tuple(p.__name__ for p in cls.__parameters__) == PYFLINK_PARAMETERS[cls]
    assert typing.get_origin(cls[tuple(int for _ in cls.__parameters__)]) is cls


def test_pyflinks_typing_test():
    # PyFlink's datastream/tests/test_typing.py
    class TypedMap(MapFunction[int, str]):
        def map(self, value: int) -> str:
            return str(value)

    class TypedFlatMap(FlatMapFunction[int, str]):
        def flat_map(self, value):
            yield str(value)

    class TypedFilter(FilterFunction[int]):
        def filter(self, value: int) -> bool:
            return value > 0

    class TypedKey(KeySelector[int, str]):
        def get_key(self, value: int) -> str:
            return str(value)

    assert TypedMap().map(1) == "1" and list(TypedFlatMap().flat_map(1)) == ["1"]
    assert TypedFilter().filter(1) and not TypedFilter().filter(-1) and TypedKey().get_key(1) == "1"
    with pytest.raises(TypeError):
        MapFunction[int]  # wrong arity is refused, as in PyFlink


class SumWindow(ProcessWindowFunction[tuple, tuple, str, TimeWindow]):
    """Shaped like the ProcessWindowFunction of Flink's python/datastream/windowing examples."""

    def process(self, key: str, context: ProcessWindowFunction.Context[TimeWindow], elements):
        yield key, context.window().start, sum(e[2] for e in elements)


class CountWindow(WindowFunction[tuple, tuple, str, TimeWindow]):
    def apply(self, key, window, inputs):
        yield key, window.start, len(list(inputs))


class AllSum(ProcessAllWindowFunction[tuple, int, TimeWindow]):
    def process(self, context, elements):
        yield sum(e[2] for e in elements)


class AllCount(AllWindowFunction[tuple, int, TimeWindow]):
    def apply(self, window, inputs):
        yield len(list(inputs))


EVENTS = [("a", 1, 1), ("b", 3, 10), ("a", 12, 2), ("a", 7, 4), ("b", 15, 20), ("a", 30, 16)]


def test_generic_window_functions_run(env):
    timed = env.from_collection(EVENTS).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(lambda e, _: e[1]))
    size = TumblingEventTimeWindows.of(Time.milliseconds(10))
    keyed = timed.key_by(lambda e: e[0])
    sums = keyed.window(size).process(SumWindow(), Types.TUPLE([Types.STRING(), Types.LONG(), Types.LONG()]))
    counts = keyed.window(size).apply(CountWindow(), Types.TUPLE([Types.STRING(), Types.LONG(), Types.LONG()]))
    got = sorted(sums.map(lambda r: ("sum",) + tuple(r)).union(counts.map(lambda r: ("count",) + tuple(r)))
                 .execute_and_collect())
    windows = {}
    for k, ts, v in EVENTS:
        windows.setdefault((k, ts - ts % 10), []).append(v)
    expected = [("sum", k, s, sum(vs)) for (k, s), vs in windows.items()] + \
               [("count", k, s, len(vs)) for (k, s), vs in windows.items()]
    assert got == sorted(expected)


def test_generic_all_window_functions_run(env):
    timed = env.from_collection(EVENTS).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(lambda e, _: e[1]))
    size = TumblingEventTimeWindows.of(Time.milliseconds(20))
    sums = timed.window_all(size).process(AllSum(), Types.LONG())
    counts = timed.window_all(size).apply(AllCount(), Types.LONG())
    windows = {}
    for _, ts, v in EVENTS:
        windows.setdefault(ts - ts % 20, []).append(v)
    assert sorted(sums.execute_and_collect()) == sorted(sum(vs) for vs in windows.values())
    assert sorted(counts.execute_and_collect()) == sorted(len(vs) for vs in windows.values())
