"""Shared helpers of the Arrow codec tests."""
from __future__ import annotations

import base64
import datetime as dt
import math
import os
import random
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "..", "..", "python"))
sys.path.insert(0, _HERE)

from pyflow._arrow import (  # noqa: E402
    EOS, ArrowCodecError, Column, Field, RecordBatch, Schema, batch_message,
    read_stream, read_stream_with_schema, schema_message, write_stream)
from pyflow._arrow import flatbuf as fb  # noqa: E402
from pyflow._arrow import metadata as md  # noqa: E402
from pyflow._arrow.convert import Parts  # noqa: E402

import arrow_fixture_tool  # noqa: E402

D = dt.datetime

SAMPLES = {
    "int32": [1, -2147483648, 2147483647, 0, 7],
    "int64": [1, -9223372036854775808, 9223372036854775807, 0, 42],
    "float64": [1.5, -0.0, 1e300, float("inf"), -2.25],
    "bool": [True, False, True, True, False],
    "utf8": ["a", "", "h\u00e9llo \u2713", "x" * 100, "\U0001f600"],
    "binary": [b"\x00\x01", b"", b"\xff" * 3, b"abc", bytes(range(256))],
    "timestamp[us]": [D(2024, 1, 2, 3, 4, 5, 123456), D(1970, 1, 1),
                      D(1969, 12, 31, 23, 59, 59, 999999), D(2038, 1, 19, 3, 14, 8),
                      D(1, 1, 1)],
}
TYPES = list(SAMPLES)


def roundtrip(batches):
    return read_stream(write_stream(batches))


def one_col_batch(type_name, values, name="c"):
    return RecordBatch(Schema([Field(name, type_name)]), [Column.from_pylist(type_name, values)])


def same(a, b):
    """Exact equality of Python lists; floats compared bitwise (NaN == NaN)."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if type(x) is not type(y):
            return False
        if isinstance(x, float):
            if struct.pack("<d", x) != struct.pack("<d", y) and not (math.isnan(x) and math.isnan(y)):
                return False
        elif x != y:
            return False
    return True


def frame(meta: bytes, body: bytes = b"") -> bytes:
    pad = -(8 + len(meta)) % 8
    return struct.pack("<Ii", 0xFFFFFFFF, len(meta) + pad) + meta + bytes(pad) + body


def messages(stream: bytes):
    """Split a stream into (offset, metadata_size, body_length) triples."""
    out, pos = [], 0
    while True:
        cont, size = struct.unpack_from("<Ii", stream, pos)
        assert cont == 0xFFFFFFFF
        if size == 0:
            assert pos + 8 == len(stream)
            return out
        msg = fb.root_table(stream[pos + 8:pos + 8 + size])
        body_len = msg.scalar(md.MSG_BODY_LENGTH, "q")
        out.append((pos, size, body_len))
        pos += 8 + size + body_len


