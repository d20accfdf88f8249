"""Logical types, Field and Schema for the pure-Python Arrow codec.

Types are identified by short canonical strings.  Each type has a
``TypeInfo`` describing its physical layout, which the reader and writer use
to walk body buffers.  Only flat types exist today; nested types (list,
struct) would add a layout with children and are anticipated by
``TypeInfo.layout`` and ``Field.children``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "ArrowCodecError",
    "Field",
    "Schema",
    "TypeInfo",
    "SUPPORTED_TYPES",
    "normalize_type",
    "type_info",
]


class ArrowCodecError(ValueError):
    """Raised for unsupported types, invalid values and corrupt IPC input."""


# Physical layouts.  Buffers per layout (in IPC order):
#   "fixed"     : validity, values (fixed-width little-endian numbers)
#   "bool"      : validity, values (bit-packed, LSB first)
#   "varbinary" : validity, int32 offsets (length + 1), data bytes
LAYOUT_BUFFER_COUNT = {"fixed": 2, "bool": 2, "varbinary": 3}


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
}
_ALIASES = {"timestamp": "timestamp[us]"}

SUPPORTED_TYPES = tuple(_TYPES)


def normalize_type(name: object) -> str:
    """Return the canonical type name or raise ArrowCodecError naming it."""
    if isinstance(name, str):
        canon = _ALIASES.get(name, name)
        if canon in _TYPES:
            return canon
    raise ArrowCodecError(
        f"unsupported Arrow type {name!r}; supported types are: "
        + ", ".join(SUPPORTED_TYPES)
    )


def type_info(name: str) -> TypeInfo:
    return _TYPES[normalize_type(name)]


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
        """Child fields (always empty: nested types are not supported yet)."""
        return ()

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
