"""Arrow IPC streaming-format writer.

Stream layout:  <Schema message> <RecordBatch message>* <EOS>
Encapsulated message:
    0xFFFFFFFF | int32 metadata_size | flatbuffer Message (padded so that
    8 + metadata_size is a multiple of 8) | body (bodyLength bytes)
EOS marker: 0xFFFFFFFF 0x00000000.
Body buffers are laid out in field pre-order and each starts 8-byte aligned.
"""
from __future__ import annotations

import struct
from functools import lru_cache

import numpy as np

from . import metadata as md
from .batch import RecordBatch
from .column import Column
from .types import ArrowCodecError, Schema, type_info

__all__ = ["write_stream", "schema_message", "batch_message", "EOS", "CONTINUATION"]

CONTINUATION = b"\xff\xff\xff\xff"
EOS = CONTINUATION + b"\x00\x00\x00\x00"
ALIGNMENT = 8
_PADDING = bytes(ALIGNMENT)
_PREFIX = struct.Struct("<Ii")


def _frame(meta: bytes) -> list:
    """Continuation + size prefix + metadata + padding, as a list of parts."""
    pad = -(8 + len(meta)) % ALIGNMENT
    out = [_PREFIX.pack(0xFFFFFFFF, len(meta) + pad), meta]
    if pad:
        out.append(_PADDING[:pad])
    return out


@lru_cache(maxsize=128)
def schema_message(schema: Schema) -> bytes:
    """The encapsulated Schema message for ``schema``."""
    return b"".join(_frame(md.encode_schema_message(schema)))


class _Body:
    """Accumulates body buffers, FieldNodes and Buffer descriptors."""

    __slots__ = ("chunks", "size", "nodes", "buffers")

    def __init__(self):
        self.chunks = []
        self.size = 0
        self.nodes = []    # flat [length, null_count, ...]
        self.buffers = []  # flat [offset, length, ...]

    def add(self, data) -> None:
        n = len(data) if isinstance(data, (bytes, memoryview)) else data.nbytes
        self.buffers += (self.size, n)
        if not n:
            return
        if isinstance(data, np.ndarray):
            # as bytes: a memoryview of 16-byte decimal items (numpy void) cannot be cast to "B" directly
            data = memoryview(np.ascontiguousarray(data).view(np.uint8))
        self.chunks.append(data)
        pad = -n % ALIGNMENT
        if pad:
            self.chunks.append(_PADDING[:pad])
        self.size += n + pad

    def add_empty(self) -> None:
        self.buffers += (self.size, 0)


def _append_column(col: Column, body: _Body) -> None:
    """Append the node and buffers of ``col``, then its children's (pre-order, as IPC lays them out)."""
    p = col.parts
    body.nodes += (p.length, col.null_count)
    if col.null_count:
        body.add(np.packbits(p.validity, bitorder="little"))
    else:
        body.add_empty()
    layout = type_info(col.type).layout
    if layout == "fixed":
        body.add(p.values)
    elif layout == "bool":
        body.add(np.packbits(p.values, bitorder="little"))
    elif layout == "varbinary":
        offsets, data = p.offsets, p.data
        first, last = int(offsets[0]), int(offsets[-1])
        if first:
            offsets = offsets - np.int32(first)
        body.add(offsets.astype("<i4", copy=False))
        body.add(memoryview(data)[first:last] if (first or last != len(data)) else data)
    elif layout in ("struct", "list", "map"):
        if layout != "struct":
            # Offsets go as they are (a list's offsets need not start at 0), with the whole child.
            body.add(p.offsets.astype("<i4", copy=False))
        for child in p.children:
            _append_column(child, body)
    else:  # pragma: no cover - guarded by the type registry
        raise ArrowCodecError(f"cannot write column of type {col.type}")


def batch_message(batch: RecordBatch) -> bytes:
    """The encapsulated RecordBatch message (metadata + body) for ``batch``."""
    return b"".join(_batch_parts(batch))


def _batch_parts(batch: RecordBatch) -> list:
    body = _Body()
    for col in batch.columns:
        _append_column(col, body)
    num_nodes = len(body.nodes) // 2
    num_buffers = len(body.buffers) // 2
    meta = md.encode_record_batch_message(
        batch.num_rows,
        struct.pack(f"<{len(body.nodes)}q", *body.nodes), num_nodes,
        struct.pack(f"<{len(body.buffers)}q", *body.buffers), num_buffers,
        body.size)
    return _frame(meta) + body.chunks


def write_stream(batch_or_batches, *, schema: Schema | None = None) -> bytes:
    """Encode one RecordBatch or an iterable of them as a complete stream
    (schema message, batches, EOS).  All batches must share one schema;
    ``schema`` is required only when there are no batches."""
    if isinstance(batch_or_batches, RecordBatch):
        batches = [batch_or_batches]
    else:
        batches = list(batch_or_batches)
    for b in batches:
        if not isinstance(b, RecordBatch):
            raise ArrowCodecError(f"write_stream expects RecordBatch objects, got {type(b).__name__}")
    if schema is None:
        if not batches:
            raise ArrowCodecError("write_stream needs a schema when given no batches")
        schema = batches[0].schema
    parts = [schema_message(schema)]
    for i, b in enumerate(batches):
        if b.schema is not schema and b.schema != schema:
            raise ArrowCodecError(f"batch {i} has a different schema than the stream")
        parts += _batch_parts(b)
    parts.append(EOS)
    return b"".join(parts)
