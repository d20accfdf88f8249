"""Python values <-> Arrow buffers for dates, times of day and UTC instants.

    date32                 days since 1970-01-01            datetime.date
    time32[ms]             milliseconds since midnight       datetime.time (naive; whole milliseconds)
    time64[us]             microseconds since midnight       datetime.time (naive)
    timestamp[us, tz=UTC]  microseconds since the epoch      datetime.datetime, aware, in UTC

A value that does not fit is refused, never rounded: a ``time`` with microseconds for time32[ms], a
``datetime`` where a ``date`` belongs (it is a subclass of date), a naive datetime for an instant.
"""
from __future__ import annotations

import datetime as _dt

import numpy as np

from .types import ArrowCodecError

__all__ = ["TEMPORAL_TYPES", "temporal_from_python", "temporal_to_python", "temporal_why_not"]

_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
_EPOCH_UTC = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_ONE_US = _dt.timedelta(microseconds=1)
_DAY_US = 86_400_000_000
DATE_MIN_DAYS = _dt.date.min.toordinal() - _EPOCH_ORDINAL
DATE_MAX_DAYS = _dt.date.max.toordinal() - _EPOCH_ORDINAL
# Instants representable as datetime.datetime (years 1..9999, UTC), in microseconds since the epoch.
INSTANT_MIN_US = -62135596800000000
INSTANT_MAX_US = 253402300799999999


class _Refused(Exception):
    """Why one value does not fit (the caller adds the column type and the index)."""


def _date(v) -> int:
    if isinstance(v, _dt.datetime):
        raise _Refused("is a datetime.datetime, expected a datetime.date (use value.date())")
    if not isinstance(v, _dt.date):
        raise _Refused("expected a datetime.date")
    return v.toordinal() - _EPOCH_ORDINAL


def _time_micros(v) -> int:
    if not isinstance(v, _dt.time):
        raise _Refused("expected a datetime.time")
    if v.tzinfo is not None:
        raise _Refused("has a time zone; a time of day here is naive (use value.replace(tzinfo=None))")
    return ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond


def _time_ms(v) -> int:
    micros = _time_micros(v)
    if micros % 1000:
        raise _Refused("has microseconds, but this type holds whole milliseconds "
                       "(round it, or use Types.LOCAL_TIME(), which holds microseconds)")
    return micros // 1000


def _instant_us(v) -> int:
    if not isinstance(v, _dt.datetime):
        raise _Refused("expected a datetime.datetime with a time zone")
    if v.tzinfo is None or v.utcoffset() is None:
        raise _Refused("is a naive datetime; an instant needs a time zone (e.g. tzinfo=timezone.utc)")
    return (v - _EPOCH_UTC) // _ONE_US


_ENCODERS = {"date32": (_date, "<i4"), "time32[ms]": (_time_ms, "<i4"),
             "time64[us]": (_time_micros, "<i8"), "timestamp[us, tz=UTC]": (_instant_us, "<i8")}
TEMPORAL_TYPES = frozenset(_ENCODERS)


def temporal_from_python(type_name: str, values: list):
    """(validity or None, values array) of ``values`` (None = null) as ``type_name``."""
    encode, dtype = _ENCODERS[type_name]
    validity = None
    if None in values:
        validity = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    out = np.zeros(len(values), dtype=dtype)
    for i, v in enumerate(values):
        if v is None:
            continue
        try:
            out[i] = encode(v)
        except _Refused as e:
            raise ArrowCodecError(f"{type_name} column: value at index {i} ({v!r:.80}) {e}") from None
    return validity, out


def _out_of_range(type_name: str, values: np.ndarray, low: int, high: int, unit: str, holds: str):
    if len(values) and (values.min() < low or values.max() > high):
        bad = int(values[(values < low) | (values > high)][0])
        raise ArrowCodecError(f"{type_name} value {bad} {unit} is outside the range of {holds}")


def temporal_to_python(type_name: str, values: np.ndarray, validity) -> list:
    """The Python values of a column's values buffer (null slots give None)."""
    if validity is not None:
        values = np.where(validity, values, 0)
    if type_name == "date32":
        _out_of_range(type_name, values, DATE_MIN_DAYS, DATE_MAX_DAYS, "days since 1970-01-01",
                      "datetime.date (years 1..9999)")
        out = values.astype("<i8").view("datetime64[D]").tolist()
    elif type_name == "timestamp[us, tz=UTC]":
        _out_of_range(type_name, values, INSTANT_MIN_US, INSTANT_MAX_US, "us since the epoch",
                      "datetime.datetime (years 1..9999)")
        utc = _dt.timezone.utc
        out = [d.replace(tzinfo=utc) for d in values.astype("<i8").view("datetime64[us]").tolist()]
    else:
        scale = 1000 if type_name == "time32[ms]" else 1
        micros = values.astype("<i8") * scale
        _out_of_range(type_name, micros // scale, 0, _DAY_US // scale - 1,
                      "ms since midnight" if scale == 1000 else "us since midnight", "a time of day")
        out = [_dt.time(m // 3_600_000_000, m // 60_000_000 % 60, m // 1_000_000 % 60, m % 1_000_000)
               for m in micros.tolist()]
    if validity is not None:
        for i in np.flatnonzero(~validity).tolist():
            out[i] = None
    return out


def temporal_why_not(type_name: str, value) -> "str | None":
    """Why ``value`` cannot be stored as ``type_name`` (the reason alone), or None when it can."""
    try:
        _ENCODERS[type_name][0](value)
    except _Refused as e:
        return str(e)
    return None
