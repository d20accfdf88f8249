using System.Text;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.Host.Kafka;

/// <summary>
/// PyFlink's CsvRowDeserializationSchema / CsvRowSerializationSchema in the host: one CSV line per Kafka value,
/// its fields in the row's order, RFC 4180 quoting with the quote character. An unquoted empty field (or the
/// null literal, when set) is a null field; a quoted one is never null, so an empty STRING is written """".
/// </summary>
internal sealed class CsvRowFormat
{
    private readonly PyType _row;
    private readonly char _delimiter;
    private readonly char _quote;
    private readonly string? _nullLiteral;

    public CsvRowFormat(PyType row, char delimiter, char quote, string? nullLiteral)
    {
        RowFields.Check(row, "the CSV row format");
        if (delimiter == quote) throw new ArgumentException($"the CSV row format: the field delimiter and the quote character are both '{delimiter}'");
        _row = row;
        _delimiter = delimiter;
        _quote = quote;
        _nullLiteral = nullLiteral;
    }

    public PyRecord Parse(byte[] value)
    {
        var line = Encoding.UTF8.GetString(value).TrimEnd('\r', '\n');
        var cells = Split(line);
        if (cells.Count != _row.Children.Count)
            throw new FormatException($"a CSV row of this type has {_row.Children.Count} fields, this line has {cells.Count}: {RowFields.Quote(line)}");
        var fields = new PyRecord[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            var (text, quoted) = cells[i];
            var type = _row.Children[i];
            var isNull = !quoted && (_nullLiteral != null ? text == _nullLiteral : text.Length == 0);
            fields[i] = isNull ? PyRecord.Null : RowFields.Parse(type.Name == "STRING" ? text : text.Trim(), type, _row.FieldNames[i]);
        }
        return PyRecord.OfReference(fields);
    }

    private List<(string Text, bool Quoted)> Split(string line)
    {
        var cells = new List<(string, bool)>();
        var cell = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == _quote && cell.Length == 0)
            {
                quoted = true;
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new FormatException($"a quoted CSV field is not closed: {RowFields.Quote(line)}");
                    if (line[i] == _quote)
                    {
                        if (i + 1 < line.Length && line[i + 1] == _quote) { cell.Append(_quote); i += 2; continue; }
                        i++;
                        break;
                    }
                    cell.Append(line[i++]);
                }
                if (i < line.Length && line[i] != _delimiter)
                    throw new FormatException($"text after a closing quote at column {i + 1}: {RowFields.Quote(line)}");
            }
            while (i < line.Length && line[i] != _delimiter) cell.Append(line[i++]);
            cells.Add((cell.ToString(), quoted));
            if (i >= line.Length) return cells;
            i++; // the delimiter
            cell.Clear();
            quoted = false;
        }
    }

    public byte[] Serialize(PyRecord record)
    {
        var fields = (PyRecord[])record.Reference!;
        var line = new StringBuilder();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) line.Append(_delimiter);
            if (fields[i].IsNull) { line.Append(_nullLiteral ?? ""); continue; }
            var text = RowFields.Format(fields[i], _row.Children[i]);
            // An empty STRING is quoted so that it reads back as "" and not as null.
            var mustQuote = text.Length == 0 || text.IndexOf(_delimiter) >= 0 || text.IndexOf(_quote) >= 0
                            || text.IndexOfAny(new[] { '\n', '\r' }) >= 0 || text == _nullLiteral;
            if (mustQuote) line.Append(_quote).Append(text.Replace(_quote.ToString(), new string(_quote, 2))).Append(_quote);
            else line.Append(text);
        }
        return Encoding.UTF8.GetBytes(line.ToString());
    }
}
