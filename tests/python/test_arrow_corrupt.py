"""Corrupt, truncated and unsupported Arrow IPC input: always ArrowCodecError, never a hang or a leak."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from arrow_helpers import *  # noqa: E402,F401,F403 - shared imports and helpers of the codec tests
from arrow_helpers import _HERE  # noqa: E402,F401

# ------------------------------------------------------------ corrupt input

def _small_stream():
    schema = Schema([Field("i", "int32"), Field("s", "utf8"), Field("b", "bool")])
    batch = RecordBatch(schema, [Column.from_pylist("int32", [1, None, 3]),
                                 Column.from_pylist("utf8", ["ab", None, "\u00e9"]),
                                 Column.from_pylist("bool", [True, False, None])])
    return write_stream([batch, batch])


def test_every_truncation_raises():
    data = _small_stream()
    for n in range(len(data)):
        with pytest.raises(ArrowCodecError):
            read_stream(data[:n])


def test_truncation_at_message_boundary_allowed_when_requested():
    data = _small_stream()
    without_eos = data[:-8]
    with pytest.raises(ArrowCodecError, match="no end-of-stream marker"):
        read_stream(without_eos)
    assert len(read_stream(without_eos, allow_missing_eos=True)) == 2


def test_random_corruption_never_leaks_other_exceptions():
    data = _small_stream()
    rng = random.Random(1234)
    for _ in range(3000):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(buf))
            buf[i] = rng.choice([0, 0xFF, 0x7F, 0x80, rng.randrange(256)])
        try:
            batches = read_stream(bytes(buf))
            for b in batches:  # decodable corruption must still convert cleanly
                for c in b.columns:
                    c.to_pylist()
        except ArrowCodecError:
            pass


def _schema_meta(field_table):
    return md.encode_message(md.HEADER_SCHEMA, fb.Table([
        (md.SCHEMA_FIELDS, None, fb.TableVector([field_table]))]), 0)


def _field(type_id, type_table, name="x", extra=()):
    return fb.Table([(md.FIELD_NAME, None, fb.String(name)), (md.FIELD_NULLABLE, "?", True),
                     (md.FIELD_TYPE_TYPE, "B", type_id), (md.FIELD_TYPE, None, type_table),
                     (md.FIELD_CHILDREN, None, fb.TableVector([])), *extra])


@pytest.mark.parametrize("type_id,table,desc", [
    (2, fb.Table([(0, "i", 16), (1, "?", True)]), "Int(bitWidth=16, signed=True)"),
    (2, fb.Table([(0, "i", 64), (1, "?", False)]), "Int(bitWidth=64, signed=False)"),
    (3, fb.Table([(0, "h", 1)]), "FloatingPoint(SINGLE)"),
    (10, fb.Table([(0, "h", 3)]), "Timestamp(unit=NANOSECOND, timezone=None)"),
    (10, fb.Table([(0, "h", 2), (1, None, fb.String("Europe/Paris"))]),
     "Timestamp(unit=MICROSECOND, timezone='Europe/Paris')"),
    (8, fb.Table(), "Date(unit=MILLISECOND)"),
    (9, fb.Table([(0, "h", 0)]), "Time(unit=SECOND, bitWidth=32)"),
    (9, fb.Table([(0, "h", 3), (1, "i", 64)]), "Time(unit=NANOSECOND, bitWidth=64)"),
    (7, fb.Table([(0, "i", 76), (1, "i", 18), (2, "i", 256)]), "Decimal(precision=76, scale=18, bitWidth=256)"),
    (7, fb.Table([(0, "i", 10), (1, "i", 11)]), "Decimal(precision=10, scale=11, bitWidth=128)"),
    (20, fb.Table(), "LargeUtf8"),
    (21, fb.Table(), "LargeList"),
    (99, fb.Table(), "<unknown type id 99>"),
])
def test_unsupported_types_in_stream(type_id, table, desc):
    data = frame(_schema_meta(_field(type_id, table))) + EOS
    with pytest.raises(ArrowCodecError) as e:
        read_stream(data)
    assert str(e.value) == f"unsupported Arrow type {desc} in field 'x'"


def test_a_list_without_its_child_field_is_a_clear_error():
    data = frame(_schema_meta(_field(12, fb.Table()))) + EOS
    with pytest.raises(ArrowCodecError, match="List field 'x' must have one child field, has 0"):
        read_stream(data)


def test_dictionary_field_rejected():
    dictionary = fb.Table([(0, "q", 0)])
    data = frame(_schema_meta(_field(5, fb.Table(), extra=[(md.FIELD_DICTIONARY, None, dictionary)]))) + EOS
    with pytest.raises(ArrowCodecError, match="dictionary-encoded field 'x' is not supported"):
        read_stream(data)


def test_big_endian_schema_rejected():
    meta = md.encode_message(md.HEADER_SCHEMA, fb.Table([
        (md.SCHEMA_ENDIANNESS, "h", 1),
        (md.SCHEMA_FIELDS, None, fb.TableVector([_field(5, fb.Table())]))]), 0)
    with pytest.raises(ArrowCodecError, match="big-endian"):
        read_stream(frame(meta) + EOS)


def _batch_meta(length, nodes, buffers, body_len, compression=False):
    fields = [(md.RB_LENGTH, "q", length),
              (md.RB_NODES, None, fb.StructVector(struct.pack(f"<{2 * len(nodes)}q", *sum(nodes, ())), len(nodes), 8)),
              (md.RB_BUFFERS, None, fb.StructVector(struct.pack(f"<{2 * len(buffers)}q", *sum(buffers, ())), len(buffers), 8))]
    if compression:
        fields.append((md.RB_COMPRESSION, None, fb.Table([(0, "b", 0), (1, "b", 0)])))
    return md.encode_message(md.HEADER_RECORD_BATCH, fb.Table(fields), body_len)


def _utf8_stream(nodes, buffers, body, length=2, compression=False):
    return (schema_message(Schema([Field("s", "utf8")]))
            + frame(_batch_meta(length, nodes, buffers, len(body), compression), body) + EOS)


GOOD_UTF8_BODY = struct.pack("<3i", 0, 1, 3) + bytes(4) + b"abc" + bytes(5)


def test_handcrafted_utf8_batch_is_valid():
    data = _utf8_stream([(2, 0)], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY)
    assert read_stream(data)[0].column(0).to_pylist() == ["a", "bc"]


@pytest.mark.parametrize("nodes,buffers,body,length,message", [
    ([(2, 0)], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY, 3, "column 's' has 2 rows, batch has 3"),
    ([(2, 3)], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY, 2, "invalid null count 3"),
    ([(2, 1)], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY, 2, "1 nulls but no validity bitmap"),
    ([(2, 1)], [(18, 1), (0, 12), (16, 3)], GOOD_UTF8_BODY, 2,
     "declares 1 nulls but its validity bitmap has 0"),  # 'c' = 0b01100011: both rows valid
    ([(2, 0)], [(0, 0), (0, 12), (16, 99)], GOOD_UTF8_BODY, 2, "lies outside the 24-byte body"),
    ([(2, 0)], [(0, 0), (-8, 12), (16, 3)], GOOD_UTF8_BODY, 2, "lies outside the 24-byte body"),
    ([(2, 0)], [(0, 0), (0, 8), (16, 3)], GOOD_UTF8_BODY, 2, "offsets buffer of column 's' has 8 bytes, needs 12"),
    ([(2, 0)], [(0, 0), (0, 12), (16, 2)], GOOD_UTF8_BODY, 2, "invalid offsets"),
    ([(2, 0)], [(0, 0), (0, 12), (16, 3)], struct.pack("<3i", 0, 2, 1) + GOOD_UTF8_BODY[12:], 2,
     "invalid offsets"),
    ([(2, 0)], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY[:16] + b"a\xff\xfe" + bytes(5), 2,
     "invalid UTF-8"),
    ([(2, 0)], [(0, 0), (0, 12)], GOOD_UTF8_BODY, 2, "too few buffers for column 's'"),
    ([], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY, 2, "too few field nodes"),
    ([(2, 0), (2, 0)], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY, 2,
     "has 2 field nodes and 3 buffers but the schema uses 1 and 3"),
    ([(2, 0)], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY, -1, "negative row count"),
])
def test_corrupt_record_batches(nodes, buffers, body, length, message):
    with pytest.raises(ArrowCodecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_stream(_utf8_stream(nodes, buffers, body, length))


def test_compressed_batch_rejected():
    data = _utf8_stream([(2, 0)], [(0, 0), (0, 12), (16, 3)], GOOD_UTF8_BODY, compression=True)
    with pytest.raises(ArrowCodecError, match="compressed record batches are not supported"):
        read_stream(data)


def test_stream_structure_errors():
    schema_msg = schema_message(Schema([Field("a", "int64")]))
    batch = batch_message(one_col_batch("int64", [1], name="a"))
    cases = [
        (b"", "empty input"),
        (EOS, "no Schema message"),
        (batch + EOS, "precedes the Schema"),
        (schema_msg + schema_msg + EOS, "unexpected second Schema message at byte 144"),
        (schema_msg + EOS + b"\x00", "1 unexpected bytes after the end-of-stream marker"),
        (b"\xff\xff\xff\xff\xf0\xff\xff\xff", "negative metadata size"),
        (b"\xff\xff\xff\xff\x00\x01\x00\x00" + bytes(16), "metadata needs 256 bytes, only 16 remain"),
        (frame(md.encode_message(md.HEADER_DICTIONARY_BATCH, fb.Table(), 0)), "dictionary batches"),
        (frame(md.encode_message(4, fb.Table(), 0)), "unsupported IPC message type Tensor"),
        (frame(md.encode_message(md.HEADER_SCHEMA, fb.Table(), 0)) + EOS, "0 columns"),
        (schema_msg + frame(md.encode_message(md.HEADER_RECORD_BATCH, fb.Table(), 1 << 40)),
         "message body needs 1099511627776 bytes"),
        (frame(b"\x00" * 8) + EOS, "corrupt flatbuffer metadata"),
        (frame(b"\xf0\xff\xff\x7f" + bytes(4)) + EOS, "corrupt flatbuffer metadata"),
    ]
    for data, message in cases:
        with pytest.raises(ArrowCodecError, match=message):
            read_stream(data)
    with pytest.raises(ArrowCodecError, match="bytes-like"):
        read_stream("not bytes")


def test_old_metadata_version_rejected():
    meta = fb.encode(fb.Table([(md.MSG_VERSION, "h", 2), (md.MSG_HEADER_TYPE, "B", 1),
                               (md.MSG_HEADER, None, fb.Table()), (md.MSG_BODY_LENGTH, "q", 0)]))
    with pytest.raises(ArrowCodecError, match="metadata version V3"):
        read_stream(frame(meta) + EOS)


def test_accepts_bytearray_and_memoryview_and_legacy_framing():
    data = _small_stream()
    assert read_stream(bytearray(data))[0].column(1).to_pylist() == ["ab", None, "\u00e9"]
    assert len(read_stream(memoryview(data))) == 2
    # Pre-1.0 framing: int32 size without the 0xFFFFFFFF continuation marker.
    legacy = b""
    for m_pos, size, body in messages(data):
        legacy += data[m_pos + 4:m_pos + 8 + size + body]
    legacy += b"\x00\x00\x00\x00"
    assert [b.to_pydict() for b in read_stream(legacy)] == [b.to_pydict() for b in read_stream(data)]

