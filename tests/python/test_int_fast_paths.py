"""The one-pass int conversions (worker results to int64/int32 columns, from_collection of ints) give the same
columns and the same errors as the checked per-value path they skip. References are computed in plain Python."""
import numpy as np
import pytest

from pyflow._arrow import read_stream
from pyflow._arrow.types import ArrowCodecError
from pyflow._protocol.values import to_column
from pyflow.common import Types
from pyflow.datastream._collection import encode_collection
from pyflow.errors import PlanError


@pytest.mark.parametrize("name, values", [
    ("LONG", [0, -1, 2 ** 63 - 1, -2 ** 63, 7]),
    ("LONG", [True, np.int64(5), np.int32(-3), 4]),  # what operator.index takes, as the checked path does
    ("INT", [2 ** 31 - 1, -2 ** 31, 0]),
    ("LONG", [1, None, 3]),  # a null takes the checked path
    ("LONG", []),
])
def test_int_columns_hold_exactly_the_values(name, values):
    expected = [None if v is None else int(v) for v in values]
    assert to_column({"name": name}, values).to_pylist() == expected


@pytest.mark.parametrize("name, values, message", [
    ("LONG", [1, 2.5], "int64 column: value at index 1 has unsupported Python type float: 2.5"),
    ("INT", [1, "x"], "int32 column: value at index 1 has unsupported Python type str: 'x'"),
    ("INT", [1, 2 ** 31], "int32 column: value out of range for int32"),
    ("LONG", [2 ** 63], "int64 column: value out of range"),
])
def test_bad_values_are_named_as_before(name, values, message):
    with pytest.raises(ArrowCodecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        to_column({"name": name}, values)


def _decoded(payload):
    return [v for batch in read_stream(payload) for v in batch.column("v").to_pylist()]


@pytest.mark.parametrize("type_info, values", [
    (Types.LONG(), list(range(-5, 25_003))),  # more than one 10k-row batch
    (Types.INT(), [2 ** 31 - 1, -2 ** 31]),
    (Types.SHORT(), [-2 ** 15, 2 ** 15 - 1]),
    (Types.BYTE(), [-128, 127, 0]),
])
def test_from_collection_of_ints_round_trips(type_info, values):
    payload = encode_collection(values, type_info)
    assert _decoded(payload) == values
    assert [b.num_rows for b in read_stream(payload)] == [min(10_000, len(values) - i)
                                                          for i in range(0, len(values), 10_000)]


@pytest.mark.parametrize("type_info, values, message", [
    (Types.LONG(), [1, True], r"element 1 \(True, of type bool\) does not fit type_info=Types.LONG\(\)"),
    (Types.INT(), [0, 2 ** 31], r"element 1 \(2147483648, of type int\) does not fit type_info=Types.INT\(\): out of range"),
    (Types.BYTE(), [0, 1, 128], r"element 2 \(128, of type int\) does not fit type_info=Types.BYTE\(\)"),
    (Types.LONG(), [2 ** 64], r"element 0 .* does not fit type_info=Types.LONG\(\): out of range"),
    (Types.LONG(), [1, None], r"element 1 is None"),
])
def test_from_collection_still_names_the_element_that_does_not_fit(type_info, values, message):
    with pytest.raises(PlanError, match=message):
        encode_collection(values, type_info)
