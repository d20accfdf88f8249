"""Python values <-> Arrow parts for the nested types (struct, list, map).

A struct takes tuples (or lists) with one item per field, or dicts by field
name, and gives back tuples; a list takes lists or tuples and gives back
lists; a map takes dicts (any ``Mapping``) and gives back dicts.  None is null
at every level.  Children are built and read by the flat converters (or by
this module again), so the work per element is a few C-level calls.
"""
from __future__ import annotations

from collections.abc import Mapping
from itertools import chain

import numpy as np

from .convert import Parts, _apply_nulls, _offsets_from_lengths
from .types import ArrowCodecError, ListType, MapType, StructType

__all__ = ["nested_from_python", "nested_to_python"]


def _column(type_, values):
    from .column import Column  # column imports convert, which imports this module lazily
    return Column.from_pylist(type_, values)


def _validity(values: list):
    if None not in values:
        return None
    return np.fromiter((v is not None for v in values), dtype=bool, count=len(values))


def _bad(type_, index: int, value, expected: str) -> ArrowCodecError:
    return ArrowCodecError(
        f"{type_} column: value at index {index} is {type(value).__name__} {value!r:.80}; expected {expected}")


def nested_from_python(type_, values) -> Parts:
    if not isinstance(values, list):
        values = list(values)
    if isinstance(type_, StructType):
        return _struct_from_python(type_, values)
    if isinstance(type_, MapType):
        return _map_from_python(type_, values)
    if isinstance(type_, ListType):
        return _list_from_python(type_, values)
    raise ArrowCodecError(f"unsupported Arrow type {type_!r}")  # pragma: no cover


def _struct_from_python(type_: StructType, values: list) -> Parts:
    fields = type_.fields
    width = len(fields)
    rows = []
    for i, v in enumerate(values):
        if v is None:
            rows.append((None,) * width)
        elif isinstance(v, (tuple, list)):
            if len(v) != width:
                raise _bad(type_, i, v, f"{width} fields ({', '.join(f.name for f in fields)})")
            rows.append(v)
        elif isinstance(v, Mapping):
            missing = [f.name for f in fields if f.name not in v]
            if missing:
                raise _bad(type_, i, v, f"a value for field(s) {', '.join(missing)}")
            rows.append(tuple(v[f.name] for f in fields))
        else:
            raise _bad(type_, i, v, f"a tuple of {width} fields")
    columns = list(zip(*rows)) if rows else [()] * width
    children = []
    for field, column in zip(fields, columns):
        try:
            children.append(_column(field.type, list(column)))
        except ArrowCodecError as e:
            raise ArrowCodecError(f"field {field.name!r}: {e}") from None
    return Parts(len(values), _validity(values), children=children)


def _list_from_python(type_: ListType, values: list) -> Parts:
    for i, v in enumerate(values):
        if v is not None and not isinstance(v, (list, tuple)):
            raise _bad(type_, i, v, "a list")
    lengths = np.fromiter((0 if v is None else len(v) for v in values), dtype=np.int64, count=len(values))
    items = list(chain.from_iterable(v for v in values if v is not None))
    try:
        child = _column(type_.item.type, items)
    except ArrowCodecError as e:
        raise ArrowCodecError(f"list element: {e}") from None
    return Parts(len(values), _validity(values), offsets=_offsets_from_lengths(lengths, "list"), children=[child])


def _map_from_python(type_: MapType, values: list) -> Parts:
    for i, v in enumerate(values):
        if v is not None and not isinstance(v, Mapping):
            raise _bad(type_, i, v, "a dict")
    present = [v for v in values if v is not None]
    lengths = np.fromiter((0 if v is None else len(v) for v in values), dtype=np.int64, count=len(values))
    keys = list(chain.from_iterable(v.keys() for v in present))
    items = list(chain.from_iterable(v.values() for v in present))
    if None in keys:
        raise ArrowCodecError(f"{type_} column: a map key is None; map keys cannot be null")
    try:
        key_col = _column(type_.key.type, keys)
    except ArrowCodecError as e:
        raise ArrowCodecError(f"map key: {e}") from None
    try:
        value_col = _column(type_.value.type, items)
    except ArrowCodecError as e:
        raise ArrowCodecError(f"map value: {e}") from None
    from .column import Column
    entries = Column(type_.entries.type, Parts(len(keys), None, children=[key_col, value_col]))
    return Parts(len(values), _validity(values), offsets=_offsets_from_lengths(lengths, "map"), children=[entries])


def nested_to_python(type_, parts: Parts) -> list:
    n = parts.length
    if isinstance(type_, StructType):
        columns = [c.to_pylist()[:n] for c in parts.children]
        out = list(zip(*columns)) if columns else [()] * n
    elif isinstance(type_, MapType):
        entries = parts.children[0]
        keys, items = (c.to_pylist() for c in entries.parts.children)
        offs = parts.offsets.tolist()
        out = [dict(zip(keys[a:b], items[a:b])) for a, b in zip(offs, offs[1:])]
    else:
        items = parts.children[0].to_pylist()
        offs = parts.offsets.tolist()
        out = [items[a:b] for a, b in zip(offs, offs[1:])]
    return _apply_nulls(out, parts.validity)
