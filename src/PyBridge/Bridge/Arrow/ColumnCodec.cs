using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Arrow;

/// <summary>
/// Between engine values (boxed C# values of a <see cref="PyType"/>) and Arrow arrays.
/// C# types: bool, int, long, double, string, byte[] (BYTES and pickled values),
/// <see cref="DateTimeOffset"/> (SQL_TIMESTAMP, UTC, microseconds). Null is null.
/// </summary>
public static class ColumnCodec
{
    public static IArrowArray Build(PyType type, ReadOnlySpan<object?> values)
    {
        switch (type.Kind)
        {
            case WireKind.Bool:
            {
                var b = new BooleanArray.Builder().Reserve(values.Length);
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append((bool)v); }
                return b.Build();
            }
            case WireKind.Int32:
            {
                var b = new Int32Array.Builder().Reserve(values.Length);
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(v is int i ? i : Convert.ToInt32(v)); }
                return b.Build();
            }
            case WireKind.Int64:
            {
                var b = new Int64Array.Builder().Reserve(values.Length);
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(v is long l ? l : Convert.ToInt64(v)); }
                return b.Build();
            }
            case WireKind.Float64:
            {
                var b = new DoubleArray.Builder().Reserve(values.Length);
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(v is double d ? d : Convert.ToDouble(v)); }
                return b.Build();
            }
            case WireKind.Utf8:
            {
                var b = new StringArray.Builder().Reserve(values.Length);
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append((string)v, Encoding.UTF8); }
                return b.Build();
            }
            case WireKind.Binary:
            {
                var b = new BinaryArray.Builder().Reserve(values.Length);
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append(((byte[])v).AsSpan()); }
                return b.Build();
            }
            case WireKind.TimestampMicros:
            {
                var b = new TimestampArray.Builder((TimestampType)type.ArrowType).Reserve(values.Length);
                foreach (var v in values) { if (v is null) b.AppendNull(); else b.Append((DateTimeOffset)v); }
                return b.Build();
            }
            default:
                throw new InvalidOperationException($"no Arrow encoding for {type.Name}");
        }
    }

    /// <summary>Decodes <paramref name="array"/> into <paramref name="dest"/>, checking it has the type's Arrow type.</summary>
    public static void Read(PyType type, IArrowArray array, Span<object?> dest)
    {
        if (array.Data.DataType.TypeId != type.ArrowType.TypeId)
            throw new InvalidDataException($"expected a column of {type.Name} ({type.ArrowType.Name}), got {array.Data.DataType.Name}");
        var n = Math.Min(array.Length, dest.Length);
        switch (array)
        {
            case BooleanArray a: for (var i = 0; i < n; i++) dest[i] = a.GetValue(i); break;
            case Int32Array a: for (var i = 0; i < n; i++) dest[i] = a.IsNull(i) ? null : a.Values[i]; break;
            case Int64Array a: for (var i = 0; i < n; i++) dest[i] = a.IsNull(i) ? null : a.Values[i]; break;
            case DoubleArray a: for (var i = 0; i < n; i++) dest[i] = a.IsNull(i) ? null : a.Values[i]; break;
            case StringArray a: for (var i = 0; i < n; i++) dest[i] = a.GetString(i); break;
            case TimestampArray a: for (var i = 0; i < n; i++) dest[i] = a.GetTimestamp(i); break;
            case BinaryArray a: for (var i = 0; i < n; i++) dest[i] = a.IsNull(i) ? null : a.GetBytes(i).ToArray(); break;
            default: throw new InvalidDataException($"unsupported Arrow column type {array.Data.DataType.Name}");
        }
    }

    /// <summary>Event timestamps: <see cref="PyFlow.Engine.Runtime.Batch{T}.NoTimestamp"/> travels as null.</summary>
    public static Int64Array BuildTimestamps(ReadOnlySpan<long> timestamps)
    {
        var b = new Int64Array.Builder().Reserve(timestamps.Length);
        foreach (var t in timestamps) { if (t == long.MinValue) b.AppendNull(); else b.Append(t); }
        return b.Build();
    }

    public static void ReadTimestamps(IArrowArray array, Span<long> dest)
    {
        if (array is not Int64Array a) throw new InvalidDataException($"column ts must be int64, got {array.Data.DataType.Name}");
        var values = a.Values;
        for (var i = 0; i < dest.Length; i++) dest[i] = a.IsNull(i) ? long.MinValue : values[i];
    }
}
