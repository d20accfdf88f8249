"""Side outputs from every kind of Python process function, and late data from windows, through the real
engine and workers. Every expected result is computed here in plain Python."""
import collections

import pytest

from pyflow.common import Duration, Time, Types, WatermarkStrategy
from pyflow.datastream import (KeyedProcessFunction, OutputTag, ProcessFunction, ProcessWindowFunction)
from pyflow.datastream.window import TumblingEventTimeWindows
from pyflow.errors import PlanError

NUMBERS = list(range(-20, 80))
ODD = OutputTag("odd", Types.LONG())
WORDS = OutputTag("words", Types.STRING())
OBJECTS = OutputTag("objects")  # no type: pickled Python objects


class Split(ProcessFunction):
    """Evens to the main output; odds to a typed side output PyFlink's way (yield (tag, value)), and a
    description of every tenth record through ctx.output (Java's way) to a second tag."""

    def process_element(self, value, ctx):
        if value % 2 == 0:
            yield value * 10
        else:
            yield ODD, value
        if value % 10 == 0:
            ctx.output(WORDS, f"ten:{value}")


def test_process_function_main_and_two_side_outputs(env):
    main = env.from_collection(NUMBERS, type_info=Types.LONG()).map(lambda x: x + 1, output_type=Types.LONG()) \
        .process(Split(), output_type=Types.LONG())
    odds = main.get_side_output(ODD).map(lambda x: ("odd", x))
    words = main.get_side_output(WORDS).map(lambda w: ("word", w))
    got = sorted(main.map(lambda x: ("main", x)).union(odds, words).execute_and_collect(), key=repr)
    shifted = [x + 1 for x in NUMBERS]
    expected = ([("main", x * 10) for x in shifted if x % 2 == 0] + [("odd", x) for x in shifted if x % 2]
                + [("word", f"ten:{x}") for x in shifted if x % 10 == 0])
    assert got == sorted(expected, key=repr)


def test_an_unread_side_output_is_dropped_as_in_flink(env):
    main = env.from_collection(NUMBERS, type_info=Types.LONG()).process(Split(), output_type=Types.LONG())
    assert sorted(main.execute_and_collect()) == sorted(x * 10 for x in NUMBERS if x % 2 == 0)


def test_only_the_side_output_read(env):
    main = env.from_collection(NUMBERS, type_info=Types.LONG()).process(Split(), output_type=Types.LONG())
    assert sorted(main.get_side_output(ODD).execute_and_collect()) == [x for x in NUMBERS if x % 2]


class Alarm(KeyedProcessFunction):
    """Counts per key; every third record of a key goes to the pickled side output, and the event-time
    timer sends the key's final count there too (from on_timer, with ctx.output)."""

    def open(self, runtime_context):
        from pyflow.datastream.state import ValueStateDescriptor
        self.count = runtime_context.get_state(ValueStateDescriptor("count", Types.LONG()))

    def process_element(self, value, ctx):
        n = (self.count.value() or 0) + 1
        self.count.update(n)
        ctx.timer_service().register_event_time_timer(10_000)
        if n % 3 == 0:
            yield OBJECTS, ("third", value[0], value[1])
        yield value[0], n

    def on_timer(self, timestamp, ctx):
        ctx.output(OBJECTS, ("final", ctx.get_current_key(), self.count.value()))


EVENTS = [(k, ts) for ts, k in enumerate("abcabcaabbbcaaabca")]


def test_keyed_process_function_side_outputs_from_records_and_timers(env):
    main = (env.from_collection(EVENTS)
            .assign_timestamps_and_watermarks(WatermarkStrategy.for_monotonous_timestamps()
                                              .with_timestamp_assigner(lambda e, _: e[1]))
            .key_by(lambda e: e[0]).process(Alarm()))
    side = main.get_side_output(OBJECTS)
    got_side = sorted(side.execute_and_collect())
    counts = collections.Counter()
    expected = []
    for k, ts in EVENTS:
        counts[k] += 1
        if counts[k] % 3 == 0:
            expected.append(("third", k, ts))
    expected += [("final", k, n) for k, n in counts.items()]
    assert got_side == sorted(expected)


class Describe(ProcessWindowFunction):
    """The window's sum to the main output; to a side output, the window and the watermark and
    processing time the function saw (checked below)."""

    def process(self, key, context, elements):
        w = context.window()
        values = [e[2] for e in elements]
        yield key, w.start, sum(values)
        context.output(WORDS, f"{key}@{w.start}:{len(values)}")
        yield OBJECTS, (key, w.start, context.current_watermark() >= w.max_timestamp(),
                        context.current_processing_time() > 1_600_000_000_000)


WINDOW_EVENTS = [("a", 1, 1), ("b", 3, 10), ("a", 12, 2), ("a", 7, 4), ("b", 15, 20), ("a", 30, 16)]


def test_process_window_function_side_outputs_and_context(env):
    main = (env.from_collection(WINDOW_EVENTS)
            .assign_timestamps_and_watermarks(WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(50))
                                              .with_timestamp_assigner(lambda e, _: e[1]))
            .key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(10))).process(Describe()))
    words = main.get_side_output(WORDS)
    objects = main.get_side_output(OBJECTS)
    got = sorted(main.map(lambda r: ("main",) + tuple(r)).union(words.map(lambda w: ("word", w)),
                                                                objects.map(lambda o: ("obj",) + tuple(o)))
                 .execute_and_collect(), key=repr)
    windows = collections.defaultdict(list)
    for k, ts, v in WINDOW_EVENTS:
        windows[(k, ts - ts % 10)].append(v)
    expected = ([("main", k, s, sum(vs)) for (k, s), vs in windows.items()]
                + [("word", f"{k}@{s}:{len(vs)}") for (k, s), vs in windows.items()]
                + [("obj", k, s, True, True) for (k, s) in windows])
    assert got == sorted(expected, key=repr)


def late_events_job(env, late):
    """A rate-limited generator (500 records/s, as the engine spreads it over the subtasks) of 600 records
    with timestamps i * 10; every tenth record from index 400 on is 3 s behind in event time, so by the
    time it arrives (300 records, 600 ms, later; a slow start makes the source catch up in a burst only
    early on) the 5 ms periodic watermarks have passed its window's end plus the allowed lateness
    (100 ms): it is late by a wide margin, whatever the parallelism."""
    from pyflow.datastream.connectors import DataGeneratorSource
    env._config.set_string("python.fn-execution.bundle.time", "5")
    env.get_config().set_auto_watermark_interval(5)
    source = DataGeneratorSource(event, count=N_EVENTS, records_per_second=500)
    from pyflow.common import WatermarkStrategy as WS
    stream = (env.from_source(source, WS.no_watermarks(), "events")
              .assign_timestamps_and_watermarks(WS.for_monotonous_timestamps()
                                                .with_timestamp_assigner(lambda e, _: e[1])))
    return (stream.key_by(lambda e: e[0]).window(TumblingEventTimeWindows.of(Time.milliseconds(10)))
            .allowed_lateness(Time.milliseconds(100)).side_output_late_data(late)
            .reduce(lambda x, y: (x[0], min(x[1], y[1]), x[2] + y[2])))


N_EVENTS = 600


def is_late(i):
    return i >= 400 and i % 10 == 9


def event(i):
    return i % 3, (i * 10 - 3000 if is_late(i) else i * 10), i


def test_late_data_side_output_gets_exactly_the_late_records(env):
    late = OutputTag("late")  # no type: the window's input type
    windows = late_events_job(env, late)
    side = windows.get_side_output(late)
    got = sorted(windows.map(lambda r: ("window",) + tuple(r)).union(side.map(lambda r: ("late",) + tuple(r)))
                 .execute_and_collect())
    sums = collections.defaultdict(int)
    for i in range(N_EVENTS):
        if not is_late(i):
            k, ts, v = event(i)
            sums[(k, ts - ts % 10)] += v
    expected = [("window", k, s, v) for (k, s), v in sums.items()] + \
               [("late",) + event(i) for i in range(N_EVENTS) if is_late(i)]
    assert got == sorted(expected)


def test_a_late_tag_of_another_type_is_refused(env):
    keyed = env.from_collection([("a", 1)]).key_by(lambda e: e[0])
    with pytest.raises(PlanError, match="input type"):
        keyed.window(TumblingEventTimeWindows.of(Time.milliseconds(10))).side_output_late_data(WORDS)


def test_get_side_output_of_an_operator_without_side_outputs_is_a_plan_error(env):
    with pytest.raises(PlanError, match="has no side outputs"):
        env.from_collection([1]).map(lambda x: x).get_side_output(ODD)
    with pytest.raises(TypeError, match="OutputTag"):
        env.from_collection([1]).process(Split()).get_side_output("odd")


def test_process_all_window_function_side_output(env):
    from pyflow.datastream import ProcessAllWindowFunction

    class Everything(ProcessAllWindowFunction):
        def process(self, context, elements):
            values = sorted(e[2] for e in elements)
            yield sum(values)
            yield WORDS, f"{context.window().start}:{values}"

    timed = env.from_collection(WINDOW_EVENTS).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(lambda e, _: e[1]))
    main = timed.window_all(TumblingEventTimeWindows.of(Time.milliseconds(20))).process(Everything())
    got = sorted(main.get_side_output(WORDS).execute_and_collect())
    windows = collections.defaultdict(list)
    for _, ts, v in WINDOW_EVENTS:
        windows[ts - ts % 20].append(v)
    assert got == sorted(f"{s}:{sorted(vs)}" for s, vs in windows.items())


def test_side_output_type_errors_are_clear(env):
    from pyflow.errors import PythonFunctionError

    class Bad(ProcessFunction):
        def process_element(self, value, ctx):
            yield WORDS, value  # an int to a STRING tag

    with pytest.raises(PythonFunctionError, match="side output 'words' does not fit its type STRING"):
        list(env.from_collection([1, 2]).process(Bad()).get_side_output(WORDS).execute_and_collect())

    as_long = OutputTag("words", Types.LONG())  # same id, another type than the function's tag
    with pytest.raises(Exception, match="use one OutputTag"):
        list(env.from_collection(NUMBERS, type_info=Types.LONG()).process(Split(), output_type=Types.LONG())
             .get_side_output(as_long).execute_and_collect())
