"""Cross-language fixture of dates, times, instants, decimals and primitive arrays (PyFlink's SQL_DATE,
SQL_TIME, LOCAL_TIME, INSTANT, BIG_DEC, PRIMITIVE_ARRAY on the wire), alone and nested.

    python arrow_temporal_fixture_tool.py write OUT.arrow   # write the fixture stream
    python arrow_temporal_fixture_tool.py check IN.arrow    # exit 0 iff IN holds it

tests/PyBridge.Tests/TemporalArrowTests.cs builds the same rows; keep the two in sync.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

from pyflow._arrow import ArrowCodecError, Column, Field, RecordBatch, Schema, read_stream, write_stream  # noqa: E402
from pyflow._arrow.types import list_of, map_of, struct_of  # noqa: E402

UTC = dt.timezone.utc
DEC = "decimal128(38, 18)"

COLUMNS = [
    ("sql_date", "date32"),
    ("sql_time", "time32[ms]"),
    ("local_time", "time64[us]"),
    ("instant", "timestamp[us, tz=UTC]"),
    ("big_dec", DEC),
    ("ints", list_of("int32")),
    ("nested", struct_of([("d", list_of("date32")), ("m", map_of("utf8", DEC))])),
]

ROWS = [
    (dt.date(2024, 2, 29), dt.time(23, 59, 59, 999000), dt.time(23, 59, 59, 999999),
     dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), Decimal("12345678901234567890.123456789012345678"),
     [1, -2], ([dt.date(1970, 1, 1), None], {"a": Decimal("-0.5")})),
    (None, None, None, None, None, None, None),
    (dt.date(1, 1, 1), dt.time(0), dt.time(0), dt.datetime(1, 1, 1, tzinfo=UTC),
     Decimal("-99999999999999999999.999999999999999999"), [], ([], {})),
    (dt.date(9999, 12, 31), dt.time(12, 0, 0, 1000), dt.time(0, 0, 0, 1),
     dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), Decimal("0.000000000000000001"), [2147483647],
     (None, {"z": None})),
]


def fixture_batch() -> RecordBatch:
    columns = [Column.from_pylist(typ, [row[i] for row in ROWS]) for i, (_, typ) in enumerate(COLUMNS)]
    return RecordBatch(Schema([Field(name, typ) for name, typ in COLUMNS]), columns)


def first_difference(data: bytes) -> "str | None":
    """None if ``data`` holds the fixture (types by their text; values by Python equality), else what differs."""
    try:
        [batch] = read_stream(data)
    except (ArrowCodecError, ValueError) as e:
        return f"cannot decode stream: {e}"
    got = [(f.name, str(f.type)) for f in batch.schema.fields]
    expected = [(name, str(typ)) for name, typ in COLUMNS]
    if got != expected:
        return f"expected fields {expected}, got {got}"
    for i, (name, _) in enumerate(COLUMNS):
        values = batch.column(i).to_pylist()
        want = [row[i] for row in ROWS]
        if values != want:
            return f"column {name!r}: expected {want!r}, got {values!r}"
    return None


def main(argv) -> int:
    if len(argv) != 3 or argv[1] not in ("write", "check"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if argv[1] == "write":
        with open(argv[2], "wb") as f:
            f.write(write_stream(fixture_batch()))
        return 0
    with open(argv[2], "rb") as f:
        diff = first_difference(f.read())
    print("OK: stream equals the temporal fixture" if diff is None else f"MISMATCH: {diff}")
    return 0 if diff is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
