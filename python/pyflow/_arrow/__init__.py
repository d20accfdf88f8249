"""Pure-Python (numpy) Apache Arrow IPC streaming-format codec.

Supports nullable columns of: int32, int64, float64, bool, utf8, binary,
timestamp[us] (no timezone), timestamp[us, tz=UTC], date32, time32[ms], time64[us],
decimal128(P, S), and the nested struct, list and map of them
(``struct_of``, ``list_of``, ``map_of`` in ``pyflow._arrow.types``).
Little-endian only; no dictionaries, no compression.

    from pyflow._arrow import Field, Schema, Column, RecordBatch, write_stream, read_stream
    schema = Schema([Field("x", "int64"), Field("s", "utf8")])
    batch = RecordBatch(schema, [Column.from_pylist("int64", [1, None]),
                                 Column.from_pylist("utf8", ["a", "b"])])
    data = write_stream(batch)
    [batch2] = read_stream(data)
"""
from .batch import RecordBatch
from .column import Column
from .ipc_read import read_stream, read_stream_with_schema
from .ipc_write import CONTINUATION, EOS, batch_message, schema_message, write_stream
from .types import SUPPORTED_TYPES, ArrowCodecError, Field, Schema

__all__ = [
    "ArrowCodecError",
    "Field",
    "Schema",
    "Column",
    "RecordBatch",
    "write_stream",
    "read_stream",
    "read_stream_with_schema",
    "schema_message",
    "batch_message",
    "EOS",
    "CONTINUATION",
    "SUPPORTED_TYPES",
]
