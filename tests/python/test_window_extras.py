"""Window triggers, apply(WindowFunction) and vectorized (func_type="pandas") window aggregates, through the
real engine and workers. Every expected result is computed here in plain Python."""
import collections

import pytest

from pyflow.common import Duration, Time, Types, WatermarkStrategy
from pyflow.datastream import AllWindowFunction, ProcessWindowFunction, WindowFunction
from pyflow.datastream.window import (ContinuousEventTimeTrigger, CountTrigger, EventTimeSessionWindows,
                                      EventTimeTrigger, GlobalWindows, ProcessingTimeTrigger, PurgingTrigger,
                                      TimeWindow, Trigger, TumblingEventTimeWindows)
from pyflow.errors import PlanError

EVENTS = [("a", 1, 1), ("b", 3, 10), ("a", 12, 2), ("a", 7, 4), ("b", 15, 20), ("a", -3, 8), ("b", 25, 40),
          ("c", 31, 5), ("a", 30, 16), ("a", 45, 32), ("c", 38, 64)]  # key, ts, value


def timed(env, events=EVENTS):
    return env.from_collection(events).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(100)).with_timestamp_assigner(lambda e, _: e[1]))


class Sum(ProcessWindowFunction):
    def process(self, key, context, elements):
        yield key, sum(e[-1] for e in elements), len(elements)


SEQUENCE = [(k, i) for i in range(1, 15) for k in ("x", "y") if (i + len(k)) % 3 or k == "x"]


def per_key(records):
    out = collections.defaultdict(list)
    for k, v in records:
        out[k].append(v)
    return out


def test_count_trigger_on_global_windows_fires_with_everything_so_far(env):
    stream = env.from_collection(SEQUENCE).key_by(lambda e: e[0]).window(GlobalWindows.create()) \
        .trigger(CountTrigger.of(3)).process(Sum())
    got = sorted(tuple(r) for r in stream.execute_and_collect())
    expected = [(k, sum(vs[:n]), n) for k, vs in per_key(SEQUENCE).items() for n in range(3, len(vs) + 1, 3)]
    assert got == sorted(expected)


def test_purging_count_trigger_starts_each_firing_afresh(env):
    stream = env.from_collection(SEQUENCE).key_by(lambda e: e[0]).window(GlobalWindows.create()) \
        .trigger(PurgingTrigger.of(CountTrigger.of(4))).process(Sum())
    got = sorted(tuple(r) for r in stream.execute_and_collect())
    expected = [(k, sum(vs[n - 4:n]), 4) for k, vs in per_key(SEQUENCE).items() for n in range(4, len(vs) + 1, 4)]
    assert got == sorted(expected)


def tumbling_reference(size, events=EVENTS):
    windows = collections.defaultdict(list)
    for k, ts, v in events:
        windows[(k, ts - ts % size)].append((ts, v))
    return windows


def test_explicit_event_time_trigger_is_the_default(env):
    stream = timed(env).key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
        .trigger(EventTimeTrigger.create()).process(Sum())
    got = sorted(tuple(r) for r in stream.execute_and_collect())
    assert got == sorted((k, sum(v for _, v in vs), len(vs)) for (k, _), vs in tumbling_reference(10).items())


def test_continuous_event_time_trigger_fires_every_interval_and_at_the_end(env):
    # Every record arrives before the first watermark, so each firing sees the whole window. The first
    # record of a window (in arrival order) schedules firings at its interval-aligned time + interval,
    # then every interval while below the window's end - 1, where it fires once more (Flink's trigger).
    size, interval = 30, 7
    stream = timed(env).key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(size))) \
        .trigger(ContinuousEventTimeTrigger.of(Time.milliseconds(interval))).process(Sum())
    got = sorted(tuple(r) for r in stream.execute_and_collect())
    expected = []
    for (k, start), vs in tumbling_reference(size).items():
        first_ts = vs[0][0]
        first_fire = first_ts - first_ts % interval + interval
        end_ts = start + size - 1
        firings = len(range(first_fire, end_ts, interval)) + 1
        expected += [(k, sum(v for _, v in vs), len(vs))] * firings
    assert got == sorted(expected)


def test_purging_processing_time_trigger_emits_every_record_once(env):
    # Event-time windows of long ago: each record's processing-time timer is already due, so every
    # window fires (and purges) right after each batch, before the end of input.
    stream = timed(env).key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(10))) \
        .trigger(PurgingTrigger.of(ProcessingTimeTrigger.create())).apply(Totals())
    sums = collections.Counter()
    for key, start, total, n in stream.execute_and_collect():
        assert n > 0
        sums[(key, start)] += total
    assert sums == {kw: sum(v for _, v in vs) for kw, vs in tumbling_reference(10).items()}


class Totals(WindowFunction):
    def apply(self, key, window, inputs):
        assert isinstance(window, TimeWindow)
        values = [e[2] for e in inputs]
        yield key, window.start, sum(values), len(values)


def test_apply_with_a_window_function(env):
    stream = timed(env).key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(20))) \
        .apply(Totals(), output_type=None)
    got = sorted(tuple(r) for r in stream.execute_and_collect())
    assert got == sorted((k, s, sum(v for _, v in vs), len(vs)) for (k, s), vs in tumbling_reference(20).items())


def test_apply_with_an_all_window_function(env):
    class Everything(AllWindowFunction):
        def apply(self, window, inputs):
            yield window.start, sorted(e[2] for e in inputs)

    stream = timed(env).window_all(TumblingEventTimeWindows.of(Time.milliseconds(20))).apply(Everything())
    got = sorted((s, tuple(vs)) for s, vs in stream.execute_and_collect())
    windows = collections.defaultdict(list)
    for _, ts, v in EVENTS:
        windows[ts - ts % 20].append(v)
    assert got == sorted((s, tuple(sorted(vs))) for s, vs in windows.items())


VALUES = [float(i % 17) * 1.5 - 4 for i in range(300)]  # the value is also its record's timestamp source


def test_vectorized_window_aggregate_gets_each_window_as_a_series(env):
    def mean_and_spread(series):
        import pandas as pd
        assert isinstance(series, pd.Series)
        return float(series.mean() + series.max() - series.min())

    stream = (env.from_collection(VALUES, type_info=Types.DOUBLE())
              .assign_timestamps_and_watermarks(WatermarkStrategy.for_monotonous_timestamps()
                                                .with_timestamp_assigner(lambda v, _: int(v * 10)))
              .key_by(lambda v: int(v) % 3)
              .window(TumblingEventTimeWindows.of(Time.milliseconds(40)))
              .aggregate(mean_and_spread, output_type=Types.DOUBLE(), func_type="pandas"))
    got = sorted(stream.execute_and_collect())
    windows = collections.defaultdict(list)
    for v in VALUES:
        ts = int(v * 10)
        windows[(int(v) % 3, ts - ts % 40)].append(v)
    expected = sorted(sum(vs) / len(vs) + max(vs) - min(vs) for vs in windows.values())
    assert got == pytest.approx(expected)


def test_vectorized_aggregate_over_count_windows_of_pickled_records(env):
    stream = env.from_collection(SEQUENCE).key_by(lambda e: e[0]).count_window(3) \
        .aggregate(lambda s: (s.iloc[0][0], sum(v for _, v in s)), func_type="pandas")
    got = sorted(stream.execute_and_collect())
    expected = [(k, sum(vs[n - 3:n])) for k, vs in per_key(SEQUENCE).items() for n in range(3, len(vs) + 1, 3)]
    assert got == sorted(expected)


def test_trigger_and_aggregate_misuse_are_clear_errors(env):
    class MyTrigger(Trigger):
        def on_element(self, element, timestamp, window, ctx):
            return None

    windowed = timed(env).key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(10)))
    with pytest.raises(NotImplementedError, match="custom Python triggers"):
        windowed.trigger(MyTrigger())
    sessions = timed(env).key_by(lambda e: e[0]).window(EventTimeSessionWindows.with_gap(Time.milliseconds(5)))
    with pytest.raises(PlanError, match="session"):
        sessions.trigger(CountTrigger.of(2))
    with pytest.raises(TypeError, match="pandas"):
        windowed.aggregate(Sum(), func_type="pandas")
    counted = env.from_collection(SEQUENCE).key_by(lambda e: e[0]).count_window(2) \
        .trigger(EventTimeTrigger.create()).process(Sum())
    with pytest.raises(Exception, match="needs time windows"):
        list(counted.execute_and_collect())


class MaxValue(ProcessWindowFunction):
    """Sees the one pre-aggregated value of its window (Flink's rule for reduce/aggregate + window function)."""

    def process(self, key, context, elements):
        values = list(elements)
        assert len(values) == 1
        yield key, context.window().start, values[0]


def test_reduce_and_aggregate_with_a_window_function_see_one_value(env):
    from pyflow.datastream import AggregateFunction

    class Count(AggregateFunction):
        def create_accumulator(self):
            return 0

        def add(self, value, acc):
            return acc + 1

        def get_result(self, acc):
            return acc

    class CountOf(WindowFunction):
        def apply(self, key, window, inputs):
            (n,) = inputs
            yield key, window.start, n

    windowed = timed(env).key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(20)))
    reduced = windowed.reduce(lambda a, b: a if a[2] >= b[2] else b, window_function=MaxValue())
    counted = (timed(env).key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(20)))
               .aggregate(Count(), window_function=CountOf()))
    got = sorted(reduced.map(lambda r: ("max", r[0], r[1], r[2][2])).union(
        counted.map(lambda r: ("count", r[0], r[1], r[2]))).execute_and_collect())
    windows = tumbling_reference(20)
    expected = [("max", k, s, max(v for _, v in vs)) for (k, s), vs in windows.items()] + \
               [("count", k, s, len(vs)) for (k, s), vs in windows.items()]
    assert got == sorted(expected)
