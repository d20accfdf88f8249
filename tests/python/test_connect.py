"""connect with co-map, co-flat-map and (keyed) co-process, and partition_custom, through the real engine
and workers in both execution modes at parallelism 1 and 2. Expected results are computed here in plain Python."""
import collections
import random

import pytest

from pyflow.common import Duration, Types, WatermarkStrategy
from pyflow.datastream import (CoFlatMapFunction, CoMapFunction, CoProcessFunction, ConnectedStreams,
                               KeyedCoProcessFunction, KeyedProcessFunction, MapFunction, Partitioner, TimeDomain)
from pyflow.datastream.state import (ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor,
                                     ValueStateDescriptor)
from pyflow.errors import PlanError, PythonFunctionError

INTS = list(range(-5, 300))
WORDS = [f"w{i} x{i % 7}" for i in range(120)]


def collect(stream):
    with stream.execute_and_collect() as results:
        return list(results)


class Describe(CoMapFunction):
    def map1(self, value):
        return f"int {value * 2}"

    def map2(self, value):
        return f"str {value.upper()}"


def test_co_map_over_two_streams_of_different_types(env):
    ints = env.from_collection(INTS, Types.INT())
    words = env.from_collection(WORDS, Types.STRING())
    got = collect(ints.connect(words).map(Describe(), Types.STRING()))
    assert sorted(got) == sorted([f"int {i * 2}" for i in INTS] + [f"str {w.upper()}" for w in WORDS])


class Spread(CoFlatMapFunction):
    def open(self, runtime_context):
        self.parallelism = runtime_context.get_number_of_parallel_subtasks()

    def flat_map1(self, value):
        for _ in range(value % 3):
            yield (value, self.parallelism)

    def flat_map2(self, value):
        return [(w, self.parallelism) for w in value.split()]


def test_co_flat_map_over_two_streams_of_different_types(env, parallelism):
    ints = env.from_collection(INTS, Types.INT())
    words = env.from_collection(WORDS, Types.STRING())
    got = collect(ints.connect(words).flat_map(Spread()))
    expected = [(i, parallelism) for i in INTS for _ in range(i % 3)] + \
               [(w, parallelism) for line in WORDS for w in line.split()]
    assert sorted(map(repr, got)) == sorted(map(repr, expected))


class Tagged(CoProcessFunction):
    def process_element1(self, value, ctx):
        yield ("left", value, ctx.timestamp())

    def process_element2(self, value, ctx):
        yield ("right", value, ctx.timestamp())


def test_co_process_on_non_keyed_streams_sees_each_records_timestamp(env):
    strategy = WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(lambda v, _: v * 10)
    left = env.from_collection([1, 2, 3], Types.INT()).assign_timestamps_and_watermarks(strategy)
    right = env.from_collection([4, 5], Types.LONG()).assign_timestamps_and_watermarks(strategy)
    got = collect(left.connect(right).process(Tagged()))
    assert sorted(got) == [("left", 1, 10), ("left", 2, 20), ("left", 3, 30), ("right", 4, 40), ("right", 5, 50)]


# ---- keyed co-process: joining orders and payments by order id
DEADLINE = 100  # ms after an order (or an orphan payment) its timer fires


def make_orders_and_payments(seed=7):
    """Orders (id, amount, ts) and payments (id, amount, ts), each sorted by time. A paid order's payments
    sum exactly to its amount (so no proper subset reaches it: the outcome does not depend on the order in
    which the two streams' records meet); an unpaid one's sum to less; some payments have no order. Every
    payment is within [order ts - 20, order ts + 50], before any timer of its key can fire."""
    rnd = random.Random(seed)
    orders, payments, expected = [], [], []
    for oid in range(60):
        ts = 1_000 + oid * 37
        amount = rnd.randint(10, 200)
        orders.append((oid, amount, ts))
        kind = rnd.choice(["paid", "unpaid", "none"])
        parts = []
        if kind == "paid":
            cut = sorted(rnd.sample(range(1, amount), min(2, amount - 1)))
            parts = [b - a for a, b in zip([0] + cut, cut + [amount])]
        elif kind == "unpaid":
            parts = [rnd.randint(1, max(1, amount // 3))]
        for p in parts:
            payments.append((oid, p, ts + rnd.randint(-20, 50)))
        if kind == "paid":
            expected.append(("paid", oid, amount))
        else:
            expected.append(("unpaid", oid, amount, sum(parts)))
    for oid in range(1_000, 1_008):  # payments of unknown orders
        ts = 1_000 + rnd.randint(0, 2_000)
        paid = [rnd.randint(1, 50) for _ in range(rnd.randint(1, 3))]
        payments.extend((oid, p, ts + i) for i, p in enumerate(paid))
        expected.append(("no order", oid, sorted(paid)))
    return sorted(orders, key=lambda o: o[2]), sorted(payments, key=lambda p: p[2]), expected


class MatchPayments(KeyedCoProcessFunction):
    """Orders on input 1, payments on input 2, keyed by order id: every kind of keyed state, shared by both
    inputs; a match is emitted at once (and its timer deleted), the rest by an event-time timer."""

    def open(self, runtime_context):
        self.order = runtime_context.get_state(ValueStateDescriptor("order", Types.PICKLED_BYTE_ARRAY()))
        self.deadline = runtime_context.get_state(ValueStateDescriptor("deadline", Types.LONG()))
        self.amounts = runtime_context.get_list_state(ListStateDescriptor("amounts", Types.LONG()))
        self.by_ts = runtime_context.get_map_state(MapStateDescriptor("by_ts", Types.LONG(), Types.LONG()))
        self.total = runtime_context.get_reducing_state(
            ReducingStateDescriptor("total", lambda a, b: a + b, Types.LONG()))

    def process_element1(self, order, ctx):
        oid, amount, ts = order
        assert ctx.get_current_key() == oid and ctx.timestamp() == ts
        self.order.update(order)
        self._arm(ctx, ts + DEADLINE)
        yield from self._match(ctx)

    def process_element2(self, payment, ctx):
        oid, amount, ts = payment
        assert ctx.get_current_key() == oid and ctx.timestamp() == ts
        self.amounts.add(amount)
        self.by_ts.put(ts, (self.by_ts.get(ts) or 0) + amount)
        self.total.add(amount)
        if self.order.value() is None and self.deadline.value() is None:
            self._arm(ctx, ts + DEADLINE)
        yield from self._match(ctx)

    def _arm(self, ctx, at):
        if self.deadline.value() is not None:
            ctx.timer_service().delete_event_time_timer(self.deadline.value())
        self.deadline.update(at)
        ctx.timer_service().register_event_time_timer(at)

    def _match(self, ctx):
        order = self.order.value()
        if order is not None and (self.total.get() or 0) >= order[1]:
            assert sum(self.amounts.get()) == sum(v for _, v in self.by_ts.items()) == self.total.get()
            ctx.timer_service().delete_event_time_timer(self.deadline.value())
            self._clear()
            yield ("paid", order[0], order[1])

    def on_timer(self, timestamp, ctx):
        assert ctx.time_domain() == TimeDomain.EVENT_TIME and ctx.timestamp() == timestamp == self.deadline.value()
        order = self.order.value()
        if order is not None:
            yield ("unpaid", order[0], order[1], self.total.get() or 0)
        else:
            yield ("no order", ctx.get_current_key(), sorted(self.amounts.get()))
        self._clear()

    def _clear(self):
        for state in (self.order, self.deadline, self.amounts, self.by_ts, self.total):
            state.clear()


def test_keyed_co_process_joins_orders_and_payments_with_shared_state_and_event_time_timers(env):
    orders, payments, expected = make_orders_and_payments()

    def timed(records):
        return env.from_collection(records).assign_timestamps_and_watermarks(
            WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(lambda r, _: r[2]))

    joined = (timed(orders).connect(timed(payments))
              .key_by(lambda o: o[0], lambda p: p[0])
              .process(MatchPayments()))
    got = collect(joined)
    assert sorted(map(repr, got)) == sorted(map(repr, expected))
    assert {e[0] for e in expected} == {"paid", "unpaid", "no order"}  # the data covers every path


def test_keyed_co_process_on_streams_keyed_before_connect(env):
    orders, payments, expected = make_orders_and_payments(seed=11)

    def timed(records):
        return env.from_collection(records).assign_timestamps_and_watermarks(
            WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(lambda r, _: r[2])
        ).key_by(lambda r: r[0])

    got = collect(timed(orders).connect(timed(payments)).process(MatchPayments()))
    assert sorted(map(repr, got)) == sorted(map(repr, expected))


class LatestRate(KeyedCoProcessFunction):
    """Rates ("eur=2.0", STRING) on input 1, amounts ((currency, n), pickled) on input 2: the last rate seen
    for the currency converts each amount; amounts before any rate wait in list state."""

    def open(self, runtime_context):
        self.rate = runtime_context.get_state(ValueStateDescriptor("rate", Types.DOUBLE()))
        self.waiting = runtime_context.get_list_state(ListStateDescriptor("waiting", Types.LONG()))

    def process_element1(self, value, ctx):
        rate = float(value.split("=")[1])
        self.rate.update(rate)
        for n in self.waiting.get():
            yield f"{ctx.get_current_key()} {n * rate:.1f}"
        self.waiting.clear()

    def process_element2(self, value, ctx):
        if self.rate.value() is None:
            self.waiting.add(value[1])
        else:
            yield f"{ctx.get_current_key()} {value[1] * self.rate.value():.1f}"


def test_keyed_co_process_state_is_shared_by_inputs_of_different_types(env):
    rates = ["eur=2.0", "usd=3.0", "gbp=0.5"]  # one rate per currency: any arrival order gives one result
    amounts = [(c, n) for n in range(1, 40) for c in ("eur", "usd", "gbp", "chf")]
    got = collect(env.from_collection(rates, Types.STRING()).connect(env.from_collection(amounts))
                  .key_by(lambda r: r.split("=")[0], lambda a: a[0]).process(LatestRate(), Types.STRING()))
    rate = {r.split("=")[0]: float(r.split("=")[1]) for r in rates}
    assert sorted(got) == sorted(f"{c} {n * rate[c]:.1f}" for c, n in amounts if c in rate)


class CoHeartbeat(KeyedCoProcessFunction):
    """As test_keyed_process's Heartbeat, over two inputs: "a" (input 1) registers a processing-time timer
    50 ms ahead, then "b" takes 300 ms, so the timer is due while the job runs; input 2 counts into the
    key's state, which the timer reads."""

    def open(self, runtime_context):
        self.others = runtime_context.get_state(ValueStateDescriptor("others", Types.LONG()))

    def process_element1(self, value, ctx):
        if value == "a":
            ctx.timer_service().register_processing_time_timer(ctx.timer_service().current_processing_time() + 50)
        else:
            import time
            time.sleep(0.3)
        return []

    def process_element2(self, value, ctx):
        self.others.update((self.others.value() or 0) + value)
        return []

    def on_timer(self, timestamp, ctx):
        assert ctx.time_domain() == TimeDomain.PROCESSING_TIME and ctx.timestamp() is None
        yield f"tick {ctx.get_current_key()}"


def test_keyed_co_process_processing_time_timers_fire_while_the_job_runs(env):
    ticks = (env.from_collection(["a", "b"], Types.STRING())
             .connect(env.from_collection([1, 2, 3], Types.INT()))
             .key_by(lambda x: "k", lambda x: "k").process(CoHeartbeat(), Types.STRING()))
    assert collect(ticks) == ["tick k"]


class SeenAtTimer(KeyedCoProcessFunction):
    """Records (both inputs) go into list state; a timer at 500 reports what had arrived when it fired."""

    def open(self, runtime_context):
        self.seen = runtime_context.get_list_state(ListStateDescriptor("seen", Types.STRING()))

    def process_element1(self, value, ctx):
        self.seen.add(f"L{value}")
        ctx.timer_service().register_event_time_timer(500)
        return []

    def process_element2(self, value, ctx):
        self.seen.add(f"R{value}")
        return []

    def on_timer(self, timestamp, ctx):
        yield timestamp, ctx.timer_service().current_watermark() >= 500, sorted(self.seen.get())


def test_the_watermark_of_connected_streams_is_the_minimum_of_both(env):
    """The timer at 500 fires only when both inputs' watermarks passed it, i.e. after each input's record
    past 500 (records travel ahead of the watermarks they precede): it sees all four records."""
    strategy = WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(lambda v, _: v)
    left = env.from_collection([10, 600], Types.LONG()).assign_timestamps_and_watermarks(strategy)
    right = env.from_collection([100, 700], Types.LONG()).assign_timestamps_and_watermarks(strategy)
    got = collect(left.connect(right).key_by(lambda v: 0, lambda v: 0).process(SeenAtTimer()))
    assert got == [(500, True, ["L10", "L600", "R100", "R700"])]


# ---- partition_custom
class Skewed(Partitioner):
    def partition(self, key, num_partitions):
        return (key * 7 + 3) % num_partitions


class WhereAmI(MapFunction):
    def open(self, runtime_context):
        self.index = runtime_context.get_index_of_this_subtask()
        self.parallelism = runtime_context.get_number_of_parallel_subtasks()

    def map(self, value):
        return value, self.index, self.parallelism


def test_partition_custom_routes_each_record_to_the_partition_its_partitioner_chooses(env, parallelism):
    values = list(range(500))
    routed = env.from_collection(values, Types.INT()).partition_custom(Skewed(), lambda v: v // 3).map(WhereAmI())
    got = collect(routed)
    assert sorted(got) == [(v, (v // 3 * 7 + 3) % parallelism, parallelism) for v in values]


def test_partition_custom_partitions_over_the_next_operators_parallelism(env):
    values = [f"k{i}" for i in range(90)]
    routed = (env.from_collection(values, Types.STRING()).map(lambda s: s + "!", Types.STRING())
              .partition_custom(lambda key, n: int(key[1:-1]) % n, lambda s: s)
              .map(WhereAmI()).set_parallelism(3))
    got = collect(routed)
    assert sorted(got) == sorted((f"{v}!", int(v[1:]) % 3, 3) for v in values)


class OutOfRange(Partitioner):
    def partition(self, key, num_partitions):
        return num_partitions if key == 4 else 0


def test_a_partition_out_of_range_fails_naming_the_partitioner(env, parallelism):
    routed = env.from_collection(list(range(10)), Types.INT()).partition_custom(OutOfRange(), lambda v: v)
    with pytest.raises(PythonFunctionError) as info:
        collect(routed.map(lambda v: v))
    message = str(info.value)
    assert "OutOfRange" in message and f"returned {parallelism} for key 4" in message
    assert f"[0, {parallelism})" in message and "Custom Partition" in message


# ---- errors
class Join(KeyedCoProcessFunction):
    def process_element1(self, value, ctx):
        yield value

    def process_element2(self, value, ctx):
        yield value


class Plain(KeyedProcessFunction):
    def process_element(self, value, ctx):
        yield value


def test_keyed_co_process_function_needs_two_keyed_streams(env):
    a = env.from_collection([1, 2], Types.INT())
    b = env.from_collection([3], Types.INT())
    assert isinstance(a.connect(b), ConnectedStreams)
    for connected in (a.connect(b), a.key_by(lambda x: x).connect(b), a.connect(b.key_by(lambda x: x))):
        with pytest.raises(PlanError, match="KeyedCoProcessFunction can only be used when both input streams are keyed"):
            connected.process(Join())


def test_connected_streams_refuse_the_wrong_function_class(env):
    connected = env.from_collection([1], Types.INT()).connect(env.from_collection(["a"], Types.STRING()))
    with pytest.raises(TypeError, match=r"process\(\) expects a CoProcessFunction or a KeyedCoProcessFunction, got a Plain"):
        connected.process(Plain())
    with pytest.raises(TypeError, match=r"map\(\) expects a CoMapFunction"):
        connected.map(lambda x: x)
    with pytest.raises(TypeError, match=r"flat_map\(\) expects a CoFlatMapFunction"):
        connected.flat_map(Describe())
    with pytest.raises(TypeError, match=r"connect\(\) expects a DataStream"):
        env.from_collection([1]).connect([2])


class StatefulOnNonKeyed(CoProcessFunction):
    def open(self, runtime_context):
        self.seen = runtime_context.get_state(ValueStateDescriptor("seen", Types.LONG()))

    def process_element1(self, value, ctx):
        self.seen.update(value)
        yield value

    def process_element2(self, value, ctx):
        yield value


def test_state_in_a_co_process_on_non_keyed_streams_is_a_clear_error(env):
    connected = env.from_collection([1], Types.INT()).connect(env.from_collection([2], Types.INT()))
    with pytest.raises(PythonFunctionError) as info:
        collect(connected.process(StatefulOnNonKeyed()))
    assert "keyed state need keyed streams" in str(info.value) and "StatefulOnNonKeyed" in str(info.value)
    assert "key_by" in str(info.value)


def test_partition_custom_feeding_operators_of_different_parallelism_is_refused(env):
    routed = env.from_collection(list(range(10)), Types.INT()).partition_custom(lambda k, n: 0, lambda v: v)
    routed.map(lambda v: v).set_parallelism(3).print()
    with pytest.raises(PlanError, match=r"partition_custom feeds operators of different parallelism"):
        collect(routed.map(lambda v: v).set_parallelism(1))


def test_partition_custom_refuses_what_is_not_a_partitioner_or_key_selector(env):
    ds = env.from_collection([1], Types.INT())
    with pytest.raises(TypeError, match="expects a Partitioner or a callable"):
        ds.partition_custom(3, lambda v: v)
    with pytest.raises(TypeError, match="expects a KeySelector or a callable"):
        ds.partition_custom(Skewed(), "field")


class StatefulMap(MapFunction):
    def open(self, runtime_context):
        self.n = runtime_context.get_state(ValueStateDescriptor("n", Types.LONG()))

    def map(self, value):
        return value


def test_keyed_state_in_open_of_a_plain_map_is_a_clear_error(env):
    with pytest.raises(PythonFunctionError) as info:
        collect(env.from_collection([1, 2], Types.INT()).map(StatefulMap()))
    assert "keyed state ('n') needs a keyed stream" in str(info.value) and "Map" in str(info.value)


def test_connect_plan_nodes(env):
    a = env.from_collection([1], Types.INT())
    b = env.from_collection(["x"], Types.STRING())
    plain = a.connect(b).map(Describe(), Types.STRING())
    keyed = a.connect(b).key_by(str, str).process(Join())
    assert (plain.get_name(), plain._node.kind, plain._node.fields["keyed"]) == ("Co-Map", "python.co_process", False)
    assert (keyed.get_name(), keyed._node.fields["keyed"]) == ("Keyed Co-Process", True)
    assert [n.kind for n in keyed._node.inputs] == ["key_by", "key_by"]
