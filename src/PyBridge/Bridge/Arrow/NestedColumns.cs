using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Arrow;

/// <summary>
/// <see cref="ColumnCodec"/> for nested types. A nested record's <see cref="PyRecord.Reference"/>
/// is a <c>PyRecord[]</c> the engine owns (no Python object): a struct's fields in order, a
/// list's elements, a map's entries as key, value, key, value, ... Children are built and read
/// by <see cref="ColumnCodec"/> itself, so every type nests in every other.
/// </summary>
internal static class NestedColumns
{
    public static IArrowArray Build(PyType type, ReadOnlySpan<PyRecord> records)
    {
        var n = records.Length;
        var validity = ColumnCodec.Validity(records, out var nulls);
        switch (type.Kind)
        {
            case WireKind.Struct:
            {
                var width = type.Children.Count;
                var children = new IArrowArray[width];
                var column = new PyRecord[n];
                for (var f = 0; f < width; f++)
                {
                    for (var i = 0; i < n; i++) column[i] = records[i].IsNull ? PyRecord.Null : Items(records[i], type, width)[f];
                    children[f] = ColumnCodec.Build(type.Children[f], column);
                }
                return new StructArray(type.ArrowType, n, children, validity, nulls);
            }
            case WireKind.List:
            {
                var (offsets, items) = Flatten(records, type, 1);
                return new ListArray(type.ArrowType, n, offsets, ColumnCodec.Build(type.Children[0], items), validity, nulls);
            }
            case WireKind.Map:
            {
                var (offsets, pairs) = Flatten(records, type, 2);
                var count = pairs.Length / 2;
                var keys = new PyRecord[count];
                var values = new PyRecord[count];
                for (var i = 0; i < count; i++)
                {
                    keys[i] = pairs[2 * i];
                    if (keys[i].IsNull) throw new InvalidDataException($"{type}: a map key is null; map keys cannot be null");
                    values[i] = pairs[2 * i + 1];
                }
                var mapType = (MapType)type.ArrowType;
                var entries = new StructArray(mapType.KeyValueType, count,
                    new[] { ColumnCodec.Build(type.Children[0], keys), ColumnCodec.Build(type.Children[1], values) }, ArrowBuffer.Empty, 0);
                return new MapArray(mapType, n, offsets, entries, validity, nulls);
            }
            default:
                throw new InvalidOperationException($"{type} is not nested");
        }
    }

    public static void Read(PyType type, IArrowArray array, Span<PyRecord> dest)
    {
        switch (array)
        {
            case StructArray a:
            {
                var width = type.Children.Count;
                if (a.Fields.Count != width) throw new InvalidDataException($"expected a struct of {width} fields for {type}, got {a.Fields.Count}");
                var columns = new PyRecord[width][];
                for (var f = 0; f < width; f++)
                {
                    columns[f] = new PyRecord[a.Fields[f].Length];
                    ColumnCodec.Read(type.Children[f], a.Fields[f], columns[f]);
                }
                for (var i = 0; i < dest.Length; i++)
                {
                    if (a.IsNull(i)) { dest[i] = PyRecord.Null; continue; }
                    var fields = new PyRecord[width];
                    for (var f = 0; f < width; f++) fields[f] = columns[f][a.Offset + i];
                    dest[i] = PyRecord.OfReference(fields);
                }
                break;
            }
            case MapArray a:
            {
                var keys = ReadAll(type.Children[0], a.Keys);
                var values = ReadAll(type.Children[1], a.Values);
                var offsets = a.ValueOffsets;
                for (var i = 0; i < dest.Length; i++)
                {
                    if (a.IsNull(i)) { dest[i] = PyRecord.Null; continue; }
                    var start = offsets[i];
                    var pairs = new PyRecord[2 * (offsets[i + 1] - start)];
                    for (var j = 0; j < pairs.Length / 2; j++)
                    {
                        pairs[2 * j] = keys[start + j];
                        pairs[2 * j + 1] = values[start + j];
                    }
                    dest[i] = PyRecord.OfReference(pairs);
                }
                break;
            }
            case ListArray a:
            {
                var items = ReadAll(type.Children[0], a.Values);
                var offsets = a.ValueOffsets;
                for (var i = 0; i < dest.Length; i++)
                    dest[i] = a.IsNull(i) ? PyRecord.Null : PyRecord.OfReference(items.AsSpan(offsets[i], offsets[i + 1] - offsets[i]).ToArray());
                break;
            }
            default:
                throw new InvalidDataException($"expected a column of {type}, got {array.Data.DataType.Name}");
        }
    }

    private static PyRecord[] ReadAll(PyType type, IArrowArray array)
    {
        var records = new PyRecord[array.Length];
        ColumnCodec.Read(type, array, records);
        return records;
    }

    /// <summary>The items of a nested record, checked to be what the type needs.</summary>
    private static PyRecord[] Items(PyRecord record, PyType type, int width) =>
        record.Reference is PyRecord[] items && (width < 0 || items.Length == width)
            ? items
            : throw new InvalidDataException($"a record of {type} must hold a PyRecord[] of {width} fields, it holds {record.Reference?.GetType().Name ?? "nothing"}");

    /// <summary>The int32 offsets of list-like records and all their items in one array (<paramref name="stride"/> items per element).</summary>
    private static (ArrowBuffer Offsets, PyRecord[] Items) Flatten(ReadOnlySpan<PyRecord> records, PyType type, int stride)
    {
        var n = records.Length;
        var data = new byte[ColumnCodec.Align8((n + 1) * sizeof(int))];
        var offsets = MemoryMarshal.Cast<byte, int>(data.AsSpan());
        var total = 0;
        for (var i = 0; i < n; i++)
        {
            offsets[i] = total / stride;
            if (records[i].IsNull) continue;
            var items = Items(records[i], type, -1);
            if (items.Length % stride != 0) throw new InvalidDataException($"a record of {type} must hold key, value pairs; it holds {items.Length} items");
            total += items.Length;
        }
        offsets[n] = total / stride;
        var all = new PyRecord[total];
        var at = 0;
        for (var i = 0; i < n; i++)
        {
            if (records[i].IsNull) continue;
            var items = (PyRecord[])records[i].Reference!;
            items.CopyTo(all, at);
            at += items.Length;
        }
        return (new ArrowBuffer(data), all);
    }
}
