"""Logical types, Field and Schema for the pure-Python Arrow codec.

Flat types are identified by short canonical strings; nested types are the
value objects ``StructType``, ``ListType`` and ``MapType`` (``struct_of``,
``list_of``, ``map_of`` build them).  Each type has a ``TypeInfo``
describing its physical layout, which the reader and writer use to walk body
buffers; a nested type's children are ``Field.children``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ArrowCodecError",
    "Field",
    "StructType",
    "ListType",
    "MapType",
    "struct_of",
    "list_of",
    "map_of",
    "Schema",
    "TypeInfo",
    "SUPPORTED_TYPES",
    "normalize_type",
    "type_info",
    "decimal_type",
    "decimal_params",
]


class ArrowCodecError(ValueError):
    """Raised for unsupported types, invalid values and corrupt IPC input."""


# Physical layouts.  Buffers per layout (in IPC order):
#   "fixed"     : validity, values (fixed-width little-endian numbers)
#   "bool"      : validity, values (bit-packed, LSB first)
#   "varbinary" : validity, int32 offsets (length + 1), data bytes
#   "struct"    : validity; then each child field's buffers
#   "list"      : validity, int32 offsets (length + 1); then the child's buffers
#   "map"       : as "list"; the child is a non-null struct<key, value>
LAYOUT_BUFFER_COUNT = {"fixed": 2, "bool": 2, "varbinary": 3, "struct": 1, "list": 2, "map": 2}


@dataclass(frozen=True)
class TypeInfo:
    name: str
    layout: str
    dtype: np.dtype | None  # numpy dtype of the values buffer (None: varbinary)

    @property
    def num_buffers(self) -> int:
        return LAYOUT_BUFFER_COUNT[self.layout]


_TYPES = {
    "int32": TypeInfo("int32", "fixed", np.dtype("<i4")),
    "int64": TypeInfo("int64", "fixed", np.dtype("<i8")),
    "float64": TypeInfo("float64", "fixed", np.dtype("<f8")),
    "bool": TypeInfo("bool", "bool", None),
    "utf8": TypeInfo("utf8", "varbinary", None),
    "binary": TypeInfo("binary", "varbinary", None),
    "timestamp[us]": TypeInfo("timestamp[us]", "fixed", np.dtype("<i8")),
    # Temporal types (``pyflow._arrow.temporal``): days since epoch; milliseconds or microseconds of the day;
    # microseconds since epoch of an instant (UTC).
    "date32": TypeInfo("date32", "fixed", np.dtype("<i4")),
    "time32[ms]": TypeInfo("time32[ms]", "fixed", np.dtype("<i4")),
    "time64[us]": TypeInfo("time64[us]", "fixed", np.dtype("<i8")),
    "timestamp[us, tz=UTC]": TypeInfo("timestamp[us, tz=UTC]", "fixed", np.dtype("<i8")),
}
_ALIASES = {"timestamp": "timestamp[us]"}

# decimal128(precision, scale): 16-byte little-endian two's complement unscaled values (``pyflow._arrow.decimal128``).
_DECIMAL = re.compile(r"decimal128\((\d+), ?(\d+)\)")
DECIMAL_DTYPE = np.dtype("V16")

SUPPORTED_TYPES = tuple(_TYPES) + ("decimal128(P, S)",)


def decimal_type(precision: int, scale: int) -> str:
    """The canonical name of decimal128 with ``precision`` (1..38) digits, ``scale`` of them after the point."""
    if not (1 <= precision <= 38 and 0 <= scale <= precision):
        raise ArrowCodecError(f"unsupported Arrow type decimal128({precision}, {scale}): "
                              "precision must be 1..38 and scale 0..precision")
    return f"decimal128({precision}, {scale})"


def decimal_params(name) -> "tuple | None":
    """``(precision, scale)`` of a canonical decimal128 name, None for any other type."""
    m = _DECIMAL.fullmatch(name) if isinstance(name, str) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def normalize_type(name: object):
    """Return the canonical type name (or the nested type itself) or raise ArrowCodecError naming it."""
    if isinstance(name, NESTED_TYPES):
        return name
    if isinstance(name, str):
        canon = _ALIASES.get(name, name)
        if canon in _TYPES:
            return canon
        params = decimal_params(name)
        if params:
            return decimal_type(*params)
    raise ArrowCodecError(
        f"unsupported Arrow type {name!r}; supported types are: "
        + ", ".join(SUPPORTED_TYPES)
    )


def type_info(name) -> TypeInfo:
    if isinstance(name, NESTED_TYPES):
        return TypeInfo(str(name), name.layout, None)
    canon = normalize_type(name)
    if canon in _TYPES:
        return _TYPES[canon]
    return TypeInfo(canon, "fixed", DECIMAL_DTYPE)


@dataclass(frozen=True, init=False)
class Field:
    """A named, typed column slot.  ``type`` is a canonical type string."""

    name: str
    type: str
    nullable: bool

    def __init__(self, name: str, type: str, nullable: bool = True):
        if not isinstance(name, str):
            raise ArrowCodecError(f"field name must be str, got {type_name(name)}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "type", normalize_type(type))
        object.__setattr__(self, "nullable", bool(nullable))

    @property
    def children(self) -> tuple:
        """Child fields: a struct's fields, a list's item, a map's entries; empty for flat types."""
        return self.type.children if isinstance(self.type, NESTED_TYPES) else ()

    def __repr__(self) -> str:
        null = "" if self.nullable else ", nullable=False"
        return f"Field({self.name!r}, {self.type!r}{null})"


@dataclass(frozen=True, init=False)
class Schema:
    """An ordered, non-empty collection of fields."""

    fields: tuple

    def __init__(self, fields):
        try:
            fields = tuple(fields)
        except TypeError:
            raise ArrowCodecError("Schema expects a list of Field") from None
        for f in fields:
            if not isinstance(f, Field):
                raise ArrowCodecError(f"Schema expects Field objects, got {type_name(f)}")
        if not fields:
            raise ArrowCodecError("a schema with 0 columns is not supported")
        object.__setattr__(self, "fields", fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __iter__(self):
        return iter(self.fields)

    @property
    def names(self) -> list:
        return [f.name for f in self.fields]

    def field(self, key) -> Field:
        return self.fields[self.index(key)]

    def index(self, key) -> int:
        """Column position for an int index or a field name."""
        if isinstance(key, str):
            hits = [i for i, f in enumerate(self.fields) if f.name == key]
            if not hits:
                raise KeyError(f"no column named {key!r}")
            if len(hits) > 1:
                raise KeyError(f"column name {key!r} is ambiguous ({len(hits)} columns)")
            return hits[0]
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            n = len(self.fields)
            i = int(key)
            if not -n <= i < n:
                raise IndexError(f"column index {i} out of range for {n} columns")
            return i % n
        raise TypeError(f"column key must be int or str, got {type_name(key)}")

    def __repr__(self) -> str:
        return "Schema([" + ", ".join(repr(f) for f in self.fields) + "])"


def type_name(obj: object) -> str:
    return type(obj).__name__


# --------------------------------------------------------------------------
# Nested types
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class StructType:
    """struct<fields...>: one child column per field, each as long as the struct."""

    fields: tuple
    layout = "struct"

    @property
    def children(self) -> tuple:
        return self.fields

    def __str__(self) -> str:
        return "struct<" + ", ".join(f"{f.name}: {f.type}" for f in self.fields) + ">"


@dataclass(frozen=True)
class ListType:
    """list<item>: int32 offsets into one child column holding every element."""

    item: Field
    layout = "list"

    @property
    def children(self) -> tuple:
        return (self.item,)

    def __str__(self) -> str:
        return f"list<{self.item.type}>"


@dataclass(frozen=True)
class MapType:
    """map<key, value>: a list of non-null struct<key, value> entries; keys are never null."""

    key: Field
    value: Field
    layout = "map"

    @property
    def entries(self) -> Field:
        return Field("entries", StructType((self.key, self.value)), nullable=False)

    @property
    def children(self) -> tuple:
        return (self.entries,)

    def __str__(self) -> str:
        return f"map<{self.key.type}, {self.value.type}>"


NESTED_TYPES = (StructType, ListType, MapType)


def struct_of(fields) -> StructType:
    """A struct of ``Field``s, or of ``(name, type)`` pairs."""
    return StructType(tuple(f if isinstance(f, Field) else Field(*f) for f in fields))


def list_of(item) -> ListType:
    """A list whose elements have type ``item`` (a type, or a ``Field``)."""
    return ListType(item if isinstance(item, Field) else Field("item", item))


def map_of(key, value) -> MapType:
    """A map from ``key`` to ``value`` (types); Arrow's field names key/value."""
    return MapType(Field("key", key, nullable=False), Field("value", value))
