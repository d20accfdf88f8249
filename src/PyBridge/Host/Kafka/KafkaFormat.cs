using System.Text;
using Confluent.Kafka;
using PyFlow.Connectors.Kafka;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Wire;

namespace PyFlow.Host.Kafka;

/// <summary>
/// The value format of a <c>source.kafka</c> or <c>sink.kafka</c> node (its <c>format</c> field): "string"
/// (SimpleStringSchema, UTF-8), "json" or "csv" (the row schemas). Checked against the stream's type when the
/// plan is translated, so a mismatch fails before the job starts.
/// </summary>
internal sealed class KafkaFormat
{
    private readonly Func<byte[], PyRecord> _parse;
    private readonly Func<PyRecord, byte[]> _serialize;
    private readonly bool _ignoreParseErrors;
    private readonly string _kind;

    private KafkaFormat(string kind, Func<byte[], PyRecord> parse, Func<PyRecord, byte[]> serialize, bool ignoreParseErrors)
    {
        _kind = kind;
        _parse = parse;
        _serialize = serialize;
        _ignoreParseErrors = ignoreParseErrors;
    }

    /// <summary>The format of <paramref name="spec"/> for records of <paramref name="type"/>; an <see cref="ArgumentException"/> says what does not fit.</summary>
    public static KafkaFormat FromSpec(IReadOnlyDictionary<object, object?> spec, PyType type)
    {
        var kind = spec.Str("kind");
        var ignore = spec.TryGetValue("ignore_parse_errors", out var ig) && ig is true;
        switch (kind)
        {
            case "string":
                if (type.Name != "STRING")
                    throw new ArgumentException($"SimpleStringSchema reads and writes STRING records, but the stream's type is {type.Name}: declare Types.STRING() or use a row schema");
                return new KafkaFormat(kind, v => PyRecord.OfReference(Encoding.UTF8.GetString(v)), r => Encoding.UTF8.GetBytes((string)r.Reference!), false);
            case "json":
            {
                var json = new JsonRowFormat(type);
                return new KafkaFormat(kind, json.Parse, json.Serialize, ignore);
            }
            case "csv":
            {
                var csv = new CsvRowFormat(type, OneChar(spec, "field_delimiter", ','), OneChar(spec, "quote_character", '"'), spec.OptStr("null_literal"));
                return new KafkaFormat(kind, csv.Parse, csv.Serialize, ignore);
            }
            default:
                throw new ArgumentException($"unknown Kafka value format '{kind}'; PyFlow has string (SimpleStringSchema), json and csv (the row schemas)");
        }
    }

    private static char OneChar(IReadOnlyDictionary<object, object?> spec, string key, char fallback)
    {
        var s = spec.OptStr(key);
        if (s is null) return fallback;
        return s.Length == 1 ? s[0] : throw new ArgumentException($"the CSV format's {key} must be one character, got \"{s}\"");
    }

    /// <summary>
    /// Parses a record's value; a value that does not parse fails the job (the source names its topic, partition
    /// and offset) or, with ignore_parse_errors, is skipped, as in Flink.
    /// </summary>
    public bool TryDeserialize(ConsumeResult<byte[], byte[]> record, out PyRecord value)
    {
        try
        {
            value = _parse(record.Message.Value ?? Array.Empty<byte>());
            return true;
        }
        catch (FormatException) when (_ignoreParseErrors)
        {
            value = default;
            return false;
        }
        catch (FormatException e)
        {
            throw new FormatException($"{_kind} format: {e.Message}; fix the record or build the schema with ignore_parse_errors() to skip such records", e);
        }
    }

    public (byte[]? Key, byte[] Value) Serialize(PyRecord record) => (null, _serialize(record));
}
