"""Conversions between Python values and Arrow buffers (as numpy arrays).

``from_python`` turns a list of Python objects into Arrow parts;
``to_python`` does the reverse.  Each works per physical type with numpy
doing the bulk work; Python-level loops are limited to C-level ``map`` calls
and a few comprehensions.
"""
from __future__ import annotations

import array
import datetime as _dt
import operator
from itertools import repeat
from operator import attrgetter

import numpy as np

from .decimal128 import decimal_from_python, decimal_to_python
from .temporal import TEMPORAL_TYPES, temporal_from_python, temporal_to_python
from .types import ArrowCodecError, decimal_params

EPOCH = _dt.datetime(1970, 1, 1)
_UTC = _dt.timezone.utc
_ONE_US = _dt.timedelta(microseconds=1)
# Timestamp range representable as datetime.datetime (years 1..9999), in us.
TS_MIN_US = -62135596800000000
TS_MAX_US = 253402300799999999
INT32_MIN, INT32_MAX = -(2 ** 31), 2 ** 31 - 1
MAX_VARBINARY_BYTES = 2 ** 31 - 1

_NoneType = type(None)
_ALLOWED = {
    "int32": (int, np.integer),
    "int64": (int, np.integer),
    "float64": (float, int, np.floating, np.integer),
    "bool": (bool, np.bool_),
    "utf8": (str,),
    "binary": (bytes, bytearray, memoryview),
    "timestamp[us]": (_dt.datetime,),
}
_FILL = {"int32": 0, "int64": 0, "float64": 0.0, "bool": False, "utf8": "",
         "binary": b"", "timestamp[us]": EPOCH}


class Parts:
    """Raw Arrow parts of one column: ``values`` (fixed, bool), ``offsets`` + ``data`` (varbinary),
    ``offsets`` + ``children`` (list, map), ``children`` (struct; Columns)."""

    __slots__ = ("length", "validity", "values", "offsets", "data", "children")

    def __init__(self, length, validity, values=None, offsets=None, data=None, children=None):
        self.length, self.validity = length, validity
        self.values, self.offsets, self.data = values, offsets, data
        self.children = children


def _bad_value(type_name: str, values, allowed) -> ArrowCodecError:
    for i, v in enumerate(values):
        if v is not None and not isinstance(v, allowed):
            return ArrowCodecError(
                f"{type_name} column: value at index {i} has unsupported Python "
                f"type {type(v).__name__}: {v!r:.80}")
    return ArrowCodecError(f"{type_name} column: unsupported values")


def from_python(type_name: str, values) -> Parts:
    """Convert a list of Python values (None = null) into column parts."""
    if not isinstance(type_name, str):
        from .nested import nested_from_python
        return nested_from_python(type_name, values)
    if not isinstance(values, list):
        values = list(values)
    n = len(values)
    if type_name in TEMPORAL_TYPES:
        validity, out = temporal_from_python(type_name, values)
        return Parts(n, validity, values=out)
    decimal = decimal_params(type_name)
    if decimal:
        validity, out = decimal_from_python(type_name, *decimal, values)
        return Parts(n, validity, values=out)
    if type_name in _INT_CODES:
        fast = _ints_without_scan(type_name, values)
        if fast is not None:
            return Parts(n, None, values=fast)
    allowed = _ALLOWED[type_name]
    kinds = set(map(type, values))
    validity = None
    if _NoneType in kinds:
        kinds.discard(_NoneType)
        validity = np.array(list(map(operator.is_not, values, repeat(None))), dtype=bool)
        fill = _FILL[type_name]
        values = [fill if v is None else v for v in values]
    if not all(issubclass(k, allowed) for k in kinds):
        raise _bad_value(type_name, values, allowed)
    if type_name in ("utf8", "binary"):
        if type_name == "utf8":
            offsets, data = _encode_utf8(values)
        else:
            offsets, data = _encode_binary(values, kinds)
        return Parts(n, validity, offsets=offsets, data=data)
    if type_name == "timestamp[us]":
        return Parts(n, validity, values=_encode_timestamps(values, kinds))
    return Parts(n, validity, values=_encode_numbers(type_name, values, n))


_INT_CODES = {"int64": ("q", "<i8"), "int32": ("i", "<i4")}


def _ints_without_scan(type_name: str, values: list) -> "np.ndarray | None":
    """The ints of ``values`` in one C-level pass (``array.array`` takes exactly what ``operator.index`` takes:
    ints, bools, numpy integers), without a per-value type scan; None when any value is None, of another type
    or out of range, so that the checked path below reports it."""
    code, dtype = _INT_CODES[type_name]
    try:
        raw = array.array(code, values)
    except (TypeError, OverflowError):
        return None
    return np.frombuffer(raw, dtype=dtype)


def _encode_numbers(type_name: str, values, n: int) -> np.ndarray:
    dtype = {"int32": np.int64, "int64": np.int64, "float64": np.float64,
             "bool": np.bool_}[type_name]
    try:
        arr = np.fromiter(values, dtype=dtype, count=n)
    except OverflowError:
        raise ArrowCodecError(f"{type_name} column: value out of range") from None
    if type_name == "int32":
        if n and (arr.min() < INT32_MIN or arr.max() > INT32_MAX):
            raise ArrowCodecError("int32 column: value out of range for int32")
        arr = arr.astype("<i4")
    return arr


def _offsets_from_lengths(lengths: np.ndarray, kind: str) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if offsets[-1] > MAX_VARBINARY_BYTES:
        raise ArrowCodecError(
            f"{kind} column holds {int(offsets[-1])} bytes; int32 offsets allow "
            f"at most {MAX_VARBINARY_BYTES}")
    return offsets.astype("<i4")


def _encode_utf8(values):
    joined = "".join(values)
    n = len(values)
    if joined.isascii():
        data = joined.encode("ascii")
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
    else:
        try:
            encoded = [s.encode("utf-8") for s in values]
        except UnicodeEncodeError as e:
            raise ArrowCodecError(f"utf8 column: string is not encodable as UTF-8: {e}") from None
        data = b"".join(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
    return _offsets_from_lengths(lengths, "utf8"), data


def _encode_binary(values, kinds):
    if kinds - {bytes}:
        values = [v.tobytes() if isinstance(v, memoryview) else bytes(v) for v in values]
    data = b"".join(values)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return _offsets_from_lengths(lengths, "binary"), data


def _encode_timestamps(values, kinds) -> np.ndarray:
    if any(k is not _dt.datetime for k in kinds) or set(map(attrgetter("tzinfo"), values)) - {None}:
        values = [_naive_utc(v) for v in values]
    # (dt - EPOCH) // 1us is exact integer arithmetic and ~10x faster than
    # np.array(values, dtype="datetime64[us]").
    micros = map(_ONE_US.__rfloordiv__, map(EPOCH.__rsub__, values))
    return np.fromiter(micros, dtype="<i8", count=len(values))


def _naive_utc(v: _dt.datetime) -> _dt.datetime:
    if v.tzinfo is not None and v.utcoffset() is not None:
        v = v.astimezone(_UTC).replace(tzinfo=None)
    if type(v) is not _dt.datetime:  # subclass: rebuild a plain datetime
        v = _dt.datetime(v.year, v.month, v.day, v.hour, v.minute, v.second,
                         v.microsecond)
    return v.replace(tzinfo=None)


# --------------------------------------------------------------------------
# Arrow -> Python
# --------------------------------------------------------------------------

def _apply_nulls(out: list, validity) -> list:
    if validity is not None:
        for i in np.flatnonzero(~validity).tolist():
            out[i] = None
    return out


def decode_varbinary(offsets: np.ndarray, data: bytes, as_text: bool) -> list:
    """List of str/bytes sliced from ``data`` by ``offsets`` (length n+1)."""
    offs = offsets.tolist()
    if not as_text:
        return [data[a:b] for a, b in zip(offs, offs[1:])]
    lo, hi = (offs[0], offs[-1]) if offs else (0, 0)
    chunk = data[lo:hi]
    if chunk.isascii():
        text = chunk.decode("ascii")
        if lo:
            offs = [o - lo for o in offs]
        return [text[a:b] for a, b in zip(offs, offs[1:])]
    try:
        return [data[a:b].decode("utf-8") for a, b in zip(offs, offs[1:])]
    except UnicodeDecodeError as e:
        raise ArrowCodecError(f"utf8 column holds invalid UTF-8 data: {e}") from None


def timestamps_to_python(values: np.ndarray, validity) -> list:
    if validity is not None:
        values = np.where(validity, values, 0)
    if len(values) and (values.min() < TS_MIN_US or values.max() > TS_MAX_US):
        bad = int(values[(values < TS_MIN_US) | (values > TS_MAX_US)][0])
        raise ArrowCodecError(
            f"timestamp {bad} us since epoch is outside the datetime.datetime range")
    return values.view("datetime64[us]").tolist()


def to_python(type_name: str, parts: Parts) -> list:
    if not isinstance(type_name, str):
        from .nested import nested_to_python
        return nested_to_python(type_name, parts)
    v = parts.validity
    if type_name in ("utf8", "binary"):
        out = decode_varbinary(parts.offsets, parts.data, type_name == "utf8")
    elif type_name == "timestamp[us]":
        out = timestamps_to_python(parts.values, v)
    elif type_name in TEMPORAL_TYPES:
        return temporal_to_python(type_name, parts.values, v)
    elif decimal_params(type_name):
        return decimal_to_python(type_name, *decimal_params(type_name), parts.values, v)
    else:
        out = parts.values.tolist()
    return _apply_nulls(out, v)
