"""The numpy Arrow codec's nested layouts: struct, list and map, with nulls at every level.
(C# reads and writes the same fixture in tests/PyBridge.Tests/ArrowCrossLanguageTests.cs.)"""
import datetime as dt
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import arrow_fixture_tool  # noqa: E402
from pyflow._arrow import ArrowCodecError, Column, Field, RecordBatch, Schema, read_stream, write_stream  # noqa: E402
from pyflow._arrow.types import ListType, MapType, StructType, list_of, map_of, struct_of  # noqa: E402


def roundtrip(type_, values):
    batch = RecordBatch(Schema([Field("v", type_)]), [Column.from_pylist(type_, values)])
    [back] = read_stream(write_stream(batch))
    assert back.schema == batch.schema and back.equals(batch)
    return back.column("v")


def test_the_nested_fixture_round_trips():
    data = write_stream(arrow_fixture_tool.nested_batch())
    assert arrow_fixture_tool.nested_first_difference(data) is None
    [batch] = read_stream(data)
    assert batch.equals(arrow_fixture_tool.nested_batch())


@pytest.mark.parametrize("type_,values", [
    (struct_of([("a", "int64"), ("t", "timestamp[us]")]), [(1, dt.datetime(2020, 1, 2, 3, 4, 5, 6)), None, (None, None)]),
    (list_of("float64"), [[1.5, None, -0.0], None, [], [2.0] * 20]),
    (list_of(list_of("binary")), [[[b"a", None], None, []], None, [[]]]),
    (map_of("int64", list_of("utf8")), [{1: ["a"], 2: None}, None, {}, {3: []}]),
    (struct_of([("m", map_of("utf8", struct_of([("b", "bool")])))]), [({"k": (True,), "n": None},), None, ({},)]),
    (list_of("bool"), [[True, False, None] * 5, None]),
])
def test_nested_values_round_trip_with_nulls(type_, values):
    column = roundtrip(type_, values)
    assert column.to_pylist() == values
    assert column.null_count == sum(v is None for v in values)


def test_empty_and_all_null_nested_columns():
    for type_ in (struct_of([("a", "int32")]), list_of("utf8"), map_of("utf8", "int32")):
        assert roundtrip(type_, []).to_pylist() == []
        assert roundtrip(type_, [None, None]).to_pylist() == [None, None]


def test_structs_take_dicts_by_field_name_and_children_are_columns():
    type_ = struct_of([("a", "int32"), ("b", "utf8")])
    column = Column.from_pylist(type_, [{"a": 1, "b": "x"}, (2, "y")])
    assert column.to_pylist() == [(1, "x"), (2, "y")]
    assert [c.to_pylist() for c in column.children] == [[1, 2], ["x", "y"]]
    assert Field("v", type_).children == type_.fields
    assert Field("v", map_of("utf8", "int32")).children[0].name == "entries"
    assert isinstance(read_stream(write_stream(RecordBatch(Schema([Field("v", type_)]), [column])))[0]
                      .schema.fields[0].type, StructType)


def test_bad_nested_values_are_clear_errors():
    with pytest.raises(ArrowCodecError, match=r"value at index 1 is tuple .*expected 2 fields \(a, b\)"):
        Column.from_pylist(struct_of([("a", "int32"), ("b", "utf8")]), [(1, "x"), (1,)])
    with pytest.raises(ArrowCodecError, match=r"field 'b': utf8 column: value at index 0 has unsupported Python type int"):
        Column.from_pylist(struct_of([("a", "int32"), ("b", "utf8")]), [(1, 2)])
    with pytest.raises(ArrowCodecError, match=r"value at index 0 is str 'ab'; expected a list"):
        Column.from_pylist(list_of("utf8"), ["ab"])
    with pytest.raises(ArrowCodecError, match="map keys cannot be null"):
        Column.from_pylist(map_of("utf8", "int32"), [{None: 1}])
    with pytest.raises(ArrowCodecError, match="expected a dict"):
        Column.from_pylist(map_of("utf8", "int32"), [[("a", 1)]])
    with pytest.raises(ArrowCodecError, match="build nested columns with Column.from_pylist"):
        Column.from_numpy(list_of("int32"), np.arange(3))


def test_corrupt_list_offsets_are_refused():
    type_ = list_of("int32")
    data = bytearray(write_stream(RecordBatch(Schema([Field("v", type_)]), [Column.from_pylist(type_, [[1, 2], [3]])])))
    # the offsets buffer [0, 2, 3] is the first 12 bytes of the body: make it decrease
    body_at = bytes(data).index(np.array([0, 2, 3], dtype="<i4").tobytes())
    data[body_at + 4:body_at + 8] = np.array([5], dtype="<i4").tobytes()
    with pytest.raises(ArrowCodecError, match="invalid offsets|has .* rows, its parent needs"):
        read_stream(bytes(data))


def test_nested_types_compare_and_print_by_value():
    assert list_of("int32") == ListType(Field("item", "int32"))
    assert map_of("utf8", "int32") == MapType(Field("key", "utf8", nullable=False), Field("value", "int32"))
    assert str(struct_of([("a", list_of("utf8"))])) == "struct<a: list<utf8>>"
