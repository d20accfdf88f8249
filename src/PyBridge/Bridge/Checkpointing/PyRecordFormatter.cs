using MessagePack;
using MessagePack.Formatters;
using PyFlow.PyBridge.Records;

namespace PyFlow.PyBridge.Checkpointing;

/// <summary>
/// MessagePack form of a <see cref="PyRecord"/>, for checkpoints and for the RocksDB backend (the
/// engine's serializers find it through the type's <c>[MessagePackFormatter]</c> attribute). A record
/// does not carry its <c>PyType</c>, so the form describes itself: <c>[value, key]</c>, where value is
/// nil (null), an integer (the 64 bits of a scalar: int, long, double bits, bool, timestamp), a string,
/// a binary (BYTES or a pickle), an array of nested values (a ROW, TUPLE, LIST or MAP's
/// <c>PyRecord[]</c>, each element again a value) or extension <see cref="DecimalExtension"/> (a
/// <see cref="PyDecimal"/>: 16 bytes of its unscaled value, little-endian, then a byte of its scale), and
/// key is nil or the canonical key bytes.
/// </summary>
/// <remarks>Bits are written as they are, so a double round-trips exactly (its bits, not its value).</remarks>
public sealed class PyRecordFormatter : IMessagePackFormatter<PyRecord>
{
    /// <summary>Nesting deeper than this is refused on reading (PyType allows 64 levels).</summary>
    private const int MaxDepth = 128;

    /// <summary>The msgpack extension type code of a <see cref="PyDecimal"/>.</summary>
    public const sbyte DecimalExtension = 1;

    public void Serialize(ref MessagePackWriter writer, PyRecord value, MessagePackSerializerOptions options)
    {
        writer.WriteArrayHeader(2);
        WriteValue(ref writer, value);
        if (value.HasKey) writer.Write(value.Key.Span);
        else writer.WriteNil();
    }

    public PyRecord Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.ReadArrayHeader() != 2) throw new MessagePackSerializationException("a PyRecord is written as [value, key]");
        var record = ReadValue(ref reader, 0);
        if (reader.TryReadNil()) return record;
        return record.WithKey(new KeyBytes(ReadBinary(ref reader)));
    }

    private static void WriteValue(ref MessagePackWriter writer, PyRecord value)
    {
        switch (value.Reference)
        {
            case null when value.IsNull:
                writer.WriteNil();
                break;
            case null:
                writer.Write(value.Bits);
                break;
            case string s:
                writer.Write(s);
                break;
            case byte[] b:
                writer.Write(b);
                break;
            case PyRecord[] nested:
                writer.WriteArrayHeader(nested.Length);
                foreach (var n in nested) WriteValue(ref writer, n);
                break;
            case PyDecimal d:
                var payload = new byte[17];
                System.Buffers.Binary.BinaryPrimitives.WriteInt128LittleEndian(payload, d.Unscaled);
                payload[16] = (byte)d.Scale;
                writer.WriteExtensionFormat(new ExtensionResult(DecimalExtension, payload));
                break;
            case var other:
                throw new MessagePackSerializationException($"a PyRecord cannot hold a {other.GetType().Name}");
        }
    }

    private static PyRecord ReadValue(ref MessagePackReader reader, int depth)
    {
        if (depth > MaxDepth) throw new MessagePackSerializationException($"a PyRecord nested deeper than {MaxDepth} levels");
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return PyRecord.Null;
            case MessagePackType.Integer:
                return PyRecord.OfBits(reader.ReadInt64());
            case MessagePackType.String:
                return PyRecord.OfReference(reader.ReadString());
            case MessagePackType.Binary:
                return PyRecord.OfReference(ReadBinary(ref reader));
            case MessagePackType.Array:
                var nested = new PyRecord[reader.ReadArrayHeader()];
                for (var i = 0; i < nested.Length; i++) nested[i] = ReadValue(ref reader, depth + 1);
                return PyRecord.OfReference(nested);
            case MessagePackType.Extension:
                var ext = reader.ReadExtensionFormat();
                if (ext.Header.TypeCode != DecimalExtension || ext.Header.Length != 17)
                    throw new MessagePackSerializationException($"a PyRecord value cannot be msgpack extension {ext.Header.TypeCode} of {ext.Header.Length} bytes");
                var bytes = System.Buffers.BuffersExtensions.ToArray(ext.Data);
                return PyRecord.OfReference(new PyDecimal(System.Buffers.Binary.BinaryPrimitives.ReadInt128LittleEndian(bytes), bytes[16]));
            case var other:
                throw new MessagePackSerializationException($"a PyRecord value cannot be a msgpack {other}");
        }
    }

    private static byte[] ReadBinary(ref MessagePackReader reader) =>
        reader.ReadBytes() is { } bytes ? System.Buffers.BuffersExtensions.ToArray(bytes) : throw new MessagePackSerializationException("expected binary, got nil");
}

/// <summary>MessagePack form of a <see cref="KeyBytes"/>: its canonical bytes (so serialized keys compare by value, as RocksDB needs).</summary>
public sealed class KeyBytesFormatter : IMessagePackFormatter<KeyBytes>
{
    public void Serialize(ref MessagePackWriter writer, KeyBytes value, MessagePackSerializerOptions options)
    {
        if (value.Bytes == null) writer.WriteNil();
        else writer.Write(value.Span);
    }

    public KeyBytes Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        reader.TryReadNil() ? default : new KeyBytes(System.Buffers.BuffersExtensions.ToArray(reader.ReadBytes()!.Value));
}
