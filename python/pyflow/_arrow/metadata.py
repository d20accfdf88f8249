"""Arrow IPC metadata: constants from Schema.fbs / Message.fbs and the
mapping between our Field/Schema objects and their FlatBuffers tables.

Field slot ids (declaration order in the .fbs files; a union field takes two
slots: ``<name>_type`` then ``<name>``):
  Message     : version=0, header_type=1, header=2, bodyLength=3, custom_metadata=4
  Schema      : endianness=0, fields=1, custom_metadata=2, features=3
  Field       : name=0, nullable=1, type_type=2, type=3, dictionary=4,
                children=5, custom_metadata=6
  RecordBatch : length=0, nodes=1, buffers=2, compression=3, variadicBufferCounts=4
  Int         : bitWidth=0, is_signed=1
  FloatingPoint: precision=0
  Timestamp   : unit=0, timezone=1
  Decimal     : precision=0, scale=1, bitWidth=2 (default 128)
  Date        : unit=0 (default MILLISECOND: DAY must be written)
  Time        : unit=0 (default MILLISECOND), bitWidth=1 (default 32)
"""
from __future__ import annotations

from . import flatbuf as fb
from .types import ArrowCodecError, Field, ListType, MapType, Schema, StructType, decimal_params, decimal_type

# enum MetadataVersion:short { V1, V2, V3, V4, V5 }
METADATA_V4 = 3
METADATA_V5 = 4

# union MessageHeader { Schema, DictionaryBatch, RecordBatch, Tensor, SparseTensor }
HEADER_SCHEMA = 1
HEADER_DICTIONARY_BATCH = 2
HEADER_RECORD_BATCH = 3
HEADER_NAMES = {0: "NONE", 1: "Schema", 2: "DictionaryBatch", 3: "RecordBatch",
                4: "Tensor", 5: "SparseTensor"}

# Slots
MSG_VERSION, MSG_HEADER_TYPE, MSG_HEADER, MSG_BODY_LENGTH = 0, 1, 2, 3
SCHEMA_ENDIANNESS, SCHEMA_FIELDS = 0, 1
FIELD_NAME, FIELD_NULLABLE, FIELD_TYPE_TYPE, FIELD_TYPE = 0, 1, 2, 3
FIELD_DICTIONARY, FIELD_CHILDREN = 4, 5
RB_LENGTH, RB_NODES, RB_BUFFERS, RB_COMPRESSION = 0, 1, 2, 3

# union Type (1-based; 0 is NONE)
TYPE_NAMES = [
    "NONE", "Null", "Int", "FloatingPoint", "Binary", "Utf8", "Bool", "Decimal",
    "Date", "Time", "Timestamp", "Interval", "List", "Struct_", "Union",
    "FixedSizeBinary", "FixedSizeList", "Map", "Duration", "LargeBinary",
    "LargeUtf8", "LargeList", "RunEndEncoded", "BinaryView", "Utf8View",
    "ListView", "LargeListView",
]
T_INT, T_FLOAT, T_BINARY, T_UTF8, T_BOOL, T_TIMESTAMP = 2, 3, 4, 5, 6, 10
T_DECIMAL, T_DATE, T_TIME = 7, 8, 9
T_LIST, T_STRUCT, T_MAP = 12, 13, 17

PRECISION_NAMES = ["HALF", "SINGLE", "DOUBLE"]
PRECISION_DOUBLE = 2
TIME_UNIT_NAMES = ["SECOND", "MILLISECOND", "MICROSECOND", "NANOSECOND"]
TIME_UNIT_MILLISECOND = 1
TIME_UNIT_MICROSECOND = 2
DATE_UNIT_NAMES = ["DAY", "MILLISECOND"]
DATE_UNIT_DAY = 0

MAX_NESTING = 64


# --------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------

def _encode_type(type_name):
    """(union type id, type table) for a canonical type name or a nested type."""
    if isinstance(type_name, StructType):
        return T_STRUCT, fb.Table()
    if isinstance(type_name, ListType):
        return T_LIST, fb.Table()
    if isinstance(type_name, MapType):
        return T_MAP, fb.Table([(0, "?", False)])  # keysSorted
    if type_name == "int32":
        return T_INT, fb.Table([(0, "i", 32), (1, "?", True)])
    if type_name == "int64":
        return T_INT, fb.Table([(0, "i", 64), (1, "?", True)])
    if type_name == "float64":
        return T_FLOAT, fb.Table([(0, "h", PRECISION_DOUBLE)])
    if type_name == "bool":
        return T_BOOL, fb.Table()
    if type_name == "utf8":
        return T_UTF8, fb.Table()
    if type_name == "binary":
        return T_BINARY, fb.Table()
    if type_name == "timestamp[us]":
        return T_TIMESTAMP, fb.Table([(0, "h", TIME_UNIT_MICROSECOND)])
    if type_name == "timestamp[us, tz=UTC]":
        return T_TIMESTAMP, fb.Table([(0, "h", TIME_UNIT_MICROSECOND), (1, None, fb.String("UTC"))])
    if type_name == "date32":
        return T_DATE, fb.Table([(0, "h", DATE_UNIT_DAY)])
    if type_name == "time32[ms]":
        return T_TIME, fb.Table([(0, "h", TIME_UNIT_MILLISECOND), (1, "i", 32)])
    if type_name == "time64[us]":
        return T_TIME, fb.Table([(0, "h", TIME_UNIT_MICROSECOND), (1, "i", 64)])
    params = decimal_params(type_name)
    if params:
        return T_DECIMAL, fb.Table([(0, "i", params[0]), (1, "i", params[1]), (2, "i", 128)])
    raise ArrowCodecError(f"unsupported Arrow type {type_name!r}")


def _encode_field(field: Field) -> fb.Table:
    type_id, type_table = _encode_type(field.type)
    children = [_encode_field(c) for c in field.children]
    return fb.Table([
        (FIELD_NAME, None, fb.String(field.name)),
        (FIELD_NULLABLE, "?", field.nullable),
        (FIELD_TYPE_TYPE, "B", type_id),
        (FIELD_TYPE, None, type_table),
        # Arrow C++ rejects a Field whose children vector is missing.
        (FIELD_CHILDREN, None, fb.TableVector(children)),
    ])


def encode_message(header_type: int, header: fb.Table, body_length: int) -> bytes:
    return fb.encode(fb.Table([
        (MSG_VERSION, "h", METADATA_V5),
        (MSG_HEADER_TYPE, "B", header_type),
        (MSG_HEADER, None, header),
        (MSG_BODY_LENGTH, "q", body_length),
    ]))


def encode_schema_message(schema: Schema) -> bytes:
    header = fb.Table([
        (SCHEMA_ENDIANNESS, "h", 0),  # Little
        (SCHEMA_FIELDS, None, fb.TableVector(_encode_field(f) for f in schema.fields)),
    ])
    return encode_message(HEADER_SCHEMA, header, 0)


def encode_record_batch_message(length: int, nodes: bytes, num_nodes: int,
                                buffers: bytes, num_buffers: int,
                                body_length: int) -> bytes:
    """``nodes``/``buffers`` are packed little-endian (int64, int64) structs."""
    header = fb.Table([
        (RB_LENGTH, "q", length),
        (RB_NODES, None, fb.StructVector(nodes, num_nodes, 8)),
        (RB_BUFFERS, None, fb.StructVector(buffers, num_buffers, 8)),
    ])
    return encode_message(HEADER_RECORD_BATCH, header, body_length)


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------

def _type_label(type_id: int) -> str:
    if 0 <= type_id < len(TYPE_NAMES):
        return TYPE_NAMES[type_id]
    return f"<unknown type id {type_id}>"


def _enum_label(names, value) -> str:
    return names[value] if 0 <= value < len(names) else f"<unknown {value}>"


def _decode_type(type_id: int, t: "fb.TableView | None", field_name: str) -> str:
    def unsupported(desc: str):
        return ArrowCodecError(
            f"unsupported Arrow type {desc} in field {field_name!r}")

    if t is None and type_id != 0:
        raise ArrowCodecError(f"field {field_name!r} has no type table")
    if type_id == T_INT:
        bits = t.scalar(0, "i", 0)
        signed = bool(t.scalar(1, "?", False))
        if signed and bits == 32:
            return "int32"
        if signed and bits == 64:
            return "int64"
        raise unsupported(f"Int(bitWidth={bits}, signed={signed})")
    if type_id == T_FLOAT:
        prec = t.scalar(0, "h", 0)
        if prec == PRECISION_DOUBLE:
            return "float64"
        raise unsupported(f"FloatingPoint({_enum_label(PRECISION_NAMES, prec)})")
    if type_id == T_TIMESTAMP:
        unit = t.scalar(0, "h", 0)
        tz = t.string(1)
        if unit == TIME_UNIT_MICROSECOND and not tz:
            return "timestamp[us]"
        if unit == TIME_UNIT_MICROSECOND and tz in ("UTC", "+00:00", "Etc/UTC"):
            return "timestamp[us, tz=UTC]"
        raise unsupported(
            f"Timestamp(unit={_enum_label(TIME_UNIT_NAMES, unit)}, timezone={tz!r})")
    if type_id == T_DATE:
        unit = t.scalar(0, "h", 1)
        if unit == DATE_UNIT_DAY:
            return "date32"
        raise unsupported(f"Date(unit={_enum_label(DATE_UNIT_NAMES, unit)})")
    if type_id == T_TIME:
        unit, bits = t.scalar(0, "h", 1), t.scalar(1, "i", 32)
        if (unit, bits) == (TIME_UNIT_MILLISECOND, 32):
            return "time32[ms]"
        if (unit, bits) == (TIME_UNIT_MICROSECOND, 64):
            return "time64[us]"
        raise unsupported(f"Time(unit={_enum_label(TIME_UNIT_NAMES, unit)}, bitWidth={bits})")
    if type_id == T_DECIMAL:
        precision, scale, bits = t.scalar(0, "i", 0), t.scalar(1, "i", 0), t.scalar(2, "i", 128)
        if bits == 128 and 1 <= precision <= 38 and 0 <= scale <= precision:
            return decimal_type(precision, scale)
        raise unsupported(f"Decimal(precision={precision}, scale={scale}, bitWidth={bits})")
    simple = {T_BOOL: "bool", T_UTF8: "utf8", T_BINARY: "binary"}
    if type_id in simple:
        return simple[type_id]
    raise unsupported(_type_label(type_id))


def decode_field(t: fb.TableView, depth: int = 0) -> Field:
    if depth > MAX_NESTING:
        raise ArrowCodecError("schema nesting is too deep")
    name = t.string(FIELD_NAME) or ""
    nullable = bool(t.scalar(FIELD_NULLABLE, "?", False))
    if t.has(FIELD_DICTIONARY):
        raise ArrowCodecError(f"dictionary-encoded field {name!r} is not supported")
    type_id = t.scalar(FIELD_TYPE_TYPE, "B", 0)
    children = t.table_vector(FIELD_CHILDREN) or []
    if type_id in (T_STRUCT, T_LIST, T_MAP):
        return Field(name, _decode_nested(type_id, [decode_field(c, depth + 1) for c in children], name), nullable)
    type_name = _decode_type(type_id, t.table(FIELD_TYPE), name)
    if children:
        # Only reached for a flat type that nevertheless declares children.
        raise ArrowCodecError(
            f"field {name!r} of type {type_name} must not have child fields")
    return Field(name, type_name, nullable)


def _decode_nested(type_id: int, children: list, name: str):
    if type_id == T_STRUCT:
        return StructType(tuple(children))
    if len(children) != 1:
        raise ArrowCodecError(f"{_type_label(type_id)} field {name!r} must have one child field, has {len(children)}")
    if type_id == T_LIST:
        return ListType(children[0])
    entries = children[0]
    if not isinstance(entries.type, StructType) or len(entries.type.fields) != 2:
        raise ArrowCodecError(f"Map field {name!r} must have a struct<key, value> child, has {entries.type}")
    key, value = entries.type.fields
    return MapType(key, value)


def decode_schema(t: fb.TableView) -> Schema:
    endianness = t.scalar(SCHEMA_ENDIANNESS, "h", 0)
    if endianness != 0:
        raise ArrowCodecError("big-endian Arrow streams are not supported")
    fields = t.table_vector(SCHEMA_FIELDS) or []
    if not fields:
        raise ArrowCodecError("a schema with 0 columns is not supported")
    return Schema([decode_field(f) for f in fields])
