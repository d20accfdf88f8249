using System.Buffers;
using System.Buffers.Binary;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// RocksDB values. Every value carries the time of its last access (ms, from the backend's
/// clock; 0 without TTL, as on the heap) so TTL needs no second lookup:
/// <code>
/// value, reducing, aggregating, map entry:  i64 stamp (big-endian) | payload
/// list:                                     element*, element = i64 stamp | u32 length | payload
/// </code>
/// The stamp is written whether or not the state has a TTL, so the bytes of a state never
/// depend on its descriptor (a snapshot restores whatever TTL the state is later given).
/// List elements each carry their own stamp and frame, so a list is the concatenation of its
/// elements and Add is a RocksDB merge of the new elements (<see cref="ListMergeOperator"/>).
/// </summary>
internal static class StateValueCodec
{
    public const int StampBytes = 8;
    public const int ElementHeaderBytes = StampBytes + 4;

    public static long Stamp(ReadOnlySpan<byte> stored) => BinaryPrimitives.ReadInt64BigEndian(stored);

    public static void SetStamp(Span<byte> stored, long stamp) => BinaryPrimitives.WriteInt64BigEndian(stored, stamp);

    public static ReadOnlyMemory<byte> Payload(byte[] stored) => stored.AsMemory(StampBytes);

    public static void WriteValue(IBufferWriter<byte> into, long stamp, ReadOnlySpan<byte> payload)
    {
        var span = into.GetSpan(StampBytes + payload.Length);
        BinaryPrimitives.WriteInt64BigEndian(span, stamp);
        payload.CopyTo(span[StampBytes..]);
        into.Advance(StampBytes + payload.Length);
    }

    public static void WriteElement(IBufferWriter<byte> into, long stamp, ReadOnlySpan<byte> payload)
    {
        var span = into.GetSpan(ElementHeaderBytes + payload.Length);
        BinaryPrimitives.WriteInt64BigEndian(span, stamp);
        BinaryPrimitives.WriteUInt32BigEndian(span[StampBytes..], (uint)payload.Length);
        payload.CopyTo(span[ElementHeaderBytes..]);
        into.Advance(ElementHeaderBytes + payload.Length);
    }

    /// <summary>Reads the list element at <paramref name="offset"/> and moves past it; false at the end.</summary>
    public static bool NextElement(ReadOnlySpan<byte> list, ref int offset, out long stamp, out Range payload)
    {
        if (offset == list.Length)
        {
            stamp = 0;
            payload = default;
            return false;
        }
        if (list.Length - offset < ElementHeaderBytes) ThrowCorrupt(offset);
        stamp = BinaryPrimitives.ReadInt64BigEndian(list[offset..]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(list[(offset + StampBytes)..]);
        var start = offset + ElementHeaderBytes;
        if (length > (uint)(list.Length - start)) ThrowCorrupt(offset);
        payload = start..(start + (int)length);
        offset = start + (int)length;
        return true;
    }

    private static void ThrowCorrupt(int offset) =>
        throw new InvalidDataException($"a RocksDB list state value is cut short at byte {offset}: it was not written by this backend's list layout");
}
