using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Arrow;

/// <summary>
/// Between <see cref="PyRecord"/>s of a <see cref="PyType"/> and Arrow arrays. Fixed-width
/// columns are written straight from the records' 64-bit values into managed buffers and read
/// straight back: no builder, no boxing, no native memory to finalize.
/// </summary>
public static class ColumnCodec
{
    public static IArrowArray Build(PyType type, ReadOnlySpan<PyRecord> records)
    {
        var n = records.Length;
        switch (type.Kind)
        {
            case WireKind.Bool:
            {
                var bits = new byte[Align8((n + 7) / 8)];
                for (var i = 0; i < n; i++)
                    if (records[i].Bits != 0) bits[i >> 3] |= (byte)(1 << (i & 7));
                return new BooleanArray(new ArrowBuffer(bits), Validity(records, out var nulls), n, nulls, 0);
            }
            case WireKind.Int32:
                return new Int32Array(Bits32(records), Validity(records, out var n32), n, n32, 0);
            case WireKind.Int64:
                return new Int64Array(Bits64(records), Validity(records, out var n64), n, n64, 0);
            case WireKind.Float64:
                return new DoubleArray(Bits64(records), Validity(records, out var nd), n, nd, 0);
            case WireKind.TimestampMicros or WireKind.TimestampMicrosUtc:
                return new TimestampArray((TimestampType)type.ArrowType, Bits64(records), Validity(records, out var nt), n, nt, 0);
            case WireKind.Date32:
                return new Date32Array(Bits32(records), Validity(records, out var ndate), n, ndate, 0);
            case WireKind.Time32Millis:
                return new Time32Array((Time32Type)type.ArrowType, Bits32(records), Validity(records, out var nt32), n, nt32, 0);
            case WireKind.Time64Micros:
                return new Time64Array((Time64Type)type.ArrowType, Bits64(records), Validity(records, out var nt64), n, nt64, 0);
            case WireKind.Decimal128:
                return DecimalColumns.Build(type, records);
            case WireKind.Utf8:
            {
                var b = new StringArray.Builder().Reserve(n);
                foreach (var r in records) { if (r.IsNull) b.AppendNull(); else b.Append((string)r.Reference!, Encoding.UTF8); }
                return b.Build();
            }
            case WireKind.Binary:
            {
                var b = new BinaryArray.Builder().Reserve(n);
                foreach (var r in records) { if (r.IsNull) b.AppendNull(); else b.Append(((byte[])r.Reference!).AsSpan()); }
                return b.Build();
            }
            case WireKind.Struct or WireKind.List or WireKind.Map:
                return NestedColumns.Build(type, records);
            default:
                throw new InvalidOperationException($"no Arrow encoding for {type.Name}");
        }
    }

    /// <summary>Decodes <paramref name="array"/> into <paramref name="dest"/> (keys left unset), checking it has the type's Arrow type.</summary>
    public static void Read(PyType type, IArrowArray array, Span<PyRecord> dest)
    {
        if (!ArrowTypes.Same(array.Data.DataType, type.ArrowType))
            throw new InvalidDataException($"expected a column of {type.Name} ({ArrowTypes.Describe(type.ArrowType)}), got {ArrowTypes.Describe(array.Data.DataType)}");
        var n = Math.Min(array.Length, dest.Length);
        dest = dest[..n];
        if (type.IsNested)
        {
            NestedColumns.Read(type, array, dest);
            return;
        }
        switch (array)
        {
            case BooleanArray a:
                for (var i = 0; i < n; i++) dest[i] = a.GetValue(i) is { } b ? PyRecord.OfLong(b ? 1 : 0) : PyRecord.Null;
                break;
            case Int32Array a: ReadBits32(a, a.Values, dest); break;
            case Int64Array a: ReadBits64(a, MemoryMarshal.Cast<long, long>(a.Values), dest); break;
            case DoubleArray a: ReadBits64(a, MemoryMarshal.Cast<double, long>(a.Values), dest); break;
            case TimestampArray a: ReadBits64(a, a.Values, dest); break;
            case Time64Array a: ReadBits64(a, a.Values, dest); break;
            case Date32Array a: ReadBits32(a, a.Values, dest); break;
            case Time32Array a: ReadBits32(a, a.Values, dest); break;
            case Decimal128Array a: DecimalColumns.Read(type, a, dest); break;
            case StringArray a:
                for (var i = 0; i < n; i++) dest[i] = PyRecord.OfReference(a.GetString(i));
                break;
            case BinaryArray a:
                for (var i = 0; i < n; i++) dest[i] = a.IsNull(i) ? PyRecord.Null : PyRecord.OfReference(a.GetBytes(i).ToArray());
                break;
            default:
                throw new InvalidDataException($"unsupported Arrow column type {array.Data.DataType.Name}");
        }
    }

    /// <summary>The records of a batch's column <c>v</c>, with the timestamps of its column <c>ts</c> when it has one.</summary>
    public static (PyRecord[] Values, long[] Timestamps) ReadRecords(RecordBatch batch, PyType type, string what)
    {
        var n = batch.Length;
        var records = new PyRecord[n];
        Read(type, ArrowIpc.Column(batch, "v", what), records);
        var timestamps = new long[n];
        if (ArrowIpc.HasColumn(batch, "ts")) ReadTimestamps(ArrowIpc.Column(batch, "ts", what), timestamps);
        else timestamps.AsSpan().Fill(PyFlow.Engine.Runtime.Batch<PyRecord>.NoTimestamp);
        return (records, timestamps);
    }

    /// <summary>Event timestamps: <see cref="PyFlow.Engine.Runtime.Batch{T}.NoTimestamp"/> travels as null.</summary>
    public static Int64Array BuildTimestamps(ReadOnlySpan<long> timestamps)
    {
        var n = timestamps.Length;
        var data = new byte[Align8(n * sizeof(long))];
        timestamps.CopyTo(MemoryMarshal.Cast<byte, long>(data.AsSpan()));
        byte[]? bitmap = null;
        var nulls = 0;
        for (var i = 0; i < n; i++)
        {
            if (timestamps[i] != long.MinValue) continue;
            bitmap ??= AllValid(n);
            bitmap[i >> 3] &= (byte)~(1 << (i & 7));
            nulls++;
        }
        return new Int64Array(new ArrowBuffer(data), bitmap == null ? ArrowBuffer.Empty : new ArrowBuffer(bitmap), n, nulls, 0);
    }

    public static void ReadTimestamps(IArrowArray array, Span<long> dest)
    {
        if (array is not Int64Array a) throw new InvalidDataException($"column ts must be int64, got {array.Data.DataType.Name}");
        var values = a.Values;
        if (a.NullCount == 0) values[..dest.Length].CopyTo(dest);
        else for (var i = 0; i < dest.Length; i++) dest[i] = a.IsNull(i) ? long.MinValue : values[i];
    }

    private static ArrowBuffer Bits64(ReadOnlySpan<PyRecord> records)
    {
        var data = new byte[records.Length * sizeof(long)];
        var typed = MemoryMarshal.Cast<byte, long>(data.AsSpan());
        for (var i = 0; i < records.Length; i++) typed[i] = records[i].Bits;
        return new ArrowBuffer(data);
    }

    /// <summary>The records' values as 32-bit ints (int32, date32's days, time32's milliseconds).</summary>
    private static ArrowBuffer Bits32(ReadOnlySpan<PyRecord> records)
    {
        var data = new byte[Align8(records.Length * sizeof(int))];
        var typed = MemoryMarshal.Cast<byte, int>(data.AsSpan());
        for (var i = 0; i < records.Length; i++) typed[i] = (int)records[i].Bits;
        return new ArrowBuffer(data);
    }

    private static void ReadBits32(IArrowArray array, ReadOnlySpan<int> values, Span<PyRecord> dest)
    {
        for (var i = 0; i < dest.Length; i++) dest[i] = PyRecord.OfLong(values[i]);
        ApplyNulls(array, dest);
    }

    private static void ReadBits64(IArrowArray array, ReadOnlySpan<long> bits, Span<PyRecord> dest)
    {
        for (var i = 0; i < dest.Length; i++) dest[i] = PyRecord.OfBits(bits[i]);
        ApplyNulls(array, dest);
    }

    private static void ApplyNulls(IArrowArray array, Span<PyRecord> dest)
    {
        if (array.NullCount == 0) return;
        for (var i = 0; i < dest.Length; i++)
            if (array.IsNull(i)) dest[i] = PyRecord.Null;
    }

    /// <summary>The validity bitmap of <paramref name="records"/>; empty (no buffer) when none is null.</summary>
    internal static ArrowBuffer Validity(ReadOnlySpan<PyRecord> records, out int nulls)
    {
        byte[]? bitmap = null;
        nulls = 0;
        for (var i = 0; i < records.Length; i++)
        {
            if (!records[i].IsNull) continue;
            bitmap ??= AllValid(records.Length);
            bitmap[i >> 3] &= (byte)~(1 << (i & 7));
            nulls++;
        }
        return bitmap == null ? ArrowBuffer.Empty : new ArrowBuffer(bitmap);
    }

    private static byte[] AllValid(int n)
    {
        var bitmap = new byte[Align8((n + 7) / 8)];
        bitmap.AsSpan().Fill(0xff);
        return bitmap;
    }

    internal static int Align8(int bytes) => (bytes + 7) & ~7;
}
