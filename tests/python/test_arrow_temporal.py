"""The numpy Arrow codec's dates, times, UTC instants and decimal128: round trips with nulls and at the
limits, inside struct, list and map, the IPC metadata of each type, and values refused by name."""
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from pyflow._arrow import ArrowCodecError, Column, Field, RecordBatch, Schema, read_stream, write_stream
from pyflow._arrow.convert import Parts
from pyflow._arrow.types import list_of, map_of, struct_of

UTC = dt.timezone.utc
DEC = "decimal128(38, 18)"

CASES = [
    ("date32", [dt.date(2024, 2, 29), None, dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1969, 12, 31)]),
    ("time32[ms]", [dt.time(23, 59, 59, 999000), None, dt.time(0), dt.time(12, 30, 0, 1000)]),
    ("time64[us]", [dt.time(23, 59, 59, 999999), None, dt.time(0), dt.time(0, 0, 0, 1)]),
    ("timestamp[us, tz=UTC]", [dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC), None, dt.datetime(1, 1, 1, tzinfo=UTC),
                               dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                               dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)]),
    (DEC, [Decimal("1.5"), None, Decimal("-99999999999999999999.999999999999999999"),
           Decimal("99999999999999999999.999999999999999999"), Decimal("1e-18"), 7, Decimal("-0")]),
    ("decimal128(5, 0)", [Decimal("12345"), -99999, None]),
]


def roundtrip(type_, values):
    batch = RecordBatch(Schema([Field("v", type_)]), [Column.from_pylist(type_, values)])
    [back] = read_stream(write_stream(batch))
    assert back.schema.field("v").type == batch.schema.field("v").type
    return back.column("v").to_pylist()


@pytest.mark.parametrize("type_, values", CASES, ids=[c[0] for c in CASES])
def test_each_type_round_trips_with_nulls_and_limits(type_, values):
    got = roundtrip(type_, values)
    assert got == values
    assert all(type(g) is type(v) or (isinstance(v, int) and type(g) is Decimal) for g, v in zip(got, values))


def test_decimals_come_back_with_the_scale_of_their_type():
    got = roundtrip(DEC, [Decimal("1.5"), 7])
    assert [str(v) for v in got] == ["1.500000000000000000", "7.000000000000000000"]
    assert roundtrip("decimal128(5, 0)", [Decimal("12345")])[0].as_tuple().exponent == 0


def test_instants_come_back_aware_in_utc_from_any_zone():
    paris = dt.timezone(dt.timedelta(hours=1))
    [got] = roundtrip("timestamp[us, tz=UTC]", [dt.datetime(2024, 1, 1, 1, 0, tzinfo=paris)])
    assert got == dt.datetime(2024, 1, 1, 0, 0, tzinfo=UTC) and got.tzinfo is UTC


def test_nested_in_struct_list_and_map():
    type_ = struct_of([("days", list_of("date32")), ("prices", map_of("time64[us]", DEC)),
                       ("at", "timestamp[us, tz=UTC]")])
    values = [([dt.date(2020, 1, 1), None], {dt.time(1): Decimal("2.5"), dt.time(2): None},
               dt.datetime(2020, 1, 1, tzinfo=UTC)),
              None, ([], {}, None), (None, None, dt.datetime(1, 1, 1, tzinfo=UTC))]
    assert roundtrip(type_, values) == values


@pytest.mark.parametrize("type_, value, fragment", [
    ("date32", dt.datetime(2020, 1, 1), "is a datetime.datetime, expected a datetime.date (use value.date())"),
    ("date32", "2020-01-01", "expected a datetime.date"),
    ("time32[ms]", dt.time(0, 0, 0, 1), "has microseconds, but this type holds whole milliseconds"),
    ("time64[us]", dt.time(1, tzinfo=UTC), "has a time zone"),
    ("timestamp[us, tz=UTC]", dt.datetime(2020, 1, 1), "is a naive datetime; an instant needs a time zone"),
    (DEC, Decimal("1e-19"), "has more than 18 digits after the point"),
    (DEC, Decimal("1e20"), "has more than 20 digits before the point"),
    (DEC, 0.1, "is a float, which is inexact"),
    (DEC, Decimal("NaN"), "is not a finite number"),
    (DEC, True, "expected a decimal.Decimal (or an int)"),
    ("decimal128(5, 0)", Decimal("0.5"), "is not a whole number"),
    ("decimal128(5, 0)", 100000, "more than 5 digits before the point"),
])
def test_a_value_that_does_not_fit_is_refused_by_type_index_and_value(type_, value, fragment):
    with pytest.raises(ArrowCodecError) as e:
        Column.from_pylist(type_, [None, value])
    assert str(e.value).startswith(f"{type_} column: value at index 1 ({value!r:.80}) ")
    assert fragment in str(e.value)


@pytest.mark.parametrize("type_, raw, fragment", [
    ("date32", np.array([2_932_897], "<i4"), "date32 value 2932897 days since 1970-01-01 is outside the range"),
    ("time32[ms]", np.array([86_400_000], "<i4"), "time32[ms] value 86400000 ms since midnight is outside"),
    ("time64[us]", np.array([-1], "<i8"), "time64[us] value -1 us since midnight is outside"),
    ("timestamp[us, tz=UTC]", np.array([2 ** 62], "<i8"), f"value {2 ** 62} us since the epoch is outside"),
    (DEC, np.frombuffer((10 ** 38).to_bytes(16, "little", signed=True), "V16"), "has more than 38 digits"),
])
def test_a_value_read_out_of_range_is_a_clear_error(type_, raw, fragment):
    column = Column(type_, Parts(1, None, values=raw))
    [back] = read_stream(write_stream(RecordBatch(Schema([Field("v", type_)]), [column])))
    with pytest.raises(ArrowCodecError) as e:
        back.column("v").to_pylist()
    assert fragment in str(e.value)


def test_numpy_input_and_output():
    days = Column.from_numpy("date32", np.array(["2024-01-01", "NaT"], dtype="datetime64[D]"))
    assert days.to_pylist() == [dt.date(2024, 1, 1), None]
    assert list(Column.from_pylist("time64[us]", [dt.time(1)]).to_numpy()) == [dt.time(1)]
    assert Column.from_pylist(DEC, [Decimal(1)]).equals(Column.from_pylist(DEC, [Decimal("1.0")]))
    with pytest.raises(ArrowCodecError, match="unsupported Arrow type decimal128\\(39, 0\\)"):
        Column.from_pylist("decimal128(39, 0)", [1])
