"""KeyedStream.sum/min/max/min_by/max_by: running aggregates per key, emitted per record as reduce does,
with Flink's semantics. Each expected result comes from a plain-Python loop over the records in order."""
import pytest

from pyflow.common import Row, Types
from pyflow.errors import PlanError

RECORDS = [("a", 3, "x1"), ("b", 5, "y1"), ("a", 1, "x2"), ("a", 7, "x3"), ("b", 5, "y2"), ("c", -2, "z1"),
           ("b", 2, "y3"), ("a", 1, "x4"), ("c", 9, "z2"), ("a", 7, "x5")]


def reference(kind, records, field=1):
    """Per record, the key's running aggregate as Flink computes it."""
    acc, out = {}, []
    for r in records:
        k = r[0]
        if k not in acc:
            acc[k] = r
        else:
            a = acc[k]
            if kind == "sum":
                a = a[:field] + (a[field] + r[field],) + a[field + 1:]
            elif kind == "min":
                a = a[:field] + (min(a[field], r[field]),) + a[field + 1:]
            elif kind == "max":
                a = a[:field] + (max(a[field], r[field]),) + a[field + 1:]
            elif kind == "min_by":
                a = a if a[field] <= r[field] else r
            elif kind == "max_by":
                a = a if a[field] >= r[field] else r
            acc[k] = a
        out.append(acc[k])
    return out


@pytest.mark.parametrize("kind", ["sum", "min", "max", "min_by", "max_by"])
def test_tuple_aggregations_by_index(env, kind):
    keyed = env.from_collection(RECORDS).key_by(lambda r: r[0])
    stream = getattr(keyed, kind)(1)
    assert stream.get_name() == "Keyed Aggregation"
    got = sorted(tuple(r) for r in stream.execute_and_collect())
    assert got == sorted(reference(kind, RECORDS))


def test_row_fields_by_name_and_lists_by_index(env):
    rows = [Row(name=k, score=v, tag=t) for k, v, t in RECORDS]
    got = sorted(tuple(r) for r in env.from_collection(rows).key_by(lambda r: r.name).max("score")
                 .execute_and_collect())
    assert got == sorted(reference("max", RECORDS))
    lists = [list(r) for r in RECORDS]
    got = sorted(tuple(r) for r in env.from_collection(lists).key_by(lambda r: r[0]).sum(1).execute_and_collect())
    assert got == sorted(reference("sum", RECORDS))


def test_plain_numbers_with_position_zero(env):
    numbers = [5, -3, 12, 7, 7, 0, 40, -9, 2, 11]
    keyed = env.from_collection(numbers, type_info=Types.LONG()).key_by(lambda x: x % 2)
    got = sorted(keyed.sum().execute_and_collect())
    running, expected = {}, []
    for x in numbers:
        running[x % 2] = running.get(x % 2, 0) + x
        expected.append(running[x % 2])
    assert got == sorted(expected)
    got = sorted(env.from_collection(numbers, type_info=Types.LONG()).key_by(lambda x: x % 2).min_by()
                 .execute_and_collect())
    lowest, expected = {}, []
    for x in numbers:
        lowest[x % 2] = min(lowest.get(x % 2, x), x)
        expected.append(lowest[x % 2])
    assert got == sorted(expected)


def test_bad_positions_are_clear_errors(env):
    keyed = env.from_collection(RECORDS).key_by(lambda r: r[0])
    with pytest.raises(PlanError, match="position"):
        keyed.sum(-1)
    with pytest.raises(PlanError, match="position"):
        keyed.max(1.5)
    from pyflow.errors import PythonFunctionError
    with pytest.raises(PythonFunctionError, match="only 3 fields"):
        list(keyed.sum(5).execute_and_collect())
