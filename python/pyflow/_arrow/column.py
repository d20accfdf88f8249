"""Column: one Arrow array, held as numpy buffers (a nested column holds child Columns).

Storage (``Parts``):
  * fixed-width types: ``values`` is a little-endian numpy array
    (int32 / int64 / float64; timestamps as int64 microseconds since epoch)
  * bool: ``values`` is an unpacked numpy bool array
  * utf8 / binary: ``offsets`` int32 array (length + 1) and ``data`` bytes
  * struct: ``children`` (one Column per field); list / map: ``offsets`` and
    ``children`` (the items; a map's one child is its struct<key, value> entries)
  * ``validity`` is a numpy bool array (True = valid) or None when the
    column holds no nulls.
Values at null slots are unspecified (0 / empty when built here).
"""
from __future__ import annotations

import numpy as np

from .convert import Parts, from_python, to_python
from .types import NESTED_TYPES, ArrowCodecError, normalize_type

__all__ = ["Column"]

_FIXED_DTYPES = {"int32": np.dtype("<i4"), "int64": np.dtype("<i8"),
                 "float64": np.dtype("<f8"), "timestamp[us]": np.dtype("<i8")}


def _normalize_validity(validity, n: int):
    """Return (validity or None, null_count)."""
    if validity is None:
        return None, 0
    v = np.asarray(validity)
    if v.dtype != np.bool_:
        raise ArrowCodecError(f"validity must be a bool array, got dtype {v.dtype}")
    if v.shape != (n,):
        raise ArrowCodecError(f"validity has shape {v.shape}, expected ({n},)")
    nulls = n - int(np.count_nonzero(v))
    return (v, nulls) if nulls else (None, 0)


def _and_validity(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a & b


class Column:
    """An immutable Arrow column.  Build with ``from_pylist``/``from_numpy``."""

    __slots__ = ("_type", "_parts", "_null_count")

    def __init__(self, type_name: str, parts: Parts):
        """Internal: use Column.from_pylist or Column.from_numpy."""
        self._type = normalize_type(type_name)
        validity, nulls = _normalize_validity(parts.validity, parts.length)
        parts.validity = validity
        self._parts = parts
        self._null_count = nulls

    # ------------------------------------------------------------- builders
    @classmethod
    def from_pylist(cls, type: str, values) -> "Column":
        """Build from Python objects; None means null.  timestamp[us] takes
        datetime.datetime (naive = UTC; aware values are converted to UTC)."""
        name = normalize_type(type)
        return cls(name, from_python(name, values))

    @classmethod
    def from_numpy(cls, type: str, values, validity=None) -> "Column":
        """Build from a 1-D numpy array (zero-copy when dtype and byte order
        already match).  ``validity``: bool array, True = valid.
        timestamp[us] takes datetime64 (any unit; NaT = null) or int64 us."""
        name = normalize_type(type)
        if isinstance(name, NESTED_TYPES):
            raise ArrowCodecError(f"{name} column: build nested columns with Column.from_pylist")
        arr = np.asarray(values)
        if arr.ndim != 1:
            raise ArrowCodecError(f"{name} column: expected a 1-D array, got shape {arr.shape}")
        n = len(arr)
        valid, _ = _normalize_validity(validity, n)
        if name in ("utf8", "binary") or arr.dtype.kind == "O" or (name not in _FIXED_DTYPES and name != "bool"):
            # dates, times, instants and decimals: numpy gives their Python values (datetime64[D] -> date, ...)
            parts = from_python(name, arr.tolist())
            parts.validity = _and_validity(parts.validity, valid)
            return cls(name, parts)
        if name == "bool":
            if arr.dtype.kind != "b":
                raise ArrowCodecError(f"bool column: expected a bool array, got dtype {arr.dtype}")
            return cls(name, Parts(n, valid, values=np.ascontiguousarray(arr)))
        if name == "timestamp[us]" and arr.dtype.kind == "M":
            arr = arr.astype("datetime64[us]")
            nat = np.isnat(arr)
            ints = arr.view("<i8")
            if nat.any():
                valid = _and_validity(~nat, valid)
                ints = np.where(nat, 0, ints)
            return cls(name, Parts(n, valid, values=np.ascontiguousarray(ints, "<i8")))
        return cls(name, Parts(n, valid, values=_cast_fixed(name, arr)))

    # ------------------------------------------------------------ accessors
    @property
    def type(self) -> str:
        return self._type

    @property
    def validity(self):
        """numpy bool array (True = valid), or None when there are no nulls."""
        return self._parts.validity

    @property
    def null_count(self) -> int:
        return self._null_count

    @property
    def parts(self) -> Parts:
        """Raw buffers (read-only by convention); used by the IPC writer."""
        return self._parts

    @property
    def children(self) -> list:
        """Child columns of a nested column (struct fields; a list's items; a map's entries)."""
        return list(self._parts.children or ())

    def __len__(self) -> int:
        return self._parts.length

    def to_numpy(self) -> np.ndarray:
        """int32/int64/float64/bool: the values array itself (null slots hold
        unspecified values, see ``validity``).  timestamp[us]: datetime64[us]
        view.  utf8/binary: object array with None for nulls."""
        p = self._parts
        if self._type in ("utf8", "binary") or isinstance(self._type, NESTED_TYPES) or self._is_object_typed():
            out = np.empty(p.length, dtype=object)
            out[:] = self.to_pylist()
            return out
        if self._type == "timestamp[us]":
            return p.values.view("datetime64[us]")
        return p.values

    def to_pylist(self) -> list:
        return to_python(self._type, self._parts)

    def equals(self, other: "Column") -> bool:
        """Same type, length, null positions and values at valid slots
        (floats compare bitwise, except that any NaN equals any NaN; -0.0 != 0.0)."""
        if not isinstance(other, Column) or self._type != other._type:
            return False
        if len(self) != len(other) or self._null_count != other._null_count:
            return False
        a, b = self.validity, other.validity
        if a is not None and not np.array_equal(a, b):
            return False
        if self._type in ("utf8", "binary") or isinstance(self._type, NESTED_TYPES) or self._is_object_typed():
            return _same(self.to_pylist(), other.to_pylist())
        x, y = self._parts.values, other._parts.values
        if a is not None:
            x, y = x[a], y[a]
        if self._type == "float64":
            same = (x.view("<i8") == y.view("<i8")) | (np.isnan(x) & np.isnan(y))
            return bool(same.all())
        return bool(np.array_equal(x, y))

    def _is_object_typed(self) -> bool:
        """Dates, times, instants and decimals: their numpy form is Python objects, not the raw buffer."""
        return self._type not in _FIXED_DTYPES and self._type != "bool"

    def __repr__(self) -> str:
        items = self.to_pylist() if len(self) <= 10 else self.to_pylist()[:10] + ["..."]
        return f"Column<{self._type}>[{len(self)}]({items!r})"


def _cast_fixed(name: str, arr: np.ndarray) -> np.ndarray:
    target = _FIXED_DTYPES[name]
    kind = arr.dtype.kind
    allowed = "fiub" if name == "float64" else "iub"
    if kind not in allowed:
        raise ArrowCodecError(f"{name} column: cannot build from a numpy array of dtype {arr.dtype}")
    if kind in "iu" and target.kind == "i" and not np.can_cast(arr.dtype, target) and len(arr):
        info = np.iinfo(target)
        if arr.min() < info.min or arr.max() > info.max:
            raise ArrowCodecError(f"{name} column: value out of range for {name}")
    return np.ascontiguousarray(arr, dtype=target)


def _same(a, b) -> bool:
    """Deep equality where NaN equals NaN (nested values)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b
