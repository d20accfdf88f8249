using System.Globalization;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.Host.Kafka;

/// <summary>
/// The scalar field types the JSON and CSV row formats read and write, and the text conversions they share.
/// Nested fields are refused at plan time rather than written in some form a reader could not parse back.
/// </summary>
internal static class RowFields
{
    private static readonly HashSet<string> Supported = new() { "BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "BIG_INT", "FLOAT", "DOUBLE", "STRING" };

    /// <summary>Throws, naming the format and field, when <paramref name="row"/> is not a row of supported scalars.</summary>
    public static void Check(PyType row, string format)
    {
        if (row.Kind != WireKind.Struct)
            throw new ArgumentException($"{format} reads and writes rows: declare the type as Types.ROW_NAMED([...], [...]), not {row.Name}");
        for (var i = 0; i < row.Children.Count; i++)
            if (!Supported.Contains(row.Children[i].Name))
                throw new ArgumentException($"{format}: field '{row.FieldNames[i]}' is {row.Children[i].Name}; this format supports {string.Join(", ", Supported)}");
    }

    /// <summary>The field of <paramref name="type"/> from its text form, or an exception saying why not.</summary>
    public static PyRecord Parse(string text, PyType type, string field)
    {
        var c = CultureInfo.InvariantCulture;
        switch (type.Name)
        {
            case "STRING":
                return PyRecord.OfReference(text);
            case "BOOLEAN":
                if (bool.TryParse(text, out var b)) return PyRecord.OfLong(b ? 1 : 0);
                break;
            case "BYTE":
                if (sbyte.TryParse(text, NumberStyles.Integer, c, out var y)) return PyRecord.OfLong(y);
                break;
            case "SHORT":
                if (short.TryParse(text, NumberStyles.Integer, c, out var s)) return PyRecord.OfLong(s);
                break;
            case "INT":
                if (int.TryParse(text, NumberStyles.Integer, c, out var i)) return PyRecord.OfLong(i);
                break;
            case "LONG" or "BIG_INT":
                if (long.TryParse(text, NumberStyles.Integer, c, out var l)) return PyRecord.OfLong(l);
                break;
            case "FLOAT" or "DOUBLE":
                if (double.TryParse(text, NumberStyles.Float, c, out var d)) return PyRecord.OfDouble(d);
                break;
        }
        throw new FormatException($"field '{field}' should be {type.Name}, got {Quote(text)}");
    }

    /// <summary>The text form of a non-null field (what <see cref="Parse"/> reads back).</summary>
    public static string Format(PyRecord value, PyType type) => type.Name switch
    {
        "STRING" => (string)value.Reference!,
        "BOOLEAN" => value.Bits != 0 ? "true" : "false",
        "FLOAT" or "DOUBLE" => value.Double.ToString("R", CultureInfo.InvariantCulture),
        _ => value.Bits.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Text shown in an error, quoted and cut at 80 characters (a bad record may be large).</summary>
    public static string Quote(string text) => $"\"{Cut(text)}\"";

    public static string Cut(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
