"""Cross-language Arrow fixture tool.

    python arrow_fixture_tool.py write OUT.arrow   # write the fixture stream
    python arrow_fixture_tool.py check IN.arrow    # exit 0 iff IN equals it
    python arrow_fixture_tool.py write-nested OUT.arrow / check-nested IN.arrow   # the nested fixture

The fixture is one stream with one 5-row batch; one nullable column per
supported type, named after the type.  The C# tests write the same fixture,
so keep FIXTURE_ROWS exactly in sync with them.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

from pyflow._arrow import (  # noqa: E402
    ArrowCodecError, Column, Field, RecordBatch, Schema, read_stream, write_stream)
from pyflow._arrow.types import list_of, map_of, struct_of  # noqa: E402

COLUMNS = [  # (column name, type)
    ("int32", "int32"),
    ("int64", "int64"),
    ("float64", "float64"),
    ("bool", "bool"),
    ("utf8", "utf8"),
    ("binary", "binary"),
    ("timestamp", "timestamp[us]"),
]

FIXTURE_ROWS = [
    (1, 1, 1.5, True, "a", b"\x00\x01", dt.datetime(2024, 1, 2, 3, 4, 5, 123456)),
    (None, None, None, None, None, None, None),
    (-2147483648, -9223372036854775808, -0.0, False, "", b"",
     dt.datetime(1970, 1, 1, 0, 0, 0)),
    (2147483647, 9223372036854775807, 1e300, True, "h\u00e9llo \u2713", b"\xff" * 3,
     dt.datetime(1969, 12, 31, 23, 59, 59, 999999)),
    (0, 42, math.nan, False, "x" * 100, b"abc", dt.datetime(2038, 1, 19, 3, 14, 8)),
]


def fixture_schema() -> Schema:
    return Schema([Field(name, typ) for name, typ in COLUMNS])


def fixture_batch() -> RecordBatch:
    cols = [Column.from_pylist(typ, [row[i] for row in FIXTURE_ROWS])
            for i, (_, typ) in enumerate(COLUMNS)]
    return RecordBatch(fixture_schema(), cols)


def _same_value(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return struct.pack("<d", a) == struct.pack("<d", b)  # -0.0 != 0.0
    return a == b


def first_difference(data: bytes) -> str | None:
    """None if ``data`` is exactly the fixture stream, else a description."""
    try:
        batches = read_stream(data)
    except ArrowCodecError as e:
        return f"cannot decode stream: {e}"
    if len(batches) != 1:
        return f"expected 1 record batch, got {len(batches)}"
    batch = batches[0]
    expected_fields = [Field(name, typ) for name, typ in COLUMNS]
    got_fields = list(batch.schema.fields)
    if len(got_fields) != len(expected_fields):
        return f"expected {len(expected_fields)} columns, got {len(got_fields)}: {got_fields}"
    for exp, got in zip(expected_fields, got_fields):
        if (exp.name, exp.type) != (got.name, got.type):
            return f"expected field {exp.name!r} of type {exp.type}, got {got.name!r} of type {got.type}"
        if not got.nullable:
            return f"field {got.name!r} should be nullable"
    if batch.num_rows != len(FIXTURE_ROWS):
        return f"expected {len(FIXTURE_ROWS)} rows, got {batch.num_rows}"
    for i, (name, _) in enumerate(COLUMNS):
        try:
            values = batch.column(i).to_pylist()
        except ArrowCodecError as e:
            return f"column {name!r}: cannot convert values: {e}"
        for r, row in enumerate(FIXTURE_ROWS):
            if not _same_value(row[i], values[r]):
                return f"column {name!r} row {r}: expected {row[i]!r}, got {values[r]!r}"
    return None


# The nested fixture: one 4-row batch; nulls at every level. The C# tests build the same
# (ArrowCrossLanguageTests.NestedRows), so keep the two in sync.
NESTED_COLUMNS = [
    ("row", struct_of([("a", "int32"), ("b", "utf8")])),
    ("list", list_of("int64")),
    ("map", map_of("utf8", "float64")),
    ("deep", list_of(struct_of([("x", "bool"), ("y", list_of("utf8"))]))),
]

NESTED_ROWS = [
    ((1, "x"), [1, 2, 3], {"k": 1.5}, [(True, ["p"]), None]),
    (None, None, None, None),
    ((None, None), [], {}, []),
    ((-5, "\u00e9"), [None, -1], {"a": None, "b": -2.0}, [(None, None), (False, [])]),
]


def nested_batch() -> RecordBatch:
    cols = [Column.from_pylist(typ, [row[i] for row in NESTED_ROWS]) for i, (_, typ) in enumerate(NESTED_COLUMNS)]
    return RecordBatch(Schema([Field(name, typ) for name, typ in NESTED_COLUMNS]), cols)


def nested_first_difference(data: bytes) -> str | None:
    """None if ``data`` holds the nested fixture (types compared by their text, which leaves
    out the names Arrow libraries give to list items and map entries), else a description."""
    try:
        [batch] = read_stream(data)
    except (ArrowCodecError, ValueError) as e:
        return f"cannot decode stream: {e}"
    got = [(f.name, str(f.type)) for f in batch.schema.fields]
    expected = [(name, str(typ)) for name, typ in NESTED_COLUMNS]
    if got != expected:
        return f"expected fields {expected}, got {got}"
    for i, (name, _) in enumerate(NESTED_COLUMNS):
        values = batch.column(i).to_pylist()
        want = [row[i] for row in NESTED_ROWS]
        if values != want:
            return f"column {name!r}: expected {want!r}, got {values!r}"
    return None


def main(argv) -> int:
    if len(argv) == 3 and argv[1] in ("write-nested", "check-nested"):
        if argv[1] == "write-nested":
            with open(argv[2], "wb") as f:
                f.write(write_stream(nested_batch()))
            return 0
        with open(argv[2], "rb") as f:
            diff = nested_first_difference(f.read())
        print("OK: stream equals the nested fixture" if diff is None else f"MISMATCH: {diff}")
        return 0 if diff is None else 1
    if len(argv) != 3 or argv[1] not in ("write", "check"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cmd, path = argv[1], argv[2]
    if cmd == "write":
        with open(path, "wb") as f:
            f.write(write_stream(fixture_batch()))
        return 0
    with open(path, "rb") as f:
        diff = first_difference(f.read())
    if diff is None:
        print("OK: stream equals the fixture")
        return 0
    print(f"MISMATCH: {diff}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
