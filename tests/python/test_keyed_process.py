"""KeyedProcessFunction with keyed state and timers, through the real engine and workers.
Every expected result is computed here in plain Python."""
import collections

import pytest

from pyflow.common import Duration, Types, WatermarkStrategy
from pyflow.datastream import KeyedProcessFunction, TimeDomain
from pyflow.datastream.state import (ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor,
                                     ValueStateDescriptor)
from pyflow.errors import PythonFunctionError

EVENTS = [("a", 5, 1), ("b", 3, 10), ("a", 1, 2), ("c", 20, 100), ("a", 12, 4), ("b", 30, 20), ("a", 7, 8)]  # key, ts, value


class Summarise(KeyedProcessFunction):
    """Keeps every kind of state per key; one event-time timer per key (registered on every record, so
    it fires once) emits the key's summary at the end; that timer registers a second one, which fires too."""

    def open(self, runtime_context):
        self.count = runtime_context.get_state(ValueStateDescriptor("count", Types.LONG()))
        self.values = runtime_context.get_list_state(ListStateDescriptor("values", Types.LONG()))
        self.by_ts = runtime_context.get_map_state(MapStateDescriptor("by_ts", Types.LONG(), Types.LONG()))
        self.total = runtime_context.get_reducing_state(ReducingStateDescriptor("total", lambda x, y: x + y, Types.LONG()))

    def process_element(self, value, ctx):
        key, ts, v = value
        assert ctx.get_current_key() == key and ctx.timestamp() == ts
        self.count.update((self.count.value() or 0) + 1)
        self.values.add(v)
        self.by_ts.put(ts, v)
        self.total.add(v)
        ctx.timer_service().register_event_time_timer(1_000)
        yield f"seen {key}@{ts}"

    def on_timer(self, timestamp, ctx):
        key = ctx.get_current_key()
        if timestamp == 1_000:
            assert ctx.time_domain() == TimeDomain.EVENT_TIME and ctx.timestamp() == 1_000
            ctx.timer_service().register_event_time_timer(2_000)
            yield (f"{key}: count={self.count.value()} values={sorted(self.values.get())} "
                   f"by_ts={sorted(self.by_ts.items())} total={self.total.get()}")
        else:
            self.count.clear()
            yield f"{key}: cleared={self.count.value()} at {timestamp}"


def expected_summaries():
    per_key = collections.defaultdict(list)
    for key, ts, v in EVENTS:
        per_key[key].append((ts, v))
    out = []
    for key, items in per_key.items():
        out.append(f"{key}: count={len(items)} values={sorted(v for _, v in items)} "
                   f"by_ts={sorted(items)} total={sum(v for _, v in items)}")
        out.append(f"{key}: cleared=None at 2000")
    return out


def test_keyed_state_of_every_kind_and_event_time_timers(env):
    stream = (env.from_collection(EVENTS)
              .assign_timestamps_and_watermarks(
                  WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(100))
                  .with_timestamp_assigner(lambda e, _: e[1]))
              .key_by(lambda e: e[0])
              .process(Summarise(), output_type=Types.STRING()))
    with stream.execute_and_collect() as results:
        got = list(results)
    seen = [g for g in got if g.startswith("seen")]
    assert sorted(seen) == sorted(f"seen {k}@{ts}" for k, ts, _ in EVENTS)
    assert sorted(g for g in got if not g.startswith("seen")) == sorted(expected_summaries())
    # per key (one subtask's output keeps its order): the timers fire after its records (at the final
    # watermark), and the 2000 one after the 1000 one
    for key in {k for k, _, _ in EVENTS}:
        mine = [g for g in got if g.startswith(f"seen {key}@") or g.startswith(f"{key}:")]
        assert mine[-2].startswith(f"{key}: count=") and mine[-1].startswith(f"{key}: cleared="), mine


class RunningCount(KeyedProcessFunction):
    def open(self, runtime_context):
        self.n = runtime_context.get_state(ValueStateDescriptor("n", Types.LONG()))

    def process_element(self, value, ctx):
        n = (self.n.value() or 0) + 1
        self.n.update(n)
        yield ctx.get_current_key(), n


def test_state_is_per_key_and_survives_across_batches(env):
    words = [f"w{i % 37}" for i in range(25_000)]
    stream = env.from_collection(words, type_info=Types.STRING()).key_by(lambda w: w).process(RunningCount())
    with stream.execute_and_collect() as results:
        got = list(results)
    counts = collections.Counter(words)
    finals = {}
    for key, n in got:
        finals[key] = max(finals.get(key, 0), n)
    assert finals == dict(counts)
    assert len(got) == len(words)


class Heartbeat(KeyedProcessFunction):
    """Registers a processing-time timer 50 ms ahead on "a", then takes 300 ms over "b": the timer is due
    while the job still runs (processing-time timers still pending at the end of input are dropped, as in Flink)."""

    def process_element(self, value, ctx):
        if value == "a":
            ctx.timer_service().register_processing_time_timer(ctx.timer_service().current_processing_time() + 50)
        else:
            import time
            time.sleep(0.3)
        return []

    def on_timer(self, timestamp, ctx):
        assert ctx.time_domain() == TimeDomain.PROCESSING_TIME and ctx.timestamp() is None
        yield f"tick {ctx.get_current_key()}"


def test_processing_time_timers_fire_while_the_job_runs(env):
    stream = (env.from_collection(["a", "b"], type_info=Types.STRING())
              .key_by(lambda x: "k").process(Heartbeat(), output_type=Types.STRING()))  # one key: one subtask
    with stream.execute_and_collect() as results:
        got = list(results)
    assert got == ["tick k"]


class Explode(KeyedProcessFunction):
    def process_element(self, value, ctx):
        if value == 3:
            raise ValueError("three is not allowed")
        yield value


def test_an_error_in_process_element_names_the_operator_and_carries_the_traceback(env):
    stream = env.from_collection([1, 2, 3], type_info=Types.INT()).key_by(lambda x: x % 2).process(Explode())
    with pytest.raises(PythonFunctionError) as info:
        with stream.execute_and_collect() as results:
            list(results)
    assert info.value.python_type == "ValueError" and "three is not allowed" in str(info.value)
    assert "Keyed Process" in str(info.value) and 'raise ValueError("three is not allowed")' in info.value.python_traceback
