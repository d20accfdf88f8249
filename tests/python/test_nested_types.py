"""Nested types (ROW, ROW_NAMED, TUPLE, LIST, MAP) as Arrow columns through real jobs, in both execution
modes at parallelism 1 and 2. Every expected result is computed here in plain Python."""
import collections
import datetime as dt

import pandas as pd
import pytest

from pyflow.common import Duration, Row, Time, Types, WatermarkStrategy
from pyflow.datastream import KeyedProcessFunction, ProcessWindowFunction
from pyflow.datastream.window import TumblingEventTimeWindows
from pyflow.errors import PlanError, PythonFunctionError

ORDER = Types.ROW_NAMED(["user", "count", "total", "tags"],
                        [Types.STRING(), Types.INT(), Types.DOUBLE(), Types.LIST(Types.STRING())])
EVENTS = [("ann", 3.5, "x"), ("bob", 1.0, None), ("ann", 2.0, "y"), ("cid", 9.25, "z"), ("bob", 4.5, "w"),
          ("ann", 0.5, None)] * 7


def as_order(e):
    return Row(user=e[0], count=1, total=e[1], tags=[] if e[2] is None else [e[2]])


def merge(a, b):
    return Row(user=a.user, count=a.count + b.count, total=a.total + b.total, tags=a.tags + b.tags)


def test_row_named_through_map_key_by_reduce(env):
    stream = env.from_collection(EVENTS).map(as_order, output_type=ORDER).key_by(lambda r: r.user).reduce(merge)
    got = stream.collect()
    assert len(got) == len(EVENTS)
    assert all(isinstance(r, Row) and r._fields == ("user", "count", "total", "tags") for r in got)
    final = {r.user: r for r in got if r.count == sum(1 for e in EVENTS if e[0] == r.user)}
    for user in {"ann", "bob", "cid"}:
        mine = [e for e in EVENTS if e[0] == user]
        assert final[user].total == sum(e[1] for e in mine)
        assert sorted(final[user].tags) == sorted(e[2] for e in mine if e[2] is not None)
    # every rolling result is a prefix sum of its key's records: counts 1..n per key, once each
    counts = collections.Counter((r.user, r.count) for r in got)
    assert counts == collections.Counter((u, i) for u in ("ann", "bob", "cid")
                                         for i in range(1, sum(1 for e in EVENTS if e[0] == u) + 1))


def test_a_row_key_compares_by_value(env):
    typed = Types.ROW_NAMED(["user", "late", "n"], [Types.STRING(), Types.BOOLEAN(), Types.LONG()])
    stream = (env.from_collection([(e[0], i) for i, e in enumerate(EVENTS)])
              .map(lambda t: Row(user=t[0], late=t[1] >= 20, n=t[1]), output_type=typed)
              .key_by(lambda r: Row(initial=r.user[0], late=r.late))
              .reduce(lambda a, b: Row(user=a.user, late=a.late, n=a.n + b.n)))
    got = stream.collect()
    sums, counts = collections.defaultdict(int), collections.Counter()
    for i, e in enumerate(EVENTS):
        sums[(e[0], i >= 20)] += i
        counts[(e[0], i >= 20)] += 1
    best = collections.defaultdict(int)
    for r in got:
        best[(r.user, r.late)] = max(best[(r.user, r.late)], r.n)
    assert best == sums  # one rolling sum per key: equal Row keys were never split
    assert collections.Counter((r.user, r.late) for r in got) == counts


TRIPLE = Types.TUPLE([Types.STRING(), Types.LIST(Types.INT()), Types.MAP(Types.STRING(), Types.DOUBLE())])


def triple(i):
    return (None if i % 5 == 0 else f"s{i}",
            None if i % 7 == 0 else [i, None, -i][: i % 4],
            None if i % 6 == 0 else {f"k{j}": (None if j == 1 else j / 2) for j in range(i % 3)})


def test_tuple_list_map_with_nulls_at_every_level(env):
    data = list(range(200))
    got = env.from_collection(data, type_info=Types.INT()).map(triple, output_type=TRIPLE).collect()
    assert all(type(t) is tuple for t in got)
    assert sorted(got, key=repr) == sorted((triple(i) for i in data), key=repr)


def test_from_collection_with_a_nested_type_and_filter_flat_map(env):
    typed = Types.ROW([Types.LONG(), Types.MAP(Types.STRING(), Types.LIST(Types.ROW_NAMED(["a"], [Types.BOOLEAN()])))])
    rows = [Row(i, {"p": [Row(a=i % 2 == 0), None]} if i % 3 else {}) for i in range(50)]
    stream = (env.from_collection(rows, type_info=typed)
              .filter(lambda r: r[0] % 4 != 1)
              .flat_map(lambda r: [r, r] if r[1] else [r], output_type=typed))
    got = stream.collect()
    expected = [r for r in rows if r[0] % 4 != 1 for _ in range(2 if r[1] else 1)]
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    inner = next(r for r in got if r[1])[1]["p"][0]
    assert isinstance(inner, Row) and inner._fields == ("a",)


READING = Types.ROW_NAMED(["sensor", "ts", "value"], [Types.STRING(), Types.LONG(), Types.DOUBLE()])
READINGS = [Row(sensor=s, ts=ts, value=v) for s, ts, v in
            [("a", 1, 1.5), ("b", 3, 10.0), ("a", 12, 2.0), ("a", 7, 4.0), ("b", 15, 20.0), ("b", 25, 40.0),
             ("c", 31, 5.0), ("a", 30, 16.0)]]
SUMMARY = Types.ROW_NAMED(["sensor", "start", "values", "by_ts"],
                          [Types.STRING(), Types.LONG(), Types.LIST(Types.DOUBLE()), Types.MAP(Types.LONG(), Types.DOUBLE())])


class Summarise(ProcessWindowFunction):
    def process(self, key, context, elements):
        yield Row(sensor=key, start=context.window().start, values=sorted(e.value for e in elements),
                  by_ts={e.ts: e.value for e in elements})


def windowed(env):
    return (env.from_collection(READINGS, type_info=READING)
            .assign_timestamps_and_watermarks(WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(100))
                                              .with_timestamp_assigner(lambda r, _: r.ts))
            .key_by(lambda r: r.sensor)
            .window(TumblingEventTimeWindows.of(Time.milliseconds(10))))


def test_a_window_of_rows_gives_rows_of_lists_and_maps(env):
    got = windowed(env).process(Summarise(), output_type=SUMMARY).collect()
    windows = collections.defaultdict(list)
    for r in READINGS:
        windows[(r.sensor, r.ts - r.ts % 10)].append(r)
    expected = [Row(sensor=s, start=start, values=sorted(r.value for r in rs), by_ts={r.ts: r.value for r in rs})
                for (s, start), rs in windows.items()]
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    assert all(r._fields == ("sensor", "start", "values", "by_ts") for r in got)


def test_a_window_reduce_keeps_the_row_type(env):
    got = windowed(env).reduce(lambda a, b: Row(sensor=a.sensor, ts=max(a.ts, b.ts), value=a.value + b.value)).collect()
    sums = collections.defaultdict(float)
    last = collections.defaultdict(int)
    for r in READINGS:
        sums[(r.sensor, r.ts // 10)] += r.value
        last[(r.sensor, r.ts // 10)] = max(last[(r.sensor, r.ts // 10)], r.ts)
    assert sorted(got) == sorted(Row(sensor=s, ts=last[(s, w)], value=v) for (s, w), v in sums.items())


class Latest(KeyedProcessFunction):
    def process_element(self, value, ctx):
        yield Row(sensor=ctx.get_current_key(), readings={value.ts: [value.value, None]})


def test_keyed_process_with_a_nested_output(env):
    typed = Types.ROW_NAMED(["sensor", "readings"], [Types.STRING(), Types.MAP(Types.LONG(), Types.LIST(Types.DOUBLE()))])
    got = (env.from_collection(READINGS, type_info=READING).key_by(lambda r: r.sensor)
           .process(Latest(), output_type=typed).collect())
    assert sorted(got, key=repr) == sorted((Row(sensor=r.sensor, readings={r.ts: [r.value, None]}) for r in READINGS), key=repr)


def test_a_wrong_field_type_names_the_field(env):
    bad = env.from_collection(EVENTS).map(lambda e: Row(user=e[0], count="one", total=e[1], tags=[]), output_type=ORDER)
    with pytest.raises(PythonFunctionError) as info:
        bad.collect()
    assert "field 'count': expected an int" in str(info.value)
    assert "ROW_NAMED" in str(info.value)


def test_a_wrong_element_in_from_collection_names_the_field_and_element():
    from pyflow.datastream import StreamExecutionEnvironment
    env = StreamExecutionEnvironment.get_execution_environment()
    with pytest.raises(PlanError, match=r"element 1 .*field 'tags' > element 0: expected a str"):
        env.from_collection([Row(user="a", count=1, total=1.0, tags=[]), Row(user="b", count=1, total=1.0, tags=[3])],
                            type_info=ORDER)
    with pytest.raises(PlanError, match=r"key None: map keys cannot be None"):
        env.from_collection([{None: 1}], type_info=Types.MAP(Types.STRING(), Types.INT()))


def test_type_constructors_check_their_arguments():
    with pytest.raises(ValueError, match="2 field names for 1 field types"):
        Types.ROW_NAMED(["a", "b"], [Types.INT()])
    with pytest.raises(TypeError, match="field type 0 must be a TypeInformation"):
        Types.ROW([int])
    with pytest.raises(ValueError, match="unique"):
        Types.ROW_NAMED(["a", "a"], [Types.INT(), Types.INT()])
    with pytest.raises(TypeError, match="BASIC_ARRAY: element_type must be a basic type"):
        Types.BASIC_ARRAY(Types.LIST(Types.INT()))
    assert Types.BASIC_ARRAY(Types.INT())._to_spec() == Types.LIST(Types.INT())._to_spec()
    assert Types.ROW([Types.INT()])._to_spec() == {"name": "ROW", "fields": [{"name": "INT"}]}
    assert Types.MAP(Types.STRING(), Types.INT())._to_spec() == {"name": "MAP", "key": {"name": "STRING"},
                                                                 "value": {"name": "INT"}}
    assert Types.ROW_NAMED(["a"], [Types.INT()]) == Types.ROW_NAMED(["a"], [Types.INT()])
    assert Types.ROW_NAMED(["a"], [Types.INT()]) != Types.ROW_NAMED(["b"], [Types.INT()])
    assert ORDER.get_field_names() == ["user", "count", "total", "tags"] and ORDER.get_field_index("total") == 2


POINT = Types.ROW_NAMED(["id", "x", "y"], [Types.LONG(), Types.DOUBLE(), Types.DOUBLE()])


def test_a_vectorized_map_gets_a_dataframe_of_a_row_and_may_return_one(env):
    points = [Row(id=i, x=i / 4, y=-i * 1.5) for i in range(3000)]
    out = Types.ROW_NAMED(["id", "norm1"], [Types.LONG(), Types.DOUBLE()])

    def norm(df):
        assert isinstance(df, pd.DataFrame) and list(df.columns) == ["id", "x", "y"]
        return pd.DataFrame({"norm1": df.x.abs() + df.y.abs(), "id": df.id})

    got = (env.from_collection(points, type_info=POINT).map(norm, output_type=out, func_type="pandas")
           .map(lambda df: df.norm1 * 2, output_type=Types.DOUBLE(), func_type="pandas").collect())
    assert sorted(got) == sorted((abs(p.x) + abs(p.y)) * 2 for p in points)


def test_to_pandas_columns_and_dtypes(env):
    stamp = dt.datetime(2024, 5, 6, 7, 8, 9)
    typed = Types.ROW_NAMED(["id", "small", "name", "score", "ok", "at", "tags"],
                            [Types.LONG(), Types.INT(), Types.STRING(), Types.DOUBLE(), Types.BOOLEAN(),
                             Types.SQL_TIMESTAMP(), Types.LIST(Types.INT())])
    rows = [Row(id=i, small=i % 3, name=f"n{i}", score=i / 2, ok=i % 2 == 0, at=stamp + dt.timedelta(seconds=i),
                tags=[i] * (i % 3)) for i in range(20)]
    frame = env.from_collection(rows, type_info=typed).to_pandas().sort_values("id").reset_index(drop=True)
    assert list(frame.columns) == ["id", "small", "name", "score", "ok", "at", "tags"]
    assert [str(t) for t in frame.dtypes] == ["int64", "int32", "object", "float64", "bool", "datetime64[ns]", "object"]
    assert frame["id"].tolist() == list(range(20)) and frame["tags"].tolist() == [r.tags for r in rows]
    assert frame["at"].tolist() == [pd.Timestamp(r.at) for r in rows]

    with_nulls = env.from_collection([Row(a=1, b=None), Row(a=None, b=True)],
                                     type_info=Types.ROW_NAMED(["a", "b"], [Types.INT(), Types.BOOLEAN()])).to_pandas()
    assert [str(t) for t in with_nulls.dtypes] == ["Int32", "boolean"]
    assert sorted(with_nulls["a"].dropna().tolist()) == [1]

    scalars = env.from_collection([3, 1, 2], type_info=Types.LONG()).to_pandas()
    assert list(scalars.columns) == ["f0"] and str(scalars.dtypes["f0"]) == "int64"
    assert sorted(scalars["f0"].tolist()) == [1, 2, 3]

    tuples = env.from_collection([("a", 1)], type_info=Types.TUPLE([Types.STRING(), Types.INT()])).to_pandas()
    assert list(tuples.columns) == ["f0", "f1"] and tuples.iloc[0].tolist() == ["a", 1]


def test_collect_returns_a_list_with_a_limit(env):
    assert sorted(env.from_collection([1, 2, 3], type_info=Types.INT()).map(lambda x: x * 10).collect()) == [10, 20, 30]
    assert len(env.from_collection(list(range(100)), type_info=Types.INT()).collect(limit=5)) == 5


def test_print_shows_nested_values(env, capsys):
    typed = Types.ROW_NAMED(["id", "tags"], [Types.INT(), Types.MAP(Types.STRING(), Types.LIST(Types.INT()))])
    rows = [Row(id=i, tags={"t": [i, None]}) for i in range(3)]
    env.from_collection(rows, type_info=typed).print("rows")
    env.execute("print nested")
    lines = capsys.readouterr().out.splitlines()
    assert sorted(line.split("> ", 1)[1] for line in lines) == sorted(str(r) for r in rows)
    assert all(line.startswith("rows") for line in lines)


def test_a_vectorized_map_returning_a_frame_without_a_field_is_a_clear_error(env):
    points = [Row(id=i, x=i / 4, y=0.0) for i in range(10)]
    out = Types.ROW_NAMED(["id", "norm1"], [Types.LONG(), Types.DOUBLE()])
    bad = env.from_collection(points, type_info=POINT).map(lambda df: df[["id"]], output_type=out, func_type="pandas")
    with pytest.raises(PythonFunctionError, match=r"without column\(s\) \['norm1'\]"):
        bad.collect()


def test_rows_may_be_given_as_dicts_by_field_name(env):
    typed = Types.ROW_NAMED(["a", "b"], [Types.INT(), Types.STRING()])
    got = (env.from_collection([{"b": "x", "a": 1}], type_info=typed)
           .map(lambda r: {"a": r.a + 1, "b": r.b * 2}, output_type=typed).collect())
    assert got == [Row(a=2, b="xx")]
    with pytest.raises(PlanError, match="the dict has no b"):
        env.from_collection([{"a": 1}], type_info=typed)
