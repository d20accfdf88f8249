"""StateTtlConfig for Python keyed state, through the real engine and workers in both modes at p1/p2.

Each check runs in a processing-time timer and emits the time it ran (the call's processing time, the TTL
clock); the expected visibility is computed here from those times with Flink's rule (alive while
``now - last access < ttl``), so a timer that fires late on a loaded machine changes the expectation, never
the verdict. Where the margins make the outcome certain (a check 3 s after a 1 s TTL), it is asserted too.

Nothing here assumes the machine keeps pace: the source stays open until every key's last check has run (a
done file per key, waited for with a generous deadline), since processing-time timers still pending at the end
of input are dropped; two checks that must see separate calls are chained, the second registered by the first.
"""
import os
import time

import pytest

from pyflow.common import Types
from pyflow.common.time import Time
from pyflow.datastream import KeyedProcessFunction, SourceFunction
from pyflow.datastream.functions import AggregateFunction
from pyflow.datastream.state import (AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor,
                                     ReducingStateDescriptor, StateTtlConfig, ValueStateDescriptor)

TTL_MS = 1000
DONE_WAIT_SECONDS = 120  # how long the source waits for the checks; a machine slower than this fails the test


def _ttl(update=StateTtlConfig.UpdateType.OnCreateAndWrite,
         visibility=StateTtlConfig.StateVisibility.NeverReturnExpired, ttl_ms=TTL_MS):
    return (StateTtlConfig.new_builder(Time.milliseconds(ttl_ms)).set_update_type(update)
            .set_state_visibility(visibility)
            .set_ttl_time_characteristic(StateTtlConfig.TtlTimeCharacteristic.ProcessingTime)
            .cleanup_full_snapshot().cleanup_incrementally(10, False).build())


def _with_ttl(descriptor, config):
    descriptor.enable_time_to_live(config)
    return descriptor


class Average(AggregateFunction):
    def create_accumulator(self):
        return [0, 0]

    def add(self, value, acc):
        return [acc[0] + value, acc[1] + 1]

    def get_result(self, acc):
        return acc[0] / acc[1]

    def merge(self, a, b):
        return [a[0] + b[0], a[1] + b[1]]


class KeysUntilDone(SourceFunction):
    """Emits each key once, then stays open until every key's function wrote its done file (bounded)."""

    def __init__(self, keys, done_dir):
        self.keys, self.done_dir, self.running = keys, done_dir, True

    def run(self, ctx):
        for key in self.keys:
            ctx.collect(key)
        deadline = time.monotonic() + DONE_WAIT_SECONDS
        while self.running and time.monotonic() < deadline and len(os.listdir(self.done_dir)) < len(self.keys):
            time.sleep(0.05)

    def cancel(self):
        self.running = False


def _done(done_dir, key):
    """Marks ``key``'s last check as run: the source may end the input."""
    open(os.path.join(done_dir, str(key)), "w").close()


def _run(env, fn, keys, done_dir):
    """The function over one record per key, in a stream that stays open until ``fn`` marked every key done."""
    stream = env.add_source(KeysUntilDone(keys, str(done_dir)), "keys", type_info=Types.STRING())
    return list(stream.key_by(lambda k: k).process(fn).execute_and_collect())


class EveryKind(KeyedProcessFunction):
    """Writes every kind of state at the record (time w), more at w+1.5 s (time s), checks at w+0.2 s,
    w+2.2 s and w+3.5 s."""

    def __init__(self, done_dir):
        self.done_dir = str(done_dir)

    def open(self, ctx):
        config = _ttl()
        self.value = ctx.get_state(_with_ttl(ValueStateDescriptor("value", None), config))
        self.list = ctx.get_list_state(_with_ttl(ListStateDescriptor("list", None), config))
        self.map = ctx.get_map_state(_with_ttl(MapStateDescriptor("map", None, None), config))
        self.sum = ctx.get_reducing_state(_with_ttl(ReducingStateDescriptor("sum", lambda a, b: a + b), config))
        self.avg = ctx.get_aggregating_state(_with_ttl(AggregatingStateDescriptor("avg", Average()), config))
        self.times = ctx.get_state(ValueStateDescriptor("times", None))  # no TTL: [w, s]

    def process_element(self, key, ctx):
        now = ctx.timer_service().current_processing_time()
        self.value.update(f"{key}-v")
        self.list.add("e1")
        self.map.put("m1", 1)
        self.sum.add(10)
        self.avg.add(4)
        self.times.update([now, None])
        for delay in (200, 1500, 2200, 3500):
            ctx.timer_service().register_processing_time_timer(now + delay)

    def on_timer(self, timestamp, ctx):
        now = ctx.timer_service().current_processing_time()
        w, s = self.times.value()
        assert now >= timestamp
        if timestamp == w + 1500:
            self.list.add("e2")
            self.map.put("m2", 2)
            self.sum.add(100)
            self.avg.add(8)
            self.times.update([w, now])
            return
        if timestamp == w + 3500:
            _done(self.done_dir, ctx.get_current_key())
        yield (ctx.get_current_key(), timestamp - w, now, w, s, self.value.value(), self.list.get(),
               sorted(self.map.items()), self.sum.get(), self.avg.get())


def _expected_every_kind(key, now, w, s):
    first = now - w < TTL_MS
    second = s is not None and now - s < TTL_MS
    value = f"{key}-v" if first else None
    lst = (["e1"] if first else []) + (["e2"] if second else [])
    entries = ([("m1", 1)] if first else []) + ([("m2", 2)] if second else [])
    if second:
        # the second add found the first value expired (1.5 s > ttl), so it started over
        total, avg = 100, 8.0
    elif first:
        total, avg = 10, 4.0
    else:
        total, avg = None, None
    return value, lst, entries, total, avg


def test_ttl_expires_values_elements_entries_and_aggregates(env, tmp_path):
    out = _run(env, EveryKind(tmp_path), ["a", "b"], tmp_path)
    assert sorted((k, d) for k, d, *_ in out) == [(k, d) for k in "ab" for d in (200, 2200, 3500)]
    for key, delay, now, w, s, *observed in out:
        assert tuple(observed) == _expected_every_kind(key, now, w, s), (key, delay, now - w, s and now - s)
        if delay == 3500:
            assert observed == [None, [], [], None, None]  # 2 s after the last write of a 1 s TTL: all gone
    early = [o for o in out if o[1] == 200]
    # the check 0.2 s after the write sees everything unless its timer ran more than 0.8 s late
    assert all(o[5] is not None for o in early if o[2] - o[3] < TTL_MS)


class Refresh(KeyedProcessFunction):
    """Two values written at w, one renewed by reads (OnReadAndWrite), one not; read every 0.3 s, READS times.

    Renewal shows only if no read comes a whole TTL after the one before; a machine that stalls a timer that
    long breaks the chain (the read then finds the value expired, as it must). The function then writes both
    values again and starts a new epoch of reads, at most EPOCHS times, so a stall costs a retry, not a verdict:
    every read of every epoch is still checked."""

    def __init__(self, done_dir):
        self.done_dir = str(done_dir)

    def open(self, ctx):
        self.read_write = ctx.get_state(_with_ttl(
            ValueStateDescriptor("rw", None),
            _ttl(update=StateTtlConfig.UpdateType.OnReadAndWrite, ttl_ms=REFRESH_TTL_MS)))
        self.create_write = ctx.get_state(_with_ttl(ValueStateDescriptor("cw", None), _ttl(ttl_ms=REFRESH_TTL_MS)))
        self.epoch = ctx.get_state(ValueStateDescriptor("epoch", None))  # no TTL: [epoch, written, reads, last]

    def _write(self, ctx, epoch, now):
        self.read_write.update("rw")
        self.create_write.update("cw")
        self.epoch.update([epoch, now, 0, now])
        ctx.timer_service().register_processing_time_timer(now + 300)

    def process_element(self, key, ctx):
        self._write(ctx, 0, ctx.timer_service().current_processing_time())

    def on_timer(self, timestamp, ctx):
        now = ctx.timer_service().current_processing_time()
        epoch, written, n, last = self.epoch.value()
        n += 1
        yield ctx.get_current_key(), epoch, n, now, written, self.read_write.value(), self.create_write.value()
        if now - last >= REFRESH_TTL_MS and epoch + 1 < EPOCHS:
            self._write(ctx, epoch + 1, now)  # stalled a whole TTL: the chain broke, start over
        elif n < READS:
            self.epoch.update([epoch, written, n, now])
            ctx.timer_service().register_processing_time_timer(now + 300)
        else:
            _done(self.done_dir, ctx.get_current_key())


REFRESH_TTL_MS, READS, EPOCHS = 2000, 15, 5  # reads every 0.3 s for 4.5 s: past twice the TTL


def test_on_read_and_write_renews_on_every_read(env, tmp_path):
    out = sorted(_run(env, Refresh(tmp_path), ["k"], tmp_path))
    epochs = sorted({e for _, e, *_ in out})
    assert epochs == list(range(len(epochs))), out
    for epoch in epochs:
        reads = [r for r in out if r[1] == epoch]
        assert [n for _, _, n, *_ in reads] == list(range(1, len(reads) + 1))
        written = reads[0][4]
        last_access, rw_alive = written, True
        for _, _, n, now, _, rw, cw in reads:
            rw_alive = rw_alive and now - last_access < REFRESH_TTL_MS
            if rw_alive:
                last_access = now
            assert rw == ("rw" if rw_alive else None), (epoch, n, now - written)
            assert cw == ("cw" if now - written < REFRESH_TTL_MS else None), (epoch, n, now - written)
        if epoch < epochs[-1]:
            assert reads[-1][5] is None, reads  # an epoch ends early only when its chain broke
    final = [r for r in out if r[1] == epochs[-1]]
    assert len(final) == READS, f"every one of {EPOCHS} epochs stalled a whole TTL: {out}"
    assert final[-1][3] - final[0][4] >= 2 * REFRESH_TTL_MS  # the reads went on across twice the TTL
    assert final[-1][6] is None  # never renewed: expired
    assert final[-1][5] == "rw"  # renewed by the reads (every 0.3 s): still there after 2 x TTL


class Visibility(KeyedProcessFunction):
    """ReturnExpiredIfNotCleanedUp: key "keep" leaves its expired value stored until read; key "write" writes
    another state at w+2 s, which drops the expired value from the key's stored state. The reads run 1 s later
    in a timer the first one registers, so they never share its call (the stored state is written back, and
    cleaned, when a call ends)."""

    def __init__(self, done_dir):
        self.done_dir = str(done_dir)

    def open(self, ctx):
        self.value = ctx.get_state(_with_ttl(
            ValueStateDescriptor("v", None),
            _ttl(visibility=StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp)))
        self.other = ctx.get_state(ValueStateDescriptor("other", None))
        self.written = ctx.get_state(ValueStateDescriptor("written", None))

    def process_element(self, key, ctx):
        now = ctx.timer_service().current_processing_time()
        self.value.update(f"{key}-value")
        self.written.update(now)
        ctx.timer_service().register_processing_time_timer(now + 2000)

    def on_timer(self, timestamp, ctx):
        if timestamp == self.written.value() + 2000:
            if ctx.get_current_key() == "write":
                self.other.update("touched")
            ctx.timer_service().register_processing_time_timer(timestamp + 1000)
            return
        _done(self.done_dir, ctx.get_current_key())
        yield ctx.get_current_key(), self.value.value(), self.value.value()


def test_expired_state_is_returned_until_cleaned_up_and_dropped_when_the_key_is_written(env, tmp_path):
    out = sorted(_run(env, Visibility(tmp_path), ["keep", "write"], tmp_path))
    assert out == [("keep", "keep-value", None),  # returned once, cleaned up by that read
                   ("write", None, None)]  # dropped from the stored state when the key's state was written


def test_ttl_config_builder_and_getters():
    config = (StateTtlConfig.new_builder(Time.seconds(7))
              .update_ttl_on_read_and_write().return_expired_if_not_cleaned_up().use_processing_time()
              .cleanup_incrementally(5, True).cleanup_in_rocksdb_compact_filter(1000)
              .disable_cleanup_in_background().build())
    assert config.get_ttl().to_milliseconds() == 7000 and config.is_enabled()
    assert config.get_update_type() is StateTtlConfig.UpdateType.OnReadAndWrite
    assert config.get_state_visibility() is StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp
    assert config.get_ttl_time_characteristic() is StateTtlConfig.TtlTimeCharacteristic.ProcessingTime
    strategies = config.get_cleanup_strategies()
    assert not strategies.is_cleanup_in_background() and not strategies.in_full_snapshot()
    assert strategies.get_incremental_cleanup_strategy().get_cleanup_size() == 5
    assert strategies.get_rocksdb_compact_filter_cleanup_strategy().get_query_time_after_num_entries() == 1000
    default = StateTtlConfig.new_builder(Time.milliseconds(10)).build()
    assert default.get_update_type() is StateTtlConfig.UpdateType.OnCreateAndWrite
    assert default.get_state_visibility() is StateTtlConfig.StateVisibility.NeverReturnExpired
    assert default.get_cleanup_strategies().is_cleanup_in_background()
    with pytest.raises(TypeError, match="Time or Duration"):
        StateTtlConfig.new_builder(5)
    with pytest.raises(TypeError, match="StateTtlConfig"):
        ValueStateDescriptor("v", None).enable_time_to_live("1s")
