"""Windows from Python: the engine assigns and fires them, the Python function computes the results.
Every expected result is computed here in plain Python."""
import collections

from pyflow.common import Duration, Time, Types, WatermarkStrategy
from pyflow.datastream import AggregateFunction, ProcessWindowFunction
from pyflow.datastream.window import (EventTimeSessionWindows, SlidingEventTimeWindows, TimeWindow,
                                      TumblingEventTimeWindows)

EVENTS = [("a", 1, 1), ("b", 3, 10), ("a", 12, 2), ("a", 7, 4), ("b", 15, 20), ("a", -3, 8), ("b", 25, 40),
          ("c", 31, 5), ("a", 30, 16)]  # key, ts, value


def keyed(env):
    return (env.from_collection(EVENTS)
            .assign_timestamps_and_watermarks(WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(100))
                                              .with_timestamp_assigner(lambda e, _: e[1]))
            .key_by(lambda e: e[0]))


def tumbling_sums(size):
    sums = collections.defaultdict(int)
    for k, ts, v in EVENTS:
        sums[(k, ts - ts % size)] += v
    return sums


def test_tumbling_reduce(env):
    stream = keyed(env).window(TumblingEventTimeWindows.of(Time.milliseconds(10))).reduce(
        lambda x, y: (x[0], max(x[1], y[1]), x[2] + y[2]))
    with stream.execute_and_collect() as results:
        got = sorted((k, v) for k, _, v in results)
    assert got == sorted((k, v) for (k, _), v in tumbling_sums(10).items())


class Average(AggregateFunction):
    def create_accumulator(self):
        return 0, 0

    def add(self, value, acc):
        return acc[0] + value[2], acc[1] + 1

    def get_result(self, acc):
        return acc[0] / acc[1]

    def merge(self, a, b):
        return a[0] + b[0], a[1] + b[1]


def test_tumbling_aggregate_typed_output(env):
    stream = keyed(env).window(TumblingEventTimeWindows.of(Time.milliseconds(10))).aggregate(
        Average(), output_type=Types.DOUBLE())
    with stream.execute_and_collect() as results:
        got = sorted(results)
    counts = collections.Counter((k, ts - ts % 10) for k, ts, _ in EVENTS)
    assert got == sorted(s / counts[w] for w, s in tumbling_sums(10).items())


class Describe(ProcessWindowFunction):
    def process(self, key, context, elements):
        w = context.window()
        assert isinstance(w, TimeWindow) and w.max_timestamp() == w.end - 1
        yield f"{key} [{w.start},{w.end}) {sorted(e[2] for e in elements)}"


def test_sliding_process_sees_every_window_of_each_record(env):
    stream = keyed(env).window(SlidingEventTimeWindows.of(Time.milliseconds(20), Time.milliseconds(10))).process(
        Describe(), output_type=Types.STRING())
    with stream.execute_and_collect() as results:
        got = sorted(results)
    windows = collections.defaultdict(list)
    for k, ts, v in EVENTS:
        last = ts - ts % 10
        for start in (last, last - 10):
            windows[(k, start)].append(v)
    assert got == sorted(f"{k} [{s},{s + 20}) {sorted(vs)}" for (k, s), vs in windows.items())


def test_sessions_merge_records_closer_than_the_gap(env):
    stream = keyed(env).window(EventTimeSessionWindows.with_gap(Time.milliseconds(10))).process(
        Describe(), output_type=Types.STRING())
    with stream.execute_and_collect() as results:
        got = sorted(results)
    # a: -3,1,7,12 chain into [-3,22) (gaps <= 10 touch); 30 alone [30,40). b: 3 [3,13), 15,25 -> [15,35). c: [31,41)
    assert got == sorted(["a [-3,22) [1, 2, 4, 8]", "a [30,40) [16]", "b [3,13) [10]", "b [15,35) [20, 40]",
                          "c [31,41) [5]"])


def test_count_windows_fire_every_n_records_per_key(env):
    data = [(i % 2, i) for i in range(1, 11)]
    stream = env.from_collection(data).key_by(lambda e: e[0]).count_window(2).reduce(lambda a, b: (a[0], a[1] + b[1]))
    with stream.execute_and_collect() as results:
        got = sorted(v for _, v in results)
    assert got == [4, 6, 12, 14]  # 1+3, 5+7, 2+4, 6+8; 9 and 10 wait for a partner forever


def test_window_all_sees_the_whole_stream_at_parallelism_one(env):
    from pyflow.datastream import ProcessAllWindowFunction

    class Describe(ProcessAllWindowFunction):
        def process(self, context, elements):
            w = context.window()
            yield f"[{w.start},{w.end}) {sorted(e[2] for e in elements)}"

    timed = (env.from_collection(EVENTS)
             .assign_timestamps_and_watermarks(WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(100))
                                               .with_timestamp_assigner(lambda e, _: e[1])))
    with timed.window_all(TumblingEventTimeWindows.of(Time.milliseconds(10))).process(
            Describe(), output_type=Types.STRING()).execute_and_collect() as results:
        got = sorted(results)
    windows = collections.defaultdict(list)
    for _, ts, v in EVENTS:
        windows[ts - ts % 10].append(v)
    assert got == sorted(f"[{s},{s + 10}) {sorted(vs)}" for s, vs in windows.items())


def test_window_all_reduce(env):
    timed = (env.from_collection(EVENTS)
             .assign_timestamps_and_watermarks(WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(100))
                                               .with_timestamp_assigner(lambda e, _: e[1])))
    with timed.window_all(TumblingEventTimeWindows.of(Time.milliseconds(100))).reduce(
            lambda a, b: ("all", 0, a[2] + b[2])).execute_and_collect() as results:
        got = sorted(v for _, _, v in results)
    per_window = collections.Counter()
    for _, ts, v in EVENTS:
        per_window[ts - ts % 100] += v  # -3 falls in [-100, 0)
    assert got == sorted(per_window.values())
