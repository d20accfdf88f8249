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
``pyflow.common._nested_types`` and travel as Arrow struct, list and map columns.
"""
import datetime
import numbers

__all__ = ["TypeInformation", "BasicTypeInfo", "SqlTimeTypeInfo", "PrimitiveArrayTypeInfo",
           "PickledBytesTypeInfo", "RowTypeInfo", "TupleTypeInfo", "ListTypeInfo", "BasicArrayTypeInfo",
           "MapTypeInfo", "Types"]

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
    """SQL_TIMESTAMP: a naive ``datetime.datetime`` (no time zone), microsecond precision."""

    _name = "SQL_TIMESTAMP"

    def _check(self, value):
        if not isinstance(value, datetime.datetime):
            return "expected a datetime.datetime"
        if value.tzinfo is not None:
            return ("expected a naive datetime (SQL_TIMESTAMP has no time zone); convert it, "
                    "e.g. value.astimezone(timezone.utc).replace(tzinfo=None)")
        return None


class PrimitiveArrayTypeInfo(TypeInformation):
    """``Types.PRIMITIVE_ARRAY(Types.BYTE())``: bytes, called BYTES on the wire."""

    _name = "BYTES"

    def _check(self, value):
        return None if isinstance(value, (bytes, bytearray, memoryview)) else "expected bytes"

    def __repr__(self):
        return "Types.PRIMITIVE_ARRAY(Types.BYTE())"


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
        """``Types.PRIMITIVE_ARRAY(Types.BYTE())`` is bytes; other element types are not supported yet."""
        if element_type == Types.BYTE():
            return PrimitiveArrayTypeInfo()
        raise NotImplementedError(
            f"Types.PRIMITIVE_ARRAY({element_type!r}) is not supported yet (planned); only "
            "Types.PRIMITIVE_ARRAY(Types.BYTE()) is. Use Types.PICKLED_BYTE_ARRAY() or leave output_type unset")

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
    BIG_DEC = _planned("BIG_DEC")
    SQL_DATE = _planned("SQL_DATE")
    SQL_TIME = _planned("SQL_TIME")
    INSTANT = _planned("INSTANT")


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
    if name == "BYTES":
        return PrimitiveArrayTypeInfo()
    if name == "PICKLED_BYTE_ARRAY":
        return PickledBytesTypeInfo()
    if name in _INT_RANGES or name in ("BOOLEAN", "FLOAT", "DOUBLE", "STRING"):
        return BasicTypeInfo(name)
    raise TypeError(f"unknown type {name!r}")


from pyflow.common._nested_types import (  # noqa: E402 - they subclass TypeInformation above
    BasicArrayTypeInfo, ListTypeInfo, MapTypeInfo, RowTypeInfo, TupleTypeInfo)

from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
