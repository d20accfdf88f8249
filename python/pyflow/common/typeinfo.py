"""Type information, as PyFlink's ``pyflink.common.typeinfo``: ``Types.INT()``, ``Types.STRING()``, ...

A type says how the records of a stream travel between operators (docs/ARCHITECTURE.md, "TYPE").
A stream without a declared type carries pickled Python objects (``Types.PICKLED_BYTE_ARRAY()``)::

    >>> Types.INT()._to_spec()
    {'name': 'INT'}
    >>> Types.PRIMITIVE_ARRAY(Types.BYTE())._to_spec()
    {'name': 'BYTES'}
    >>> Types.LIST(Types.INT())._to_spec()
    {'name': 'LIST', 'element': {'name': 'INT'}}

Nested types (``ROW``, ``ROW_NAMED``, ``TUPLE``, ``LIST``, ``BASIC_ARRAY``, ``MAP``) live in
``pyflow.common._nested_types`` and travel as Arrow struct, list and map columns; dates, times, instants and
decimals live in ``pyflow.common._scalar_types``.
"""
import datetime
import numbers

__all__ = ["TypeInformation", "BasicTypeInfo", "SqlTimeTypeInfo", "PrimitiveArrayTypeInfo",
           "PickledBytesTypeInfo", "RowTypeInfo", "TupleTypeInfo", "ListTypeInfo", "BasicArrayTypeInfo",
           "MapTypeInfo", "DateTypeInfo", "TimeTypeInfo", "LocalDateTimeTypeInfo", "InstantTypeInfo",
           "BigDecimalTypeInfo", "Types"]

# Element types of Types.PRIMITIVE_ARRAY (BYTE gives bytes).
_PRIMITIVES = ("BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE")

# Integer ranges of Flink's Java types; BIG_INT travels as int64 (see ARCHITECTURE.md, TYPE).
_INT_RANGES = {
    "BYTE": (-2 ** 7, 2 ** 7 - 1),
    "SHORT": (-2 ** 15, 2 ** 15 - 1),
    "INT": (-2 ** 31, 2 ** 31 - 1),
    "LONG": (-2 ** 63, 2 ** 63 - 1),
    "BIG_INT": (-2 ** 63, 2 ** 63 - 1),
}


def _is_bool(value) -> bool:
    return isinstance(value, bool) or type(value).__name__ == "bool_"  # numpy.bool_ without importing numpy


class TypeInformation:
    """The type of the records of a stream. Build one with ``Types``, never directly."""

    _name = None  # the TYPE name on the wire

    def _to_spec(self) -> dict:
        """The TYPE map of the plan: ``{"name": "INT"}``."""
        return {"name": self._name}

    def _check(self, value) -> "str | None":
        """Why ``value`` cannot travel as this type, or None when it can."""
        return None

    def __eq__(self, other):
        return type(self) is type(other) and self._to_spec() == other._to_spec()

    def __hash__(self):
        return hash((type(self), self._name))

    def _needs(self) -> str:
        """What a value of this type is, for error messages ("an int", "a Row of 2 fields", ...)."""
        return f"a value of {self!r}"

    def __repr__(self):
        return f"Types.{self._name}()"


class BasicTypeInfo(TypeInformation):
    """BOOLEAN, BYTE, SHORT, INT, LONG, BIG_INT, FLOAT, DOUBLE and STRING."""

    def __init__(self, name: str):
        self._name = name

    def _check(self, value):
        name = self._name
        if name == "STRING":
            return None if isinstance(value, str) else "expected a str"
        if name == "BOOLEAN":
            return None if _is_bool(value) else "expected a bool"
        if name in ("FLOAT", "DOUBLE"):
            if isinstance(value, numbers.Real) and not _is_bool(value):
                return None
            return "expected a float (or an int)"
        if not isinstance(value, numbers.Integral) or _is_bool(value):
            return "expected an int"
        low, high = _INT_RANGES[name]
        if not low <= int(value) <= high:
            return f"out of range: {name} holds {low}..{high}"
        return None


class SqlTimeTypeInfo(TypeInformation):
    """SQL_TIMESTAMP: a naive ``datetime.datetime`` (no time zone), microsecond precision (PyFlink keeps
    milliseconds; PyFlow keeps what Python's datetime holds)."""

    _name = "SQL_TIMESTAMP"

    def _check(self, value):
        if not isinstance(value, datetime.datetime):
            return "expected a datetime.datetime"
        if value.tzinfo is not None:
            return (f"expected a naive datetime ({self._name} has no time zone); convert it, "
                    "e.g. value.astimezone(timezone.utc).replace(tzinfo=None)")
        return None


class PrimitiveArrayTypeInfo(TypeInformation):
    """``Types.PRIMITIVE_ARRAY(t)``: for BYTE, bytes (called BYTES on the wire); for BOOLEAN, SHORT, INT, LONG,
    FLOAT and DOUBLE, a list (or 1-D numpy array) of such values, none of them None (an Arrow list on the wire)."""

    def __init__(self, element_type: "TypeInformation | None" = None):
        self._element_type = element_type if element_type is not None else BasicTypeInfo("BYTE")
        self._name = "BYTES" if self._element_type._name == "BYTE" else "PRIMITIVE_ARRAY"

    def get_element_type(self) -> TypeInformation:
        """The type of the elements."""
        return self._element_type

    def _to_spec(self) -> dict:
        if self._name == "BYTES":
            return {"name": "BYTES"}
        return {"name": "PRIMITIVE_ARRAY", "element": self._element_type._to_spec()}

    def _check(self, value):
        if self._name == "BYTES":
            return None if isinstance(value, (bytes, bytearray, memoryview)) else "expected bytes"
        if type(value).__name__ == "ndarray":  # numpy, without importing it
            if value.ndim != 1:
                return f"expected a 1-D array, got one of shape {value.shape}"
            value = value.tolist()
        if not isinstance(value, (list, tuple)):
            return "expected a list (or a 1-D numpy array)"
        for i, v in enumerate(value):
            if v is None:
                return f"element {i}: is None; a primitive array holds no nulls (use Types.LIST to allow them)"
            why = self._element_type._check(v)
            if why is not None:
                return f"element {i}: {why}"
        return None

    def __repr__(self):
        return f"Types.PRIMITIVE_ARRAY({self._element_type!r})"


class PickledBytesTypeInfo(TypeInformation):
    """Any picklable Python object; the default when no type is given."""

    _name = "PICKLED_BYTE_ARRAY"


def _planned(name: str):
    def unsupported(*args, **kwargs):
        raise NotImplementedError(
            f"Types.{name} is not supported yet (planned); use Types.PICKLED_BYTE_ARRAY() or leave output_type unset")
    unsupported.__name__ = name
    unsupported.__doc__ = "Not supported yet: raises NotImplementedError. Use Types.PICKLED_BYTE_ARRAY()."
    return staticmethod(unsupported)


class Types:
    """Factories of type information, named as PyFlink's ``Types``.

    >>> Types.STRING()
    Types.STRING()
    >>> Types.ROW_NAMED(["a"], [Types.INT()])
    Types.ROW_NAMED(['a'], [Types.INT()])
    >>> Types.CHAR()
    Traceback (most recent call last):
    NotImplementedError: Types.CHAR is not supported yet (planned); use Types.PICKLED_BYTE_ARRAY() or leave output_type unset
    """

    @staticmethod
    def BOOLEAN() -> TypeInformation:
        """A bool."""
        return BasicTypeInfo("BOOLEAN")

    @staticmethod
    def BYTE() -> TypeInformation:
        """An int in -128..127."""
        return BasicTypeInfo("BYTE")

    @staticmethod
    def SHORT() -> TypeInformation:
        """An int in -32768..32767."""
        return BasicTypeInfo("SHORT")

    @staticmethod
    def INT() -> TypeInformation:
        """A 32-bit int."""
        return BasicTypeInfo("INT")

    @staticmethod
    def LONG() -> TypeInformation:
        """A 64-bit int."""
        return BasicTypeInfo("LONG")

    @staticmethod
    def BIG_INT() -> TypeInformation:
        """An int; travels as a 64-bit int, so larger values are refused."""
        return BasicTypeInfo("BIG_INT")

    @staticmethod
    def FLOAT() -> TypeInformation:
        """A float (travels as 64-bit)."""
        return BasicTypeInfo("FLOAT")

    @staticmethod
    def DOUBLE() -> TypeInformation:
        """A float."""
        return BasicTypeInfo("DOUBLE")

    @staticmethod
    def STRING() -> TypeInformation:
        """A str."""
        return BasicTypeInfo("STRING")

    @staticmethod
    def SQL_TIMESTAMP() -> TypeInformation:
        """A naive datetime.datetime."""
        return SqlTimeTypeInfo()

    @staticmethod
    def PICKLED_BYTE_ARRAY() -> TypeInformation:
        """Any picklable Python object."""
        return PickledBytesTypeInfo()

    @staticmethod
    def PRIMITIVE_ARRAY(element_type: TypeInformation) -> TypeInformation:
        """An array of a primitive type: ``Types.PRIMITIVE_ARRAY(Types.BYTE())`` is bytes; of BOOLEAN, SHORT,
        INT, LONG, FLOAT or DOUBLE a list without None (a 1-D numpy array is taken too), as PyFlink gives it."""
        if isinstance(element_type, BasicTypeInfo) and element_type._name in _PRIMITIVES:
            return PrimitiveArrayTypeInfo(element_type)
        raise TypeError(f"Types.PRIMITIVE_ARRAY: invalid element type {element_type!r}; a primitive array holds "
                        f"one of {', '.join(f'Types.{n}()' for n in _PRIMITIVES)} (Types.CHAR is not supported)")

    @staticmethod
    def BIG_DEC() -> TypeInformation:
        """A ``decimal.Decimal`` with at most 20 digits before the point and 18 after (Flink's DECIMAL(38, 18))."""
        return BigDecimalTypeInfo()

    @staticmethod
    def SQL_DATE() -> TypeInformation:
        """A ``datetime.date``."""
        return DateTypeInfo("SQL_DATE")

    @staticmethod
    def SQL_TIME() -> TypeInformation:
        """A naive ``datetime.time`` in whole milliseconds (PyFlink keeps milliseconds for SQL_TIME)."""
        return TimeTypeInfo("SQL_TIME")

    @staticmethod
    def LOCAL_DATE() -> TypeInformation:
        """A ``datetime.date`` (Java's LocalDate)."""
        return DateTypeInfo("LOCAL_DATE")

    @staticmethod
    def LOCAL_TIME() -> TypeInformation:
        """A naive ``datetime.time``, microsecond precision (Java's LocalTime)."""
        return TimeTypeInfo("LOCAL_TIME")

    @staticmethod
    def LOCAL_DATE_TIME() -> TypeInformation:
        """A naive ``datetime.datetime``, microsecond precision (Java's LocalDateTime)."""
        return LocalDateTimeTypeInfo()

    @staticmethod
    def INSTANT() -> TypeInformation:
        """A ``pyflow.common.time.Instant``, microsecond precision, years 1..9999 (Java's Instant)."""
        return InstantTypeInfo()

    @staticmethod
    def ROW(field_types) -> TypeInformation:
        """A ``Row`` of unnamed fields (f0, f1, ... on the wire): ``Types.ROW([Types.INT(), Types.STRING()])``."""
        return RowTypeInfo(field_types)

    @staticmethod
    def ROW_NAMED(field_names, field_types) -> TypeInformation:
        """A ``Row`` with field names: ``Types.ROW_NAMED(["id", "name"], [Types.INT(), Types.STRING()])``."""
        return RowTypeInfo(field_types, field_names)

    @staticmethod
    def TUPLE(field_types) -> TypeInformation:
        """A tuple: ``Types.TUPLE([Types.STRING(), Types.LONG()])`` holds ``("a", 1)``."""
        return TupleTypeInfo(field_types)

    @staticmethod
    def LIST(element_type_info) -> TypeInformation:
        """A list of ``element_type_info``: ``Types.LIST(Types.INT())`` holds ``[1, 2]``."""
        return ListTypeInfo(element_type_info)

    @staticmethod
    def BASIC_ARRAY(element_type) -> TypeInformation:
        """An array of a basic type; in Python a list, the same as ``Types.LIST(element_type)`` on the wire."""
        return BasicArrayTypeInfo(element_type)

    @staticmethod
    def MAP(key_type_info, value_type_info) -> TypeInformation:
        """A dict: ``Types.MAP(Types.STRING(), Types.INT())`` holds ``{"a": 1}``; keys are never None."""
        return MapTypeInfo(key_type_info, value_type_info)

    OBJECT_ARRAY = _planned("OBJECT_ARRAY")
    CHAR = _planned("CHAR")


def _from_spec(spec: dict) -> TypeInformation:
    """The type information of a TYPE map (the inverse of ``_to_spec``), as workers rebuild it."""
    name = spec["name"]
    if name in ("ROW", "ROW_NAMED", "TUPLE"):
        fields = [_from_spec(f) for f in spec["fields"]]
        if name == "TUPLE":
            return TupleTypeInfo(fields)
        return RowTypeInfo(fields, spec["names"] if name == "ROW_NAMED" else None)
    if name == "LIST":
        return ListTypeInfo(_from_spec(spec["element"]))
    if name == "MAP":
        return MapTypeInfo(_from_spec(spec["key"]), _from_spec(spec["value"]))
    if name == "SQL_TIMESTAMP":
        return SqlTimeTypeInfo()
    if name in _SCALAR_TYPES:
        return _SCALAR_TYPES[name]()
    if name == "BYTES":
        return PrimitiveArrayTypeInfo()
    if name == "PRIMITIVE_ARRAY":
        return PrimitiveArrayTypeInfo(_from_spec(spec["element"]))
    if name == "PICKLED_BYTE_ARRAY":
        return PickledBytesTypeInfo()
    if name in _INT_RANGES or name in ("BOOLEAN", "FLOAT", "DOUBLE", "STRING"):
        return BasicTypeInfo(name)
    raise TypeError(f"unknown type {name!r}")


from pyflow.common._nested_types import (  # noqa: E402 - they subclass TypeInformation above
    BasicArrayTypeInfo, ListTypeInfo, MapTypeInfo, RowTypeInfo, TupleTypeInfo)
from pyflow.common._scalar_types import (  # noqa: E402 - they subclass TypeInformation above
    BigDecimalTypeInfo, DateTypeInfo, InstantTypeInfo, LocalDateTimeTypeInfo, TimeTypeInfo)

_SCALAR_TYPES = {
    "SQL_DATE": lambda: DateTypeInfo("SQL_DATE"), "LOCAL_DATE": lambda: DateTypeInfo("LOCAL_DATE"),
    "SQL_TIME": lambda: TimeTypeInfo("SQL_TIME"), "LOCAL_TIME": lambda: TimeTypeInfo("LOCAL_TIME"),
    "LOCAL_DATE_TIME": LocalDateTimeTypeInfo, "INSTANT": InstantTypeInfo, "BIG_DEC": BigDecimalTypeInfo,
}

from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
