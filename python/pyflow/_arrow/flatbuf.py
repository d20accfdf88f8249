"""Minimal hand-written FlatBuffers encoder and bounds-checked decoder.

Only the subset Arrow IPC metadata needs: tables with scalar fields, strings,
sub-tables, vectors of tables, vectors of structs and vectors of scalars.

Encoder: objects are laid out top-down (a parent before its children), so
every unsigned offset points forward as FlatBuffers requires.  Each table is
preceded by its vtable.  Alignment is relative to the start of the buffer.

Decoder: every read is bounds-checked and raises ArrowCodecError, so corrupt
input never leaks struct.error / IndexError and never loops (all traversal is
driven by the caller's fixed schema; vector counts are checked against the
buffer size before iterating).
"""
from __future__ import annotations

import struct

from .types import ArrowCodecError

__all__ = [
    "Table", "String", "TableVector", "StructVector", "ScalarVector",
    "encode", "TableView", "root_table",
]

_U32 = struct.Struct("<I")
_I32 = struct.Struct("<i")
_U16 = struct.Struct("<H")
_VT_HDR = struct.Struct("<HH")


# --------------------------------------------------------------------------
# Encoder
# --------------------------------------------------------------------------

class Table:
    """A table to encode.  ``fields`` is a list of ``(slot, fmt, value)``:
    ``fmt`` is a struct format char for a scalar ('b','B','h','i','q','d', '?')
    or ``None`` for an offset to a String/Table/*Vector value."""

    __slots__ = ("fields",)

    def __init__(self, fields=()):
        self.fields = list(fields)


class String:
    __slots__ = ("data",)

    def __init__(self, text):
        self.data = text.encode("utf-8") if isinstance(text, str) else bytes(text)


class TableVector:
    __slots__ = ("tables",)

    def __init__(self, tables):
        self.tables = list(tables)


class StructVector:
    """Vector of structs; ``data`` is already packed, ``align`` is the
    struct alignment, ``count`` the element count."""

    __slots__ = ("data", "count", "align")

    def __init__(self, data: bytes, count: int, align: int):
        self.data, self.count, self.align = data, count, align


class ScalarVector:
    __slots__ = ("fmt", "values")

    def __init__(self, fmt: str, values):
        self.fmt, self.values = fmt, list(values)


def _pad_to(buf: bytearray, align: int, extra: int = 0) -> None:
    """Pad so that ``len(buf) + extra`` is a multiple of ``align``."""
    rem = (len(buf) + extra) % align
    if rem:
        buf += b"\0" * (align - rem)


def encode(root: Table) -> bytes:
    """Serialize ``root`` into a finished FlatBuffer (root uoffset at 0)."""
    buf = bytearray(4)
    pos = _write(buf, root)
    _U32.pack_into(buf, 0, pos)
    _pad_to(buf, 8)
    return bytes(buf)


def _write(buf: bytearray, obj) -> int:
    if isinstance(obj, Table):
        return _write_table(buf, obj)
    if isinstance(obj, String):
        _pad_to(buf, 4)
        pos = len(buf)
        buf += _U32.pack(len(obj.data))
        buf += obj.data
        buf += b"\0"
        return pos
    if isinstance(obj, TableVector):
        _pad_to(buf, 4)
        pos = len(buf)
        n = len(obj.tables)
        buf += _U32.pack(n)
        buf += b"\0" * (4 * n)
        for i, t in enumerate(obj.tables):
            slot = pos + 4 + 4 * i
            _U32.pack_into(buf, slot, _write_table(buf, t) - slot)
        return pos
    if isinstance(obj, StructVector):
        _pad_to(buf, max(obj.align, 4), extra=4)
        pos = len(buf)
        buf += _U32.pack(obj.count)
        buf += obj.data
        return pos
    if isinstance(obj, ScalarVector):
        size = struct.calcsize("<" + obj.fmt)
        _pad_to(buf, max(size, 4), extra=4)
        pos = len(buf)
        buf += _U32.pack(len(obj.values))
        buf += struct.pack(f"<{len(obj.values)}{obj.fmt}", *obj.values)
        return pos
    raise TypeError(f"cannot encode {type(obj).__name__} as a flatbuffer object")


def _write_table(buf: bytearray, table: Table) -> int:
    # Inline layout: soffset (4 bytes) then fields, largest first.
    items = []
    for slot, fmt, value in table.fields:
        size = 4 if fmt is None else struct.calcsize("<" + fmt)
        items.append((size, slot, fmt, value))
    items.sort(key=lambda it: (-it[0], it[1]))
    table_align = max([4] + [it[0] for it in items])
    rel = 4
    placed = []
    for size, slot, fmt, value in items:
        rel += (-rel) % size
        placed.append((rel, slot, fmt, value))
        rel += size
    table_size = rel
    num_slots = 1 + max((it[1] for it in items), default=-1)

    vtable = [0] * num_slots
    for r, slot, _, _ in placed:
        vtable[slot] = r
    vt_bytes = struct.pack(f"<HH{num_slots}H", 4 + 2 * num_slots, table_size, *vtable)

    _pad_to(buf, 2)
    vt_pos = len(buf)
    buf += vt_bytes
    _pad_to(buf, table_align)
    pos = len(buf)
    buf += b"\0" * table_size
    _I32.pack_into(buf, pos, pos - vt_pos)
    children = []
    for r, slot, fmt, value in placed:
        if fmt is None:
            children.append((pos + r, value))
        else:
            struct.pack_into("<" + fmt, buf, pos + r, value)
    for field_pos, value in children:
        _U32.pack_into(buf, field_pos, _write(buf, value) - field_pos)
    return pos


# --------------------------------------------------------------------------
# Decoder
# --------------------------------------------------------------------------

def _fail(what: str):
    raise ArrowCodecError(f"corrupt flatbuffer metadata: {what}")


def root_table(buf: bytes) -> "TableView":
    if len(buf) < 8:
        _fail(f"metadata of {len(buf)} bytes is too short")
    return TableView(buf, _U32.unpack_from(buf, 0)[0])


class TableView:
    """Read-only, bounds-checked view of one table inside ``buf``."""

    __slots__ = ("buf", "pos", "_vt", "_vt_len", "_tbl_len")

    def __init__(self, buf: bytes, pos: int):
        n = len(buf)
        if pos < 0 or pos + 4 > n:
            _fail(f"table offset {pos} out of range")
        vt = pos - _I32.unpack_from(buf, pos)[0]
        if vt < 0 or vt + 4 > n:
            _fail(f"vtable offset {vt} out of range")
        vt_len, tbl_len = _VT_HDR.unpack_from(buf, vt)
        if vt_len < 4 or vt_len % 2 or vt + vt_len > n:
            _fail(f"bad vtable size {vt_len}")
        if tbl_len < 4 or pos + tbl_len > n:
            _fail(f"bad table size {tbl_len}")
        self.buf, self.pos = buf, pos
        self._vt, self._vt_len, self._tbl_len = vt, vt_len, tbl_len

    def has(self, slot: int) -> bool:
        o = 4 + 2 * slot
        return o + 2 <= self._vt_len and _U16.unpack_from(self.buf, self._vt + o)[0] != 0

    def _field(self, slot: int, size: int) -> int:
        """Absolute position of the field, or 0 if absent."""
        o = 4 + 2 * slot
        if o + 2 > self._vt_len:
            return 0
        off = _U16.unpack_from(self.buf, self._vt + o)[0]
        if off == 0:
            return 0
        if off < 4 or off + size > self._tbl_len:
            _fail(f"field {slot} at offset {off} lies outside its table")
        return self.pos + off

    def scalar(self, slot: int, fmt: str, default=0):
        s = struct.Struct("<" + fmt)
        p = self._field(slot, s.size)
        return s.unpack_from(self.buf, p)[0] if p else default

    def _target(self, slot: int) -> int:
        p = self._field(slot, 4)
        if not p:
            return 0
        t = p + _U32.unpack_from(self.buf, p)[0]
        if t + 4 > len(self.buf):
            _fail(f"offset of field {slot} points outside the buffer")
        return t

    def table(self, slot: int) -> "TableView | None":
        t = self._target(slot)
        return TableView(self.buf, t) if t else None

    def string(self, slot: int) -> "str | None":
        start, n = self._vector(slot, 1)
        if start is None:
            return None
        try:
            return self.buf[start:start + n].decode("utf-8")
        except UnicodeDecodeError:
            _fail(f"string field {slot} is not valid UTF-8")

    def _vector(self, slot: int, elem_size: int):
        """(first element position, count) or (None, 0) if absent."""
        t = self._target(slot)
        if not t:
            return None, 0
        n = _U32.unpack_from(self.buf, t)[0]
        start = t + 4
        if start + n * elem_size > len(self.buf):
            _fail(f"vector field {slot} of {n} elements overruns the buffer")
        return start, n

    def vector_len(self, slot: int, elem_size: int) -> "int | None":
        start, n = self._vector(slot, elem_size)
        return None if start is None else n

    def table_vector(self, slot: int) -> "list | None":
        start, n = self._vector(slot, 4)
        if start is None:
            return None
        buf = self.buf
        out = []
        for i in range(n):
            p = start + 4 * i
            out.append(TableView(buf, p + _U32.unpack_from(buf, p)[0]))
        return out

    def struct_vector(self, slot: int, fmt: str) -> "list | None":
        """List of tuples, one per struct element."""
        s = struct.Struct("<" + fmt)
        start, n = self._vector(slot, s.size)
        if start is None:
            return None
        return list(s.iter_unpack(self.buf[start:start + n * s.size]))

    def scalar_vector(self, slot: int, fmt: str) -> "list | None":
        size = struct.calcsize("<" + fmt)
        start, n = self._vector(slot, size)
        if start is None:
            return None
        return list(struct.unpack_from(f"<{n}{fmt}", self.buf, start))
