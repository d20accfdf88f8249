"""Dates, times, instants and decimals, as PyFlink's type information for them.

=================  =========================  ==============================================
type               Python value               on the wire (Arrow; docs/ARCHITECTURE.md, "TYPE")
=================  =========================  ==============================================
SQL_DATE           ``datetime.date``          date32 (days since 1970-01-01)
LOCAL_DATE         ``datetime.date``          date32
SQL_TIME           ``datetime.time``          time32[ms] (whole milliseconds, as PyFlink's)
LOCAL_TIME         ``datetime.time``          time64[us]
LOCAL_DATE_TIME    naive ``datetime``         timestamp[us]
INSTANT            ``Instant``                timestamp[us, tz=UTC]
BIG_DEC            ``decimal.Decimal``        decimal128(38, 18) (Flink's DECIMAL for BIG_DEC)
=================  =========================  ==============================================

A value that does not fit its type is refused with the reason, never rounded::

    >>> Types.SQL_TIME()._check(datetime.time(12, 0, 0, 1))
    'has microseconds, but this type holds whole milliseconds (round it, or use Types.LOCAL_TIME(), which holds microseconds)'
    >>> Types.BIG_DEC()._check(decimal.Decimal("1e20"))
    'has more than 20 digits before the point'
"""
import datetime
import decimal

from pyflow._arrow.decimal128 import decimal_why_not
from pyflow._arrow.temporal import temporal_why_not
from pyflow.common.typeinfo import SqlTimeTypeInfo, TypeInformation

__all__ = ["DateTypeInfo", "TimeTypeInfo", "LocalDateTimeTypeInfo", "InstantTypeInfo", "BigDecimalTypeInfo"]

#: BIG_DEC's precision and scale: Flink's DECIMAL(38, 18), the form Flink gives BasicTypeInfo.BIG_DEC in tables.
BIG_DEC_PRECISION, BIG_DEC_SCALE = 38, 18


class DateTypeInfo(TypeInformation):
    """SQL_DATE and LOCAL_DATE: a ``datetime.date`` (not a ``datetime``)."""

    def __init__(self, name: str = "SQL_DATE"):
        self._name = name

    def _check(self, value):
        return temporal_why_not("date32", value)


class TimeTypeInfo(TypeInformation):
    """SQL_TIME (whole milliseconds, as PyFlink's) and LOCAL_TIME (microseconds): a naive ``datetime.time``."""

    def __init__(self, name: str = "SQL_TIME"):
        self._name = name

    def _check(self, value):
        return temporal_why_not("time32[ms]" if self._name == "SQL_TIME" else "time64[us]", value)


class LocalDateTimeTypeInfo(SqlTimeTypeInfo):
    """LOCAL_DATE_TIME: a naive ``datetime.datetime``, microsecond precision (the same wire form as SQL_TIMESTAMP)."""

    _name = "LOCAL_DATE_TIME"


class InstantTypeInfo(TypeInformation):
    """INSTANT: a ``pyflow.common.time.Instant`` (microsecond precision on the wire)."""

    _name = "INSTANT"

    def _check(self, value):
        from pyflow._protocol.instants import instant_why_not
        return instant_why_not(value)


class BigDecimalTypeInfo(TypeInformation):
    """BIG_DEC: a ``decimal.Decimal`` (or an int) with at most 20 digits before the point and 18 after."""

    _name = "BIG_DEC"

    def _check(self, value):
        return decimal_why_not(BIG_DEC_PRECISION, BIG_DEC_SCALE, value)


from pyflow.common.typeinfo import Types  # noqa: E402,F401 - for the doctest
