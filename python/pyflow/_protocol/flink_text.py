"""Records as Flink's Java ``toString`` writes them, for ``print()`` with ``pyflow.print.format=flink``.

PyFlink prints typed records on the Java side, so a ``Types.TUPLE`` prints as Flink's ``Tuple2.toString``
(``(a,1)``: no spaces), a ``Types.ROW`` as ``Row.toString`` (``+I[a, 1]``: the row kind, then the fields),
lists and arrays as ``[a, null]``, maps as ``{k=v}``, booleans as ``true``, doubles as Java's
``Double.toString`` (``1.0E20``) and timestamps as ``java.sql.Timestamp`` (``2021-01-09 12:00:00.011``).
Pickled records (no declared type) print as Python's ``str``, as PyFlink maps them to strings first.

>>> text = formatter({"name": "TUPLE", "fields": [{"name": "STRING"}, {"name": "ROW", "fields": [{"name": "INT"},
...     {"name": "LIST", "element": {"name": "DOUBLE"}}]}]})
>>> text(("a", (1, [2.0, None])))
'(a,+I[1, [2.0, null]])'
"""
import datetime
import decimal
import math

from pyflow.errors import PlanError

__all__ = ["formatter"]


def formatter(spec):
    """A function of one record giving Flink's text of it under TYPE ``spec``. Raises PlanError for a type
    this module does not know how Flink writes."""
    name = spec["name"]
    if name == "PICKLED_BYTE_ARRAY":
        return str
    if name == "TUPLE":
        return _nullable(_tuple([formatter(f) for f in spec["fields"]]))
    if name in ("ROW", "ROW_NAMED"):
        return _nullable(_row([formatter(f) for f in spec["fields"]]))
    if name == "LIST":
        return _nullable(_list(formatter(spec["element"])))
    if name == "MAP":
        return _nullable(_map(formatter(spec["key"]), formatter(spec["value"])))
    if name in _FLAT:
        return _nullable(_FLAT[name])
    raise PlanError(f"pyflow.print.format=flink does not know how Flink prints type {name}; use "
                    "pyflow.print.format=python for this stream")


def _nullable(one):
    return lambda v: "null" if v is None else one(v)


def _tuple(fields):
    return lambda v: "(" + ",".join(f(x) for f, x in zip(fields, v)) + ")"


def _row(fields):
    # Rows in the DataStream API are inserts: RowKind.INSERT's short string is "+I".
    return lambda v: "+I[" + ", ".join(f(x) for f, x in zip(fields, v)) + "]"


def _list(element):
    return lambda v: "[" + ", ".join(element(x) for x in v) + "]"


def _map(key, value):
    return lambda v: "{" + ", ".join(f"{key(k)}={value(x)}" for k, x in v.items()) + "}"


def _double(v) -> str:
    """Java's ``Double.toString``: plain decimals in [1e-3, 1e7), else ``d.dddE±n``; always a fraction digit."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0 or 1e-3 <= abs(v) < 1e7:
        return repr(v)
    sign, digits, exponent = decimal.Decimal(repr(v)).normalize().as_tuple()
    text = "".join(map(str, digits))
    mantissa = text[0] + "." + (text[1:] or "0")
    return ("-" if sign else "") + f"{mantissa}E{len(digits) - 1 + exponent}"


def _timestamp(v: datetime.datetime) -> str:
    """``java.sql.Timestamp.toString``: nanoseconds without trailing zeros, but at least one digit."""
    fraction = str(v.microsecond * 1000).zfill(9).rstrip("0") or "0"
    return v.strftime("%Y-%m-%d %H:%M:%S") + "." + fraction


def _bytes(v) -> str:
    """``Arrays.toString(byte[])``: Java bytes are signed."""
    return "[" + ", ".join(str(b - 256 if b > 127 else b) for b in bytes(v)) + "]"


_FLAT = {
    "BOOLEAN": lambda v: "true" if v else "false",
    "BYTE": str, "SHORT": str, "INT": str, "LONG": str, "BIG_INT": str,
    "FLOAT": _double, "DOUBLE": _double,
    "STRING": str,
    "BYTES": _bytes,
    "SQL_TIMESTAMP": _timestamp,
    "SQL_DATE": lambda v: v.isoformat(),
    "SQL_TIME": lambda v: v.strftime("%H:%M:%S"),
    "BIG_DEC": str,
}
