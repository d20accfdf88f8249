"""INSTANT values (``pyflow.common.time.Instant``) <-> the aware UTC datetimes of Arrow's timestamp[us, tz=UTC].

An Instant holds nanoseconds; the wire holds microseconds and Python's datetime range (years 1..9999). An
Instant outside either is refused with its value, never rounded.
"""
import datetime

from pyflow._arrow import ArrowCodecError
from pyflow.common.time import Instant

__all__ = ["instant_why_not", "to_datetime", "from_datetime"]

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_ONE_US = datetime.timedelta(microseconds=1)
_MIN_SECONDS = -62135596800  # 0001-01-01T00:00:00Z
_MAX_SECONDS = 253402300799  # 9999-12-31T23:59:59Z


def instant_why_not(value) -> "str | None":
    """Why ``value`` cannot travel as INSTANT, or None when it can."""
    if not isinstance(value, Instant):
        return "expected a pyflow.common.time.Instant (e.g. Instant.of_epoch_milli(ms))"
    if value.nanos % 1000:
        return f"{value!r} has nanoseconds below a microsecond, which INSTANT does not keep; round them"
    if not _MIN_SECONDS <= value.seconds <= _MAX_SECONDS:
        return f"{value!r} is outside the range INSTANT holds (years 1..9999 UTC)"
    return None


def to_datetime(value, where: str = "INSTANT value"):
    """The aware UTC datetime of an Instant (a TypeError naming ``where`` and the value when it does not fit)."""
    why = instant_why_not(value)
    if why is not None:
        raise ArrowCodecError(f"{where} ({value!r:.80}): {why}")
    return _EPOCH + datetime.timedelta(seconds=value.seconds, microseconds=value.nanos // 1000)


def from_datetime(value: datetime.datetime) -> Instant:
    """The Instant of an aware datetime read from the wire."""
    seconds, micros = divmod((value - _EPOCH) // _ONE_US, 1_000_000)
    return Instant(seconds, micros * 1000)
