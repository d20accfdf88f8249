using System.Text;
using System.Text.Json;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.Host.Kafka;

/// <summary>
/// PyFlink's JsonRowDeserializationSchema / JsonRowSerializationSchema in the host: one JSON object per Kafka
/// value, its members the row's fields by name (a missing or null member is a null field, members not in
/// the type are ignored, as in Flink). Parsed where the records arrive, with no Python call per record.
/// </summary>
internal sealed class JsonRowFormat
{
    private readonly PyType _row;
    private readonly Dictionary<string, int> _index;

    public JsonRowFormat(PyType row)
    {
        RowFields.Check(row, "the JSON row format");
        _row = row;
        _index = row.FieldNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
    }

    public PyRecord Parse(byte[] value)
    {
        using var doc = ParseDocument(value);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new FormatException($"a JSON row is an object, got {doc.RootElement.ValueKind}: {RowFields.Quote(Encoding.UTF8.GetString(value))}");
        var fields = new PyRecord[_row.Children.Count];
        foreach (var member in doc.RootElement.EnumerateObject())
        {
            if (!_index.TryGetValue(member.Name, out var i)) continue;
            fields[i] = Field(member.Value, _row.Children[i], member.Name);
        }
        return PyRecord.OfReference(fields);
    }

    private static JsonDocument ParseDocument(byte[] value)
    {
        try { return JsonDocument.Parse(value); }
        catch (JsonException e) { throw new FormatException($"not valid JSON ({e.Message}): {RowFields.Quote(Encoding.UTF8.GetString(value))}"); }
    }

    private static PyRecord Field(JsonElement v, PyType type, string name)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Null:
                return PyRecord.Null;
            case JsonValueKind.String when type.Name == "STRING":
                return PyRecord.OfReference(v.GetString());
            case JsonValueKind.True or JsonValueKind.False when type.Name == "BOOLEAN":
                return PyRecord.OfLong(v.GetBoolean() ? 1 : 0);
            case JsonValueKind.Number when type.Name != "BOOLEAN":
                return RowFields.Parse(v.GetRawText(), type, name);
            default:
                throw new FormatException($"field '{name}' should be {type.Name}, got the JSON {v.ValueKind.ToString().ToLowerInvariant()} {RowFields.Cut(v.GetRawText())}");
        }
    }

    public byte[] Serialize(PyRecord record)
    {
        var fields = (PyRecord[])record.Reference!;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            for (var i = 0; i < fields.Length; i++)
            {
                var name = _row.FieldNames[i];
                var f = fields[i];
                var type = _row.Children[i];
                if (f.IsNull) w.WriteNull(name);
                else if (type.Name == "STRING") w.WriteString(name, (string)f.Reference!);
                else if (type.Name == "BOOLEAN") w.WriteBoolean(name, f.Bits != 0);
                else if (type.Name is "FLOAT" or "DOUBLE") w.WriteNumber(name, f.Double);
                else w.WriteNumber(name, f.Bits);
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
