using System.Buffers.Binary;
using Apache.Arrow;
using Apache.Arrow.Types;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Arrow;

/// <summary>
/// <see cref="ColumnCodec"/> for decimal128: each value is its unscaled integer in 16 little-endian
/// bytes (two's complement), written from and read into <see cref="PyDecimal"/>s at the type's scale.
/// </summary>
internal static class DecimalColumns
{
    private const int Width = 16;

    public static IArrowArray Build(PyType type, ReadOnlySpan<PyRecord> records)
    {
        var arrowType = (Decimal128Type)type.ArrowType;
        var n = records.Length;
        var data = new byte[ColumnCodec.Align8(n * Width)];
        for (var i = 0; i < n; i++)
        {
            if (records[i].IsNull) continue;
            var value = records[i].Reference as PyDecimal
                ?? throw new InvalidDataException($"a record of {type} must hold a PyDecimal, it holds {records[i].Reference?.GetType().Name ?? "a number"}");
            BinaryPrimitives.WriteInt128LittleEndian(data.AsSpan(i * Width, Width), Rescale(value, arrowType, type));
        }
        var validity = ColumnCodec.Validity(records, out var nulls);
        return new Decimal128Array(new ArrayData(arrowType, n, nulls, 0, new[] { validity, new ArrowBuffer(data) }));
    }

    public static void Read(PyType type, Decimal128Array array, Span<PyRecord> dest)
    {
        var scale = ((Decimal128Type)array.Data.DataType).Scale;
        var values = array.ValueBuffer.Span;
        for (var i = 0; i < dest.Length; i++)
        {
            if (array.IsNull(i)) { dest[i] = PyRecord.Null; continue; }
            var unscaled = BinaryPrimitives.ReadInt128LittleEndian(values.Slice((array.Offset + i) * Width, Width));
            try { dest[i] = PyRecord.OfReference(new PyDecimal(unscaled, scale)); }
            catch (ArgumentOutOfRangeException e) { throw new InvalidDataException($"a {type} value at row {i} does not fit: {e.Message}"); }
        }
    }

    /// <summary>The unscaled value at the column's scale; a value with more digits after the point is refused, not rounded.</summary>
    private static Int128 Rescale(PyDecimal value, Decimal128Type arrowType, PyType type)
    {
        if (value.Scale == arrowType.Scale) return value.Unscaled;
        var unscaled = value.Unscaled;
        for (var s = value.Scale; s < arrowType.Scale; s++) unscaled = checked(unscaled * 10);
        for (var s = value.Scale; s > arrowType.Scale; s--)
        {
            if (unscaled % 10 != 0) throw new InvalidDataException($"{type} value {value} has more than {arrowType.Scale} digits after the point");
            unscaled /= 10;
        }
        return unscaled;
    }
}
