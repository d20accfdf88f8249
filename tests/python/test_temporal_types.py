"""Dates, times, instants, BIG_DEC and PRIMITIVE_ARRAY through real jobs (both execution modes, parallelism 1
and 2): from_collection -> map -> key_by on such a key -> reduce / window -> execute_and_collect, with the
Python types PyFlink gives back; values that do not fit refused with the type and the value."""
import collections
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from pyflow._protocol.keys import canonical_key, decode_key
from pyflow.common import Duration, Instant, Row, Time, Types, WatermarkStrategy
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.datastream.window import TumblingEventTimeWindows
from pyflow.errors import PlanError, PythonFunctionError

FIELDS = ["day", "at", "opened", "stamp", "when", "amount", "counts", "weights", "flags"]
SALE = Types.ROW_NAMED(FIELDS, [Types.SQL_DATE(), Types.SQL_TIME(), Types.LOCAL_TIME(), Types.LOCAL_DATE_TIME(),
                                Types.INSTANT(), Types.BIG_DEC(), Types.PRIMITIVE_ARRAY(Types.INT()),
                                Types.PRIMITIVE_ARRAY(Types.DOUBLE()), Types.PRIMITIVE_ARRAY(Types.BOOLEAN())])


def sale(i: int) -> Row:
    return Row(day=dt.date(2024, 2, 27 + i % 3), at=dt.time(9 + i % 2, 30, 0, (i % 4) * 1000),
               opened=None if i % 5 == 0 else dt.time(8, 0, 0, i), stamp=dt.datetime(2024, 2, 27, 12, 0, 0, i),
               when=Instant(1_700_000_000 + i, (i % 7) * 1000), amount=Decimal(f"{i}.{i:02d}") * (-1 if i % 6 == 0 else 1),
               counts=np.array([i, -i], dtype=np.int32) if i % 2 else [i], weights=[i / 4], flags=[i % 2 == 0])


SALES = [sale(i) for i in range(24)]


def bump(r: Row) -> Row:
    return Row(day=r.day, at=r.at, opened=r.opened, stamp=r.stamp, when=r.when, amount=r.amount + Decimal("0.001"),
               counts=np.asarray(r.counts, dtype=np.int64) * 2, weights=r.weights, flags=r.flags)


def merge(a: Row, b: Row) -> Row:
    return Row(day=a.day, at=max(a.at, b.at), opened=b.opened, stamp=max(a.stamp, b.stamp), when=max(a.when, b.when),
               amount=a.amount + b.amount, counts=a.counts + b.counts, weights=[a.weights[0] + b.weights[0]],
               flags=a.flags + b.flags)


def test_a_row_of_every_type_through_map_key_by_date_and_reduce(env):
    got = env.from_collection(SALES, type_info=SALE).map(bump, output_type=SALE).key_by(lambda r: r.day).reduce(merge).collect()
    assert len(got) == len(SALES)
    expected = {}
    for r in map(bump, SALES):
        r = Row(**{**r.as_dict(), "counts": [int(c) for c in r.counts]})
        expected[r.day] = r if r.day not in expected else merge(expected[r.day], r)
    final = {}
    for r in got:
        if len(r.flags) == sum(1 for s in SALES if s.day == r.day):
            final[r.day] = r
    assert final == expected
    r = got[0]
    assert type(r.day) is dt.date and type(r.at) is dt.time and type(r.stamp) is dt.datetime and r.stamp.tzinfo is None
    assert type(r.when) is Instant and type(r.amount) is Decimal and type(r.counts) is list


def test_a_window_keyed_by_time_of_day_sums_decimals_by_instant(env):
    amounts = (env.from_collection(SALES, type_info=SALE)
               .assign_timestamps_and_watermarks(WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(0))
                                                 .with_timestamp_assigner(lambda r, _: r.when.to_epoch_milli()))
               .map(lambda r: Row(at=r.at, amount=r.amount),
                    output_type=Types.ROW_NAMED(["at", "amount"], [Types.SQL_TIME(), Types.BIG_DEC()]))
               .key_by(lambda r: r.at)
               .window(TumblingEventTimeWindows.of(Time.seconds(5)))
               .reduce(lambda a, b: Row(at=a.at, amount=a.amount + b.amount)))
    got = amounts.collect()
    sums = collections.defaultdict(Decimal)
    for s in SALES:
        sums[(s.at, s.when.to_epoch_milli() // 5000)] += s.amount
    assert sorted((r.at, r.amount) for r in got) == sorted((at, v) for (at, _), v in sums.items())


def test_flat_decimal_and_instant_streams_key_by_value(env):
    values = [Decimal("1.5"), Decimal("1.50"), Decimal("-2"), Decimal("0.000000000000000001"), Decimal("1.5")]
    got = (env.from_collection(values, type_info=Types.BIG_DEC())
           .map(lambda d: d * 2, output_type=Types.BIG_DEC()).key_by(lambda d: d).reduce(lambda a, b: a + b).collect())
    # 1.5 and 1.50 are one key (Decimal equality): its rolling sums are 3, 6, 9 in any arrival order
    assert collections.Counter(got) == collections.Counter([Decimal(3), Decimal(6), Decimal(9), Decimal(-4),
                                                            Decimal("0.000000000000000002")])

    instants = [Instant(-1, 999_999_000), Instant(0, 0), Instant(253402300799, 998_000_000)]
    shifted = (env.from_collection(instants, type_info=Types.INSTANT())
               .map(lambda i: Instant.of_epoch_milli(i.to_epoch_milli() + 1), output_type=Types.INSTANT())).collect()
    assert sorted(shifted) == sorted(Instant.of_epoch_milli(i.to_epoch_milli() + 1) for i in instants)


NESTED = Types.ROW_NAMED(["days", "seen", "prices", "times"],
                         [Types.LIST(Types.LOCAL_DATE()), Types.MAP(Types.STRING(), Types.INSTANT()),
                          Types.MAP(Types.SQL_DATE(), Types.BIG_DEC()), Types.TUPLE([Types.LOCAL_TIME(), Types.SQL_TIME()])])


def test_nested_lists_maps_and_tuples_of_the_new_types_with_nulls(env):
    rows = [Row(days=[dt.date(2024, 1, i + 1), None], seen={"a": Instant(i, 2000), "b": None},
                prices={dt.date(2024, 3, 1): Decimal(i) / 4, dt.date(1, 1, 1): None},
                times=(dt.time(i, 0, 0, 7), None)) for i in range(6)]
    rows += [Row(days=None, seen={}, prices=None, times=None), Row(days=[], seen=None, prices={}, times=(None, None))]
    got = env.from_collection(rows, type_info=NESTED).map(lambda r: r, output_type=NESTED).collect()
    def order(r):  # times differ per row and print the same both ways (decimals come back with 18 places)
        return repr(r.times)
    assert sorted(got, key=order) == sorted(rows, key=order)


@pytest.mark.parametrize("type_info, values, fragment", [
    (Types.BIG_DEC(), [Decimal("1"), Decimal("123456789012345678901")], "has more than 20 digits before the point"),
    (Types.BIG_DEC(), [Decimal("0.0000000000000000001")], "has more than 18 digits after the point"),
    (Types.BIG_DEC(), [0.5], "is a float, which is inexact"),
    (Types.SQL_TIME(), [dt.time(1, 2, 3, 456789)], "has microseconds, but this type holds whole milliseconds"),
    (Types.SQL_DATE(), [dt.datetime(2024, 1, 1)], "is a datetime.datetime, expected a datetime.date"),
    (Types.LOCAL_DATE_TIME(), [dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)], "naive"),
    (Types.INSTANT(), [Instant(0, 1)], "has nanoseconds below a microsecond"),
    (Types.INSTANT(), [Instant(253402300800, 0)], "outside the range INSTANT holds (years 1..9999 UTC)"),
    (Types.INSTANT(), [dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)], "expected a pyflow.common.time.Instant"),
    (Types.PRIMITIVE_ARRAY(Types.INT()), [[1, None]], "element 1: is None; a primitive array holds no nulls"),
    (Types.PRIMITIVE_ARRAY(Types.SHORT()), [np.array([1, 40000])], "element 1: out of range"),
])
def test_a_collection_value_that_does_not_fit_names_type_element_and_reason(type_info, values, fragment):
    with pytest.raises(PlanError) as e:
        StreamExecutionEnvironment.get_execution_environment().from_collection(values, type_info=type_info)
    message = str(e.value)
    assert f"element {len(values) - 1}" in message and repr(type_info) in message and fragment in message


def test_a_function_output_that_does_not_fit_names_type_and_value(process_env):
    bad = process_env.from_collection([1, 2], type_info=Types.INT()).map(
        lambda i: Decimal(i) / 3, output_type=Types.BIG_DEC())
    with pytest.raises(PythonFunctionError) as e:
        bad.collect()
    assert "declared output type BIG_DEC" in str(e.value) and "Decimal('0.3333333333333333333333333333')" in str(e.value)
    assert "more than 18 digits after the point" in str(e.value)


def test_canonical_keys_of_the_new_types_compare_as_python_does():
    paris = dt.timezone(dt.timedelta(hours=1))
    keys = [dt.date(2024, 1, 1), dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1, 1, tzinfo=paris),
            dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), dt.time(1, 2), dt.time(1, 2, 0, 1), Decimal("1.50"), 1.5,
            Decimal("2.000"), 2, Decimal("0.1"), 0.1, Decimal("0.10"), Instant(1, 5000), Instant(1, 5001), Decimal("-0"),
            0, Decimal("1e-30")]
    for a in keys:
        for b in keys:
            assert (a == b) == (canonical_key(a) == canonical_key(b)), (a, b)
    for k in keys:
        assert decode_key(canonical_key(k)) == k
    with pytest.raises(TypeError, match="NaN equals nothing"):
        canonical_key(Decimal("NaN"))


@pytest.mark.parametrize("backend", ["hashmap", "rocksdb"])
def test_decimal_and_instant_accumulators_survive_a_restart(env, tmp_path, capfd, backend):
    """A reduce's accumulators (engine state: PyDecimal references and instant bits) go through the checkpoint
    and back after an injected failure, with both state backends; keys are dates."""
    from test_checkpoint_state import COUNT, assert_restarted_from_a_checkpoint, checkpointed, values_per_key
    from test_checkpoint_recovery import arrivals_per_key
    typed = Types.TUPLE([Types.SQL_DATE(), Types.BIG_DEC(), Types.INSTANT()])
    stream = (checkpointed(env, tmp_path, backend)
              .map(lambda e: (dt.date(2024, 1, 1) + dt.timedelta(days=e[0]), Decimal(e[2]) / 100,
                              Instant.of_epoch_milli(e[1])), output_type=typed)
              .key_by(lambda e: e[0]).reduce(lambda a, b: (a[0], a[1] + b[1], max(a[2], b[2]))))
    with stream.execute_and_collect() as results:
        seen = list(results)
    assert_restarted_from_a_checkpoint(tmp_path, capfd.readouterr().err)
    assert len(seen) == COUNT
    sums = arrivals_per_key([((d - dt.date(2024, 1, 1)).days, total * 100) for d, total, _ in seen])
    assert sums == values_per_key()
    last = {}
    for d, _, at in seen:
        last[d] = max(last.get(d, at), at)
    assert {(d - dt.date(2024, 1, 1)).days: at.to_epoch_milli() for d, at in last.items()} == \
        {k: max(v) for k, v in values_per_key().items()}


def test_type_specs_round_trip_and_instant_is_pyflinks():
    from pyflow.common.typeinfo import _from_spec
    from pyflow.datastream.plan import _type_error
    types = [Types.SQL_DATE(), Types.LOCAL_DATE(), Types.SQL_TIME(), Types.LOCAL_TIME(), Types.LOCAL_DATE_TIME(),
             Types.INSTANT(), Types.BIG_DEC(), Types.PRIMITIVE_ARRAY(Types.BOOLEAN()), Types.PRIMITIVE_ARRAY(Types.SHORT()),
             Types.PRIMITIVE_ARRAY(Types.LONG()), Types.PRIMITIVE_ARRAY(Types.FLOAT()), SALE]
    for t in types:
        assert _from_spec(t._to_spec()) == t and _type_error(t._to_spec()) is None
        assert repr(t).startswith("Types.")
    assert Types.SQL_DATE() != Types.LOCAL_DATE() and Types.SQL_TIME() != Types.LOCAL_TIME()
    assert "PRIMITIVE_ARRAY needs an 'element'" in _type_error({"name": "PRIMITIVE_ARRAY", "element": {"name": "STRING"}})
    assert Instant.of_epoch_milli(-1) == Instant(-1, 999_000_000) and Instant(-1, 999_000_000).to_epoch_milli() == -1
    assert repr(Instant(3, 4)) == "Instant<3, 4>" and hash(Instant(3, 4)) == hash(Instant(3, 4))
    with pytest.raises(ValueError, match="nanos must be in 0..999999999"):
        Instant(0, 1_000_000_000)
    with pytest.raises(TypeError, match="seconds must be an int"):
        Instant(1.5, 0)
