"""Arrow IPC streaming-format reader.

Every length and offset taken from the input is validated before use, so a
truncated or corrupt stream raises ArrowCodecError with a message saying
what is wrong and where; no struct.error / IndexError escapes, and the
reader never loops without consuming input.

Fixed-width values are zero-copy ``np.frombuffer`` views of the input (they
are read-only when the input is ``bytes``).
"""
from __future__ import annotations

import struct

import numpy as np

from . import flatbuf as fb
from . import metadata as md
from .batch import RecordBatch
from .column import Column
from .convert import Parts
from .types import ArrowCodecError, Field, Schema, type_info

__all__ = ["read_stream", "read_stream_with_schema"]

_U32 = struct.Struct("<I")
_I32 = struct.Struct("<i")


def read_stream(buf, *, allow_missing_eos: bool = False) -> list:
    """Decode a complete IPC stream into a list of RecordBatch."""
    return read_stream_with_schema(buf, allow_missing_eos=allow_missing_eos)[1]


def read_stream_with_schema(buf, *, allow_missing_eos: bool = False):
    """Like read_stream but returns ``(schema, batches)`` so that streams
    without batches still yield their schema.  By default the EOS marker is
    required (a stream cut at a message boundary is reported as truncated);
    ``allow_missing_eos=True`` accepts a stream that simply ends."""
    try:
        mv = memoryview(buf)
    except TypeError:
        raise ArrowCodecError(
            f"read_stream expects bytes-like input, got {type(buf).__name__}") from None
    if not mv.c_contiguous:
        raise ArrowCodecError("read_stream input buffer must be contiguous")
    if mv.format != "B" or mv.ndim != 1:
        mv = mv.cast("B")
    try:
        return _read(mv, allow_missing_eos)
    except ArrowCodecError:
        raise
    except (struct.error, IndexError, ValueError, TypeError, OverflowError, KeyError) as e:
        raise ArrowCodecError(f"corrupt Arrow stream: {type(e).__name__}: {e}") from e


def _read(mv: memoryview, allow_missing_eos: bool):
    n = len(mv)
    if n == 0:
        raise ArrowCodecError("empty input is not an Arrow IPC stream")
    pos = 0
    schema = None
    batches = []
    while True:
        if pos == n:
            if allow_missing_eos and schema is not None:
                return schema, batches
            raise ArrowCodecError(
                f"stream truncated: no end-of-stream marker after {n} bytes")
        if pos + 4 > n:
            raise ArrowCodecError(f"stream truncated at byte {pos}: incomplete message prefix")
        if _U32.unpack_from(mv, pos)[0] == 0xFFFFFFFF:
            if pos + 8 > n:
                raise ArrowCodecError(f"stream truncated at byte {pos}: incomplete message prefix")
            size, hdr = _I32.unpack_from(mv, pos + 4)[0], 8
        else:  # pre-1.0 format without the continuation marker
            size, hdr = _I32.unpack_from(mv, pos)[0], 4
        if size == 0:  # end-of-stream marker
            pos += hdr
            break
        if size < 0:
            raise ArrowCodecError(f"corrupt message at byte {pos}: negative metadata size {size}")
        meta_start = pos + hdr
        if meta_start + size > n:
            raise ArrowCodecError(
                f"stream truncated at byte {pos}: message metadata needs {size} bytes, "
                f"only {n - meta_start} remain")
        message = fb.root_table(bytes(mv[meta_start:meta_start + size]))
        version = message.scalar(md.MSG_VERSION, "h", 0)
        if version < md.METADATA_V4:
            raise ArrowCodecError(
                f"unsupported Arrow metadata version V{version + 1} at byte {pos} (need V4 or V5)")
        header_type = message.scalar(md.MSG_HEADER_TYPE, "B", 0)
        header = message.table(md.MSG_HEADER)
        body_len = message.scalar(md.MSG_BODY_LENGTH, "q", 0)
        body_start = meta_start + size
        if body_len < 0:
            raise ArrowCodecError(f"corrupt message at byte {pos}: negative body length")
        if body_start + body_len > n:
            raise ArrowCodecError(
                f"stream truncated at byte {pos}: message body needs {body_len} bytes, "
                f"only {n - body_start} remain")
        if header is None:
            raise ArrowCodecError(f"corrupt message at byte {pos}: missing header")
        body = mv[body_start:body_start + body_len]
        if header_type == md.HEADER_SCHEMA:
            if schema is not None:
                raise ArrowCodecError(f"unexpected second Schema message at byte {pos}")
            schema = md.decode_schema(header)
        elif header_type == md.HEADER_RECORD_BATCH:
            if schema is None:
                raise ArrowCodecError(f"RecordBatch message at byte {pos} precedes the Schema")
            batches.append(_decode_batch(schema, header, body, pos))
        elif header_type == md.HEADER_DICTIONARY_BATCH:
            raise ArrowCodecError("dictionary batches (dictionary encoding) are not supported")
        else:
            name = md.HEADER_NAMES.get(header_type, f"<unknown {header_type}>")
            raise ArrowCodecError(f"unsupported IPC message type {name} at byte {pos}")
        pos = body_start + body_len
    if schema is None:
        raise ArrowCodecError("stream has no Schema message")
    if pos != n:
        raise ArrowCodecError(f"{n - pos} unexpected bytes after the end-of-stream marker")
    return schema, batches


class _BodyReader:
    """Hands out FieldNodes and validated Buffers in pre-order."""

    __slots__ = ("nodes", "buffers", "body", "ni", "bi", "where")

    def __init__(self, nodes, buffers, body, where):
        self.nodes, self.buffers, self.body = nodes, buffers, body
        self.ni = self.bi = 0
        self.where = where

    def node(self, field: Field):
        if self.ni >= len(self.nodes):
            raise ArrowCodecError(
                f"{self.where}: too few field nodes (needed one for {field.name!r})")
        length, nulls = self.nodes[self.ni]
        self.ni += 1
        return length, nulls

    def buffer(self, field: Field):
        if self.bi >= len(self.buffers):
            raise ArrowCodecError(
                f"{self.where}: too few buffers for column {field.name!r}")
        off, length = self.buffers[self.bi]
        if off < 0 or length < 0 or off + length > len(self.body):
            raise ArrowCodecError(
                f"{self.where}: buffer {self.bi} (offset {off}, length {length}) of column "
                f"{field.name!r} lies outside the {len(self.body)}-byte body")
        self.bi += 1
        return off, length


def _decode_batch(schema: Schema, rb: fb.TableView, body: memoryview, pos: int) -> RecordBatch:
    where = f"record batch at byte {pos}"
    if rb.has(md.RB_COMPRESSION):
        raise ArrowCodecError(f"{where}: compressed record batches are not supported")
    length = rb.scalar(md.RB_LENGTH, "q", 0)
    if length < 0:
        raise ArrowCodecError(f"{where}: negative row count {length}")
    nodes = rb.struct_vector(md.RB_NODES, "qq") or []
    buffers = rb.struct_vector(md.RB_BUFFERS, "qq") or []
    reader = _BodyReader(nodes, buffers, body, where)
    columns = [_read_column(f, reader, length) for f in schema.fields]
    if reader.ni != len(nodes) or reader.bi != len(buffers):
        raise ArrowCodecError(
            f"{where}: has {len(nodes)} field nodes and {len(buffers)} buffers but the "
            f"schema uses {reader.ni} and {reader.bi}")
    return RecordBatch(schema, columns)


def _bits(body, off: int, nbytes: int, length: int, what: str, field: Field) -> np.ndarray:
    need = (length + 7) // 8
    if nbytes < need:
        raise ArrowCodecError(
            f"{what} of column {field.name!r} has {nbytes} bytes, needs {need} for {length} rows")
    raw = np.frombuffer(body, dtype=np.uint8, count=need, offset=off)
    return np.unpackbits(raw, count=length, bitorder="little").view(np.bool_)


def _read_column(field: Field, r: _BodyReader, expected_len: int, at_least: bool = False) -> Column:
    """``at_least``: a child column, which may be longer than its parent needs."""
    length, null_count = r.node(field)
    if length < expected_len if at_least else length != expected_len:
        raise ArrowCodecError(
            f"{r.where}: column {field.name!r} has {length} rows, "
            + (f"its parent needs {expected_len}" if at_least else f"batch has {expected_len}"))
    if not 0 <= null_count <= length:
        raise ArrowCodecError(
            f"{r.where}: column {field.name!r} has invalid null count {null_count}")
    v_off, v_len = r.buffer(field)
    validity = None
    if null_count or v_len:
        if null_count and not v_len:
            raise ArrowCodecError(
                f"{r.where}: column {field.name!r} has {null_count} nulls but no validity bitmap")
        validity = _bits(r.body, v_off, v_len, length, "validity bitmap", field)
        actual = length - int(np.count_nonzero(validity))
        if actual != null_count:
            raise ArrowCodecError(
                f"{r.where}: column {field.name!r} declares {null_count} nulls but its "
                f"validity bitmap has {actual}")
    info = type_info(field.type)
    if info.layout == "fixed":
        off, nbytes = r.buffer(field)
        need = length * info.dtype.itemsize
        if nbytes < need:
            raise ArrowCodecError(
                f"{r.where}: values buffer of column {field.name!r} has {nbytes} bytes, "
                f"needs {need}")
        values = np.frombuffer(r.body, dtype=info.dtype, count=length, offset=off)
        parts = Parts(length, validity, values=values)
    elif info.layout == "bool":
        off, nbytes = r.buffer(field)
        parts = Parts(length, validity, values=_bits(r.body, off, nbytes, length, "values", field))
    elif info.layout == "struct":
        parts = Parts(length, validity, children=[_read_column(c, r, length, True) for c in field.children])
    elif info.layout in ("list", "map"):
        offsets = _read_offsets(field, r, length)
        [child] = field.children
        parts = Parts(length, validity, offsets=offsets, children=[_read_column(child, r, int(offsets[-1]), True)])
    else:
        parts = _read_varbinary(field, r, length, validity)
    return Column(field.type, parts)


def _read_offsets(field: Field, r: _BodyReader, length: int) -> np.ndarray:
    """The int32 offsets of a list or map column: non-decreasing, from 0 up."""
    o_off, o_len = r.buffer(field)
    if length == 0 and o_len == 0:
        return np.zeros(1, dtype="<i4")
    need = (length + 1) * 4
    if o_len < need:
        raise ArrowCodecError(
            f"{r.where}: offsets buffer of column {field.name!r} has {o_len} bytes, needs {need}")
    offsets = np.frombuffer(r.body, dtype="<i4", count=length + 1, offset=o_off)
    if int(offsets[0]) < 0 or (length and bool(np.any(offsets[1:] < offsets[:-1]))):
        raise ArrowCodecError(
            f"{r.where}: column {field.name!r} has invalid offsets (must be non-negative and non-decreasing)")
    return offsets


def _read_varbinary(field: Field, r: _BodyReader, length: int, validity) -> Parts:
    o_off, o_len = r.buffer(field)
    d_off, d_len = r.buffer(field)
    if length == 0 and o_len == 0:
        offsets = np.zeros(1, dtype="<i4")
    else:
        need = (length + 1) * 4
        if o_len < need:
            raise ArrowCodecError(
                f"{r.where}: offsets buffer of column {field.name!r} has {o_len} bytes, "
                f"needs {need}")
        offsets = np.frombuffer(r.body, dtype="<i4", count=length + 1, offset=o_off)
    first, last = int(offsets[0]), int(offsets[-1])
    if first < 0 or last > d_len or (length and bool(np.any(offsets[1:] < offsets[:-1]))):
        raise ArrowCodecError(
            f"{r.where}: column {field.name!r} has invalid offsets (must be non-decreasing "
            f"within the {d_len}-byte data buffer)")
    data = bytes(r.body[d_off:d_off + last])
    if field.type == "utf8" and not data.isascii():
        try:
            data[first:].decode("utf-8")
        except UnicodeDecodeError as e:
            raise ArrowCodecError(
                f"{r.where}: utf8 column {field.name!r} holds invalid UTF-8: {e}") from None
    return Parts(length, validity, offsets=offsets, data=data)
