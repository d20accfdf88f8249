"""Python state across a restart, in both execution modes, at parallelism 1 and 2, with both state backends:
a KeyedProcessFunction's value state and event-time timers, and a keyed reduce's accumulators, restored from
a checkpoint after an exception injected on the first attempt only. Results are collected exactly-once and
checked against plain Python."""
import pytest

from checkpoint_jobs import FailOnce
from test_checkpoint_recovery import arrivals_per_key

from pyflow.common import RestartStrategies, Types, WatermarkStrategy
from pyflow.datastream import (EmbeddedRocksDBStateBackend, HashMapStateBackend, KeyedCoProcessFunction,
                               KeyedProcessFunction)
from pyflow.datastream.connectors import DataGeneratorSource
from pyflow.datastream.state import ValueStateDescriptor

COUNT, KEYS, TIMER_DELAY = 2000, 11, 500
EVENT = Types.TUPLE([Types.INT(), Types.LONG(), Types.LONG()])


def keyed_event(i):
    return (i % KEYS, i, i)


class RunningSumWithTimers(KeyedProcessFunction):
    """Per record: the key's running sum (value state). Per record also an event-time timer TIMER_DELAY later,
    which reports itself: timers registered before the checkpoint must fire after the restore."""

    def open(self, runtime_context):
        self.sum = runtime_context.get_state(ValueStateDescriptor("sum", Types.LONG()))

    def process_element(self, value, ctx):
        total = (self.sum.value() or 0) + value[2]
        self.sum.update(total)
        ctx.timer_service().register_event_time_timer(value[1] + TIMER_DELAY)
        yield ("sum", value[0], total)

    def on_timer(self, timestamp, ctx):
        yield ("timer", ctx.get_current_key(), timestamp)


def checkpointed(env, tmp_path, backend):
    if backend == "rocksdb":
        rocksdb = EmbeddedRocksDBStateBackend()
        rocksdb.set_db_storage_paths(str(tmp_path / "rocksdb"))
        env.set_state_backend(rocksdb)
    else:
        env.set_state_backend(HashMapStateBackend())
    env.enable_checkpointing(100).get_checkpoint_config().set_checkpoint_storage_dir(str(tmp_path / "ck"))
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, 50))
    source = DataGeneratorSource(keyed_event, count=COUNT, records_per_second=2000, output_type=EVENT)
    failing = FailOnce(at=COUNT * 3 // 4, marker=str(tmp_path / "failed-once"))
    return env.from_source(source, WatermarkStrategy.for_monotonous_timestamps()
                           .with_timestamp_assigner(lambda e, _: e[1]), "events").map(failing, output_type=EVENT)


def values_per_key():
    per_key = {}
    for i in range(COUNT):
        k, _, v = keyed_event(i)
        per_key.setdefault(k, []).append(v)
    return {k: sorted(v) for k, v in per_key.items()}


def assert_restarted_from_a_checkpoint(tmp_path, err):
    assert (tmp_path / "failed-once").exists(), "the injected failure never ran: the test would prove nothing"
    assert "restart 1" in err and "from checkpoint" in err, err


@pytest.mark.parametrize("backend", ["hashmap", "rocksdb"])
def test_keyed_process_state_and_timers_survive_a_restart(env, tmp_path, capfd, backend):
    stream = checkpointed(env, tmp_path, backend).key_by(lambda e: e[0]).process(RunningSumWithTimers())
    with stream.execute_and_collect() as results:
        seen = list(results)
    assert_restarted_from_a_checkpoint(tmp_path, capfd.readouterr().err)
    sums = [(k, total) for kind, k, total in seen if kind == "sum"]
    timers = sorted((k, t) for kind, k, t in seen if kind == "timer")
    assert len(sums) == COUNT and arrivals_per_key(sums) == values_per_key()
    assert timers == sorted((i % KEYS, i + TIMER_DELAY) for i in range(COUNT))


@pytest.mark.parametrize("backend", ["hashmap", "rocksdb"])
def test_keyed_reduce_accumulators_survive_a_restart(env, tmp_path, capfd, backend):
    stream = (checkpointed(env, tmp_path, backend).map(lambda e: (e[0], e[2]), output_type=Types.TUPLE([Types.INT(), Types.LONG()]))
              .key_by(lambda e: e[0]).reduce(lambda a, b: (a[0], a[1] + b[1])))
    with stream.execute_and_collect() as results:
        seen = list(results)
    assert_restarted_from_a_checkpoint(tmp_path, capfd.readouterr().err)
    assert len(seen) == COUNT and arrivals_per_key(seen) == values_per_key()


class ChunkedFailOnce(FailOnce):
    """Fails once at record ``at`` (in chunk 3), after a checkpoint taken between two chunks (10,000 records
    each, one source poll each) has completed, whatever the machine's pace.

    A checkpoint is taken at the source's first safe point (between two polls) after its trigger, and waits
    there for every batch at this map; so a wait here for a completed checkpoint must not hold a batch that
    checkpoint waits for. The first record waits until a checkpoint is triggered: the source, at most two
    batches ahead of this map, is then at most in its poll of chunk 2, so the checkpoint is taken after chunk 0,
    1 or 2 (never before chunk 0 ends: the first record is not read again). Chunk 3's first record then waits
    until it has completed, which needs nothing from chunk 3, and until the newest completed checkpoint is
    0.3 s old: results are released by mail the sinks run right after a completion, and a failure
    before that mail loses them (held results live only in memory; the held-results work makes them survive),
    a separate race this test is not about. While this map waits only checkpoints already past it complete, so the
    wait ends. Waits are bounded; other chunks pause briefly, so more checkpoints fall between them."""

    def __init__(self, at: int, marker: str, checkpoints: str):
        super().__init__(at, marker)
        self.checkpoints = checkpoints

    def _wait_for(self, condition, what):
        import time
        deadline = time.monotonic() + 60
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} in {self.checkpoints} within 60 s")
            time.sleep(0.02)

    def _names(self):
        import os
        return os.listdir(self.checkpoints) if os.path.isdir(self.checkpoints) else []

    def _quiet(self):
        import os
        import time
        done = sorted((n for n in self._names() if n.startswith("chk-")), key=lambda n: int(n[4:]))
        try:
            return bool(done) and time.time() - os.stat(os.path.join(self.checkpoints, done[-1])).st_mtime >= 0.3
        except FileNotFoundError:  # replaced by a newer one meanwhile
            return False

    def __call__(self, e):
        if e[1] == 0:
            with open(self.marker + ".first-record", "a") as f:
                f.write("seen\n")
            self._wait_for(lambda: any(n.startswith((".chk-", "chk-")) for n in self._names()),
                           "checkpoint triggered")
        elif e[1] == 30_000:
            self._wait_for(self._quiet, "completed checkpoint, 0.3 s old")
        elif e[1] % 10_000 == 0:
            import time
            time.sleep(0.1)
        return super().__call__(e)


def test_collection_source_rewinds_to_its_checkpoint(env, tmp_path, capfd):
    count = 50_000
    env.enable_checkpointing(50).get_checkpoint_config().set_checkpoint_storage_dir(str(tmp_path / "ck"))
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, 50))
    failing = ChunkedFailOnce(at=35_123, marker=str(tmp_path / "failed-once"), checkpoints=str(tmp_path / "ck"))
    stream = (env.from_collection([(i % 5, i, i) for i in range(count)], type_info=EVENT)
              .map(failing, output_type=EVENT).set_parallelism(1)
              .map(lambda e: (e[0], e[2]), output_type=Types.TUPLE([Types.INT(), Types.LONG()]))
              .key_by(lambda e: e[0]).reduce(lambda a, b: (a[0], a[1] + b[1])))
    with stream.execute_and_collect() as results:
        seen = list(results)
    assert_restarted_from_a_checkpoint(tmp_path, capfd.readouterr().err)
    # The restart resumed after the first chunk: its first record was not read again.
    assert (tmp_path / "failed-once.first-record").read_text() == "seen\n"
    expected = {}
    for i in range(count):
        expected.setdefault(i % 5, []).append(i)
    assert len(seen) == count and arrivals_per_key(seen) == expected


class SharedRunningSum(KeyedCoProcessFunction):
    """Both inputs add to one running sum per key (value state shared by the inputs)."""

    def open(self, runtime_context):
        self.sum = runtime_context.get_state(ValueStateDescriptor("sum", Types.LONG()))

    def _add(self, value):
        total = (self.sum.value() or 0) + value[1]
        self.sum.update(total)
        return value[0], total

    def process_element1(self, value, ctx):
        yield self._add(value)

    def process_element2(self, value, ctx):
        yield self._add(value)


def left_event(i):
    return (i % 5, i)


def right_event(i):
    return (i % 5, 100_000 + i)


def test_keyed_co_process_state_survives_a_restart(env, tmp_path, capfd):
    pair = Types.TUPLE([Types.INT(), Types.LONG()])
    env.enable_checkpointing(100).get_checkpoint_config().set_checkpoint_storage_dir(str(tmp_path / "ck"))
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, 50))
    count = 1500
    left = env.from_source(DataGeneratorSource(left_event, count=count, records_per_second=1500, output_type=pair),
                           WatermarkStrategy.no_watermarks(), "left")
    left = left.map(FailOnce(at=count * 2 // 3, marker=str(tmp_path / "failed-once")), output_type=pair)
    right = env.from_source(DataGeneratorSource(right_event, count=count, records_per_second=1500, output_type=pair),
                            WatermarkStrategy.no_watermarks(), "right")
    sums = left.key_by(lambda e: e[0]).connect(right.key_by(lambda e: e[0])).process(SharedRunningSum())
    with sums.execute_and_collect() as results:
        seen = list(results)
    assert_restarted_from_a_checkpoint(tmp_path, capfd.readouterr().err)
    expected = {}
    for i in range(count):
        for k, v in (left_event(i), right_event(i)):
            expected.setdefault(k, []).append(v)
    assert len(seen) == 2 * count and arrivals_per_key(seen) == {k: sorted(v) for k, v in expected.items()}
