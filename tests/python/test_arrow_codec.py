"""Tests for the pure-Python Arrow IPC stream codec (pyflow._arrow)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from arrow_helpers import *  # noqa: E402,F401,F403 - shared imports and helpers of the codec tests
from arrow_helpers import _HERE  # noqa: E402,F401

# ------------------------------------------------------------ round trips

@pytest.mark.parametrize("type_name", TYPES)
def test_roundtrip_without_nulls(type_name):
    values = SAMPLES[type_name]
    [batch] = roundtrip(one_col_batch(type_name, values))
    col = batch.column("c")
    assert col.type == type_name
    assert len(col) == 5 and batch.num_rows == 5
    assert col.validity is None and col.null_count == 0
    assert same(col.to_pylist(), values)


@pytest.mark.parametrize("type_name", TYPES)
def test_roundtrip_with_nulls(type_name):
    values = SAMPLES[type_name]
    with_nulls = [None, values[0], None, values[1], values[2], None, None, None, values[3]]
    [batch] = roundtrip(one_col_batch(type_name, with_nulls))
    col = batch.column(0)
    assert same(col.to_pylist(), with_nulls)
    assert col.null_count == 5
    assert col.validity.tolist() == [v is not None for v in with_nulls]


@pytest.mark.parametrize("type_name", TYPES)
def test_roundtrip_all_null(type_name):
    [batch] = roundtrip(one_col_batch(type_name, [None] * 3))
    assert batch.column(0).to_pylist() == [None, None, None]
    assert batch.column(0).null_count == 3


@pytest.mark.parametrize("type_name", TYPES)
def test_roundtrip_empty_batch(type_name):
    [batch] = roundtrip(one_col_batch(type_name, []))
    assert batch.num_rows == 0
    assert batch.column(0).to_pylist() == []
    assert len(batch.column(0).to_numpy()) == 0


def test_float_special_values_and_nan():
    values = [math.nan, -0.0, 0.0, -math.inf, 5e-324]
    [batch] = roundtrip(one_col_batch("float64", values))
    got = batch.column(0).to_pylist()
    assert math.isnan(got[0])
    assert same(got[1:], values[1:])
    assert math.copysign(1.0, got[1]) == -1.0


def test_bool_bit_packing_across_bytes():
    values = [i % 3 == 0 for i in range(19)]
    validity = [i % 5 != 4 for i in range(19)]
    col = Column.from_numpy("bool", np.array(values), np.array(validity))
    [batch] = roundtrip(RecordBatch(Schema([Field("b", "bool")]), [col]))
    assert batch.column(0).to_pylist() == [v if ok else None for v, ok in zip(values, validity)]


def test_multiple_batches_in_one_stream():
    schema = Schema([Field("i", "int64"), Field("s", "utf8")])
    batches = [
        RecordBatch(schema, [Column.from_pylist("int64", list(range(n))),
                             Column.from_pylist("utf8", [str(i) for i in range(n)])])
        for n in (3, 0, 1000, 1)
    ]
    data = write_stream(batches)
    assert len(messages(data)) == 5  # schema + 4 batches
    out = read_stream(data)
    assert [b.num_rows for b in out] == [3, 0, 1000, 1]
    for a, b in zip(batches, out):
        assert b.schema == schema
        assert b.equals(a)
        assert b.to_pydict() == a.to_pydict()


def test_all_types_in_one_batch_and_column_lookup():
    batch = arrow_fixture_tool.fixture_batch()
    [out] = roundtrip(batch)
    assert out.equals(batch)
    assert out.num_columns == 7
    assert out.column("utf8").to_pylist()[3] == "h\u00e9llo \u2713"
    assert out.column(-1).type == "timestamp[us]"
    with pytest.raises(KeyError):
        out.column("nope")


def test_stream_without_batches_keeps_schema():
    schema = Schema([Field("a", "int32", nullable=False)])
    data = write_stream([], schema=schema)
    assert read_stream(data) == []
    got_schema, batches = read_stream_with_schema(data)
    assert got_schema == schema and batches == []
    assert got_schema.fields[0].nullable is False


# ------------------------------------------------------------ numpy interop

def test_numpy_zero_copy_read():
    data = write_stream(RecordBatch(Schema([Field("x", "int64")]),
                                    [Column.from_numpy("int64", np.arange(10_000))]))
    [batch] = read_stream(data)
    arr = batch.column(0).to_numpy()
    assert arr.dtype == np.dtype("<i8")
    assert np.shares_memory(arr, np.frombuffer(data, dtype=np.uint8))
    assert np.array_equal(arr, np.arange(10_000))


def test_to_numpy_dtypes():
    batch = arrow_fixture_tool.fixture_batch()
    [out] = roundtrip(batch)
    assert out.column("int32").to_numpy().dtype == np.int32
    assert out.column("int64").to_numpy().dtype == np.int64
    assert out.column("float64").to_numpy().dtype == np.float64
    assert out.column("bool").to_numpy().dtype == np.bool_
    ts = out.column("timestamp").to_numpy()
    assert ts.dtype == np.dtype("datetime64[us]")
    assert ts[0] == np.datetime64("2024-01-02T03:04:05.123456")
    s = out.column("utf8").to_numpy()
    assert s.dtype == object and s.tolist() == ["a", None, "", "h\u00e9llo \u2713", "x" * 100]
    b = out.column("binary").to_numpy()
    assert b.dtype == object and b[1] is None and b[3] == b"\xff\xff\xff"
    assert out.column("int64").validity.tolist() == [True, False, True, True, True]


def test_from_numpy_variants():
    col = Column.from_numpy("int32", np.array([1, 2, 3], dtype=np.int64),
                            validity=np.array([True, False, True]))
    assert col.to_pylist() == [1, None, 3] and col.to_numpy().dtype == np.int32
    assert Column.from_numpy("int64", np.array([5]), np.array([True])).validity is None
    ts = Column.from_numpy("timestamp[us]", np.array(["2024-01-01T00:00:01", "NaT"],
                                                     dtype="datetime64[s]"))
    assert ts.to_pylist() == [D(2024, 1, 1, 0, 0, 1), None]
    assert Column.from_numpy("timestamp[us]", np.array([-1])).to_pylist() == [
        D(1969, 12, 31, 23, 59, 59, 999999)]
    assert Column.from_numpy("float64", np.array([1, 2], dtype=np.int8)).to_pylist() == [1.0, 2.0]
    assert Column.from_numpy("utf8", np.array(["ab", None], dtype=object)).to_pylist() == ["ab", None]
    assert Column.from_numpy("binary", np.array([b"a", b"bc"]),
                             np.array([False, True])).to_pylist() == [None, b"bc"]
    with pytest.raises(ArrowCodecError, match="out of range"):
        Column.from_numpy("int32", np.array([2 ** 31]))
    with pytest.raises(ArrowCodecError, match="dtype"):
        Column.from_numpy("int64", np.array([1.5]))
    with pytest.raises(ArrowCodecError, match="shape"):
        Column.from_numpy("int64", np.array([1, 2]), np.array([True]))


def test_from_pylist_conversions():
    mv = memoryview(b"xyz")
    assert Column.from_pylist("binary", [bytearray(b"ab"), mv, b"c"]).to_pylist() == [b"ab", b"xyz", b"c"]
    aware = dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert Column.from_pylist("timestamp[us]", [aware]).to_pylist() == [D(2024, 1, 1, 10)]
    assert Column.from_pylist("timestamp", [D(2000, 1, 1)]).type == "timestamp[us]"
    assert Column.from_pylist("float64", [1, 2.5]).to_pylist() == [1.0, 2.5]
    assert Column.from_pylist("int64", [np.int64(3), 4]).to_pylist() == [3, 4]


def test_sliced_offsets_are_rebased_on_write():
    col = Column("utf8", Parts(2, None, offsets=np.array([3, 4, 6], dtype="<i4"), data=b"abcdefgh"))
    assert col.to_pylist() == ["d", "ef"]
    [batch] = roundtrip(RecordBatch(Schema([Field("s", "utf8")]), [col]))
    assert batch.column(0).to_pylist() == ["d", "ef"]


# ------------------------------------------------------------ API errors

def test_unsupported_type_names():
    for bad in ("int16", "float32", "timestamp[ns]", "list<int32>", "", None):
        with pytest.raises(ArrowCodecError, match="unsupported Arrow type") as e:
            Field("x", bad)
        assert repr(bad) in str(e.value)
    with pytest.raises(ArrowCodecError, match="int8"):
        Column.from_pylist("int8", [1])


def test_zero_column_schema_rejected():
    with pytest.raises(ArrowCodecError, match="0 columns"):
        Schema([])


def test_value_errors():
    with pytest.raises(ArrowCodecError, match="index 1 has unsupported Python type str"):
        Column.from_pylist("int64", [1, "2"])
    with pytest.raises(ArrowCodecError, match="float"):
        Column.from_pylist("int32", [1.5])
    with pytest.raises(ArrowCodecError, match="int"):
        Column.from_pylist("bool", [True, 1])
    with pytest.raises(ArrowCodecError, match="out of range"):
        Column.from_pylist("int32", [2 ** 31])
    with pytest.raises(ArrowCodecError, match="out of range"):
        Column.from_pylist("int64", [2 ** 63])
    with pytest.raises(ArrowCodecError, match="str"):
        Column.from_pylist("binary", ["text"])
    with pytest.raises(ArrowCodecError, match="bytes"):
        Column.from_pylist("utf8", [b"raw"])
    with pytest.raises(ArrowCodecError, match="date"):
        Column.from_pylist("timestamp[us]", [dt.date(2024, 1, 1)])
    with pytest.raises(ArrowCodecError, match="UTF-8"):
        Column.from_pylist("utf8", ["\ud800"])


def test_record_batch_validation():
    schema = Schema([Field("a", "int64"), Field("b", "int64", nullable=False)])
    a = Column.from_pylist("int64", [1, 2])
    with pytest.raises(ArrowCodecError, match="2 fields but 1 columns"):
        RecordBatch(schema, [a])
    with pytest.raises(ArrowCodecError, match="3 rows, expected 2"):
        RecordBatch(schema, [a, Column.from_pylist("int64", [1, 2, 3])])
    with pytest.raises(ArrowCodecError, match="schema says int64, column is utf8"):
        RecordBatch(schema, [a, Column.from_pylist("utf8", ["x", "y"])])
    with pytest.raises(ArrowCodecError, match="not nullable"):
        RecordBatch(schema, [a, Column.from_pylist("int64", [1, None])])
    other = RecordBatch(Schema([Field("z", "int64")]), [a])
    with pytest.raises(ArrowCodecError, match="different schema"):
        write_stream([one_col_batch("int64", [1]), other])
    with pytest.raises(ArrowCodecError, match="needs a schema"):
        write_stream([])


# ------------------------------------------------------------ byte level

# Schema([Field("a", "int64")]) as an encapsulated message, checked by hand.
# Offsets in the comments are relative to the flatbuffer (stream offset - 8).
SCHEMA_A_INT64 = bytes.fromhex(
    "ffffffff 88000000"            # continuation, metadata size 136 (8 + 136 = 144 = 18*8)
    "10000000"                     # fb 0: root uoffset -> Message table at 16
    "0c00 1700 1400 1600 1000 0800"  # fb 4: Message vtable: 12 bytes, table 23 bytes,
                                   #   version@20 header_type@22 header@16 bodyLength@8
    "0c000000"                     # fb16: Message table, soffset 12 -> vtable at 4
    "00000000"                     # fb20: padding (8-byte alignment of bodyLength)
    "0000000000000000"             # fb24: bodyLength = 0
    "10000000"                     # fb32: header uoffset -> Schema table at 48
    "0400"                         # fb36: version = 4 (MetadataVersion.V5)
    "01 00"                        # fb38: header_type = 1 (Schema), 1 pad byte
    "0800 0a00 0800 0400"          # fb40: Schema vtable: 8 bytes, table 10, endianness@8 fields@4
    "08000000"                     # fb48: Schema table, soffset 8 -> vtable at 40
    "08000000"                     # fb52: fields uoffset -> vector at 60
    "0000 0000"                    # fb56: endianness = 0 (Little), 2 pad bytes
    "01000000"                     # fb60: fields vector length 1
    "14000000"                     # fb64: -> Field table at 84
    "1000 1200 0400 1000 1100 0800 0000 0c00"  # fb68: Field vtable: 16 bytes, table 18,
                                   #   name@4 nullable@16 type_type@17 type@8 dictionary=absent children@12
    "10000000"                     # fb84: Field table, soffset 16 -> vtable at 68
    "10000000"                     # fb88: name uoffset -> string at 104
    "1c000000"                     # fb92: type uoffset -> Int table at 120
    "24000000"                     # fb96: children uoffset -> vector at 132
    "01 02 0000"                   # fb100: nullable = true, type_type = 2 (Int), 2 pad bytes
    "01000000 61 00"               # fb104: string length 1, "a", NUL terminator
    "0800 0900 0400 0800"          # fb110: Int vtable: 8 bytes, table 9, bitWidth@4 is_signed@8
    "0000"                         # fb118: padding (tables are 4-byte aligned)
    "0a000000"                     # fb120: Int table, soffset 10 -> vtable at 110
    "40000000"                     # fb124: bitWidth = 64
    "01 000000"                    # fb128: is_signed = true, 3 pad bytes
    "00000000"                     # fb132: children vector, length 0
)


def test_schema_message_bytes_hand_checked():
    assert schema_message(Schema([Field("a", "int64")])) == SCHEMA_A_INT64
    assert len(SCHEMA_A_INT64) % 8 == 0


def test_record_batch_message_bytes():
    schema = Schema([Field("a", "int64")])
    msg = batch_message(RecordBatch(schema, [Column.from_pylist("int64", [1, None, 3])]))
    cont, size = struct.unpack_from("<Ii", msg)
    assert cont == 0xFFFFFFFF and (8 + size) % 8 == 0
    body = msg[8 + size:]
    assert body == (b"\x05" + bytes(7)             # validity bitmap 0b101, padded to 8
                    + struct.pack("<3q", 1, 0, 3))  # values (null slot written as 0)
    message = fb.root_table(msg[8:8 + size])
    assert message.scalar(md.MSG_VERSION, "h") == 4
    assert message.scalar(md.MSG_HEADER_TYPE, "B") == md.HEADER_RECORD_BATCH
    assert message.scalar(md.MSG_BODY_LENGTH, "q") == 32
    rb = message.table(md.MSG_HEADER)
    assert rb.scalar(md.RB_LENGTH, "q") == 3
    assert rb.struct_vector(md.RB_NODES, "qq") == [(3, 1)]
    assert rb.struct_vector(md.RB_BUFFERS, "qq") == [(0, 1), (8, 24)]
    assert not rb.has(md.RB_COMPRESSION)


def test_no_validity_buffer_when_no_nulls_and_stream_layout():
    data = write_stream(one_col_batch("utf8", ["ab", "c"]))
    assert data.startswith(SCHEMA_A_INT64[:4])
    assert data.endswith(b"\xff\xff\xff\xff\x00\x00\x00\x00") and EOS == data[-8:]
    (s_pos, s_size, s_body), (b_pos, b_size, b_body) = messages(data)
    assert (s_pos, s_body) == (0, 0)
    assert b_pos == 8 + s_size and b_pos % 8 == 0 and (8 + b_size) % 8 == 0
    assert b_pos + 8 + b_size + b_body + 8 == len(data)
    rb = fb.root_table(data[b_pos + 8:b_pos + 8 + b_size]).table(md.MSG_HEADER)
    # validity omitted (length 0); offsets 12 bytes at 0; data 3 bytes at 16 (8-aligned)
    assert rb.struct_vector(md.RB_BUFFERS, "qq") == [(0, 0), (0, 12), (16, 3)]
    body = data[b_pos + 8 + b_size:][:b_body]
    assert body == struct.pack("<3i", 0, 2, 3) + bytes(4) + b"abc" + bytes(5)


# ------------------------------------------------------------ Apache.Arrow C# golden streams

# Written by Apache.Arrow 23.0.0 (C#): the fixture of arrow_fixture_tool.py.
CSHARP_FIXTURE = (
    "eNrFVDFLw0AUfkkvaVojBAnSoUJnJ1FRh4L9By6OLqlYLKSNaAoVxGZ0d+3iKLi6B1wc/AEODiKu"
    "7m7xu8uVpicFi40+eHfvu/e9d+/uXZIkSdLXiBziUiabTDLIggXRGDABWRiZHImKUBcxL5jvoH3o"
    "PnRN+l3kRHDZkbglsE4l2GG7c3QWep0T2PWUx2zJi4FNzM121zs9JzpI/cbI/wrM517Y2uHlXaR+"
    "0xE1cg4TPK7NIPA5x6Yl+EzUbIuzgF+oiHUupvCZwtbFuVp+4IVbm/Sc5tZdme9JYNIaGAxou8tZ"
    "PI+j5terMr+F0YLHotRRG8durKdrhLTJI+7SldimZdkBma/AiNfbYJKAzlTgYbJHVdk7g8biZOzG"
    "lDlScKxg0pQ4BUcKjhWM65yMV3CkT9ZBBYWv4EjBsYKJKVi+U2PyOLnjFfqdaGMzwtMYzBo/x/2z"
    "wmvhMljNef9UPnfV/Yc9uqq/b19Kf5LX/qVfxs/j/FpGF6DBDLHe8cOt7we1t+F1/w8kl/PrGTXk"
    "v/3nl4dX6jUP/6t/0f1e/LFofluX3494t7Wb4tT4EecL2WamKw=="
)
# Apache.Arrow C#: schema {a: int64 not null, s: utf8}; batches of 3 and 0 rows.
CSHARP_TWO_BATCHES = (
    "eNq1UjsOwjAMfWkTWkUZOiCEUMVZehTY2VjoxlE4SkduFZ6Dy6efARBPsh0nfq6T1xhjvACoIPAI"
    "WMCh5IowljmYlfRWPZDRGuUE+pKcgquQehhXJY7U2lRvaMdHLV5qkdVpX+oDrUjnQmmUt7/n4Jjx"
    "yrjUPGClk2qv3GLN0KGHZx7S1HKXg86b4wmHeTSDOLd/nqjLBt/BRO419vfZ4nMY7Zt/wT21LX6B"
    "6NG96bEZ6VGP3s+ns16Tnf5P7oc55nTqdfg35B0k3gCSnRxd"
)


def _golden(b64: str) -> bytes:
    return zlib.decompress(base64.b64decode(b64))


def test_reads_csharp_fixture():
    data = _golden(CSHARP_FIXTURE)
    assert arrow_fixture_tool.first_difference(data) is None
    [batch] = read_stream(data)
    assert batch.equals(arrow_fixture_tool.fixture_batch())


def test_reads_csharp_two_batches():
    schema, batches = read_stream_with_schema(_golden(CSHARP_TWO_BATCHES))
    assert schema == Schema([Field("a", "int64", nullable=False), Field("s", "utf8")])
    assert [b.to_pydict() for b in batches] == [
        {"a": [10, 20, 30], "s": ["x", "yy", ""]}, {"a": [], "s": []}]
    assert batches[0].column("a").validity is None


# ------------------------------------------------------------ fixture tool

def test_fixture_tool_write_and_check(tmp_path):
    out = tmp_path / "fx.arrow"
    tool = os.path.join(_HERE, "arrow_fixture_tool.py")
    r = subprocess.run([sys.executable, tool, "write", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, tool, "check", str(out)], capture_output=True, text=True)
    assert r.returncode == 0 and "OK" in r.stdout
    # A stream differing in one value is rejected with the first difference.
    rows = [list(row) for row in arrow_fixture_tool.FIXTURE_ROWS]
    rows[4][2] = 0.0
    cols = [Column.from_pylist(t, [row[i] for row in rows])
            for i, (_, t) in enumerate(arrow_fixture_tool.COLUMNS)]
    bad = tmp_path / "bad.arrow"
    bad.write_bytes(write_stream(RecordBatch(arrow_fixture_tool.fixture_schema(), cols)))
    r = subprocess.run([sys.executable, tool, "check", str(bad)], capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stdout.strip() == "MISMATCH: column 'float64' row 4: expected nan, got 0.0"


def test_fixture_check_detects_negative_zero_and_bad_input():
    rows = [list(row) for row in arrow_fixture_tool.FIXTURE_ROWS]
    rows[2][2] = 0.0  # fixture has -0.0
    cols = [Column.from_pylist(t, [row[i] for row in rows])
            for i, (_, t) in enumerate(arrow_fixture_tool.COLUMNS)]
    data = write_stream(RecordBatch(arrow_fixture_tool.fixture_schema(), cols))
    assert arrow_fixture_tool.first_difference(data) == (
        "column 'float64' row 2: expected -0.0, got 0.0")
    assert arrow_fixture_tool.first_difference(b"junk").startswith("cannot decode stream:")


