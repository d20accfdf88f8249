namespace PyFlow.Engine.Sources;

/// <summary>
/// Splits one CSV line into fields, RFC 4180 style: a field may be enclosed in quotes, and then
/// holds delimiters and doubled quotes (<c>"a,""b"""</c> is <c>a,"b"</c>). The format is line
/// based, so a quoted field cannot hold a line break: a quote left open at the end of the line
/// is an error of that line, which keeps one bad line from swallowing the rest of the file.
/// A quote inside an unquoted field is kept as it is (<c>5" screen</c>), as most readers do.
/// </summary>
internal static class CsvLine
{
    /// <summary>A parser for <see cref="FileLineSource{T}"/>: splits, then calls <paramref name="parse"/>.</summary>
    public static Func<string, T> Parser<T>(Func<string[], T> parse, CsvOptions options)
    {
        var delimiter = options.Delimiter;
        var quote = options.Quote;
        return line => parse(Split(line, delimiter, quote));
    }

    /// <summary>The fields of <paramref name="line"/>; throws <see cref="FormatException"/> on a malformed quoted field.</summary>
    public static string[] Split(string line, char delimiter, char quote)
    {
        var fields = new List<string>(8);
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == quote)
            {
                var open = i;
                var escaped = false;
                i++;
                while (true)
                {
                    var q = line.IndexOf(quote, i);
                    if (q < 0)
                        throw new FormatException($"field {fields.Count + 1} opens a quote at column {open + 1} that is not closed on this line");
                    if (q + 1 < line.Length && line[q + 1] == quote)
                    {
                        escaped = true;
                        i = q + 2;
                        continue;
                    }
                    var content = line.Substring(open + 1, q - open - 1);
                    fields.Add(escaped ? content.Replace(new string(quote, 2), new string(quote, 1)) : content);
                    i = q + 1;
                    break;
                }
                if (i == line.Length) break;
                if (line[i] != delimiter)
                    throw new FormatException(
                        $"unexpected '{line[i]}' at column {i + 1}, after the closing quote of field {fields.Count}; a quote inside a quoted field is written twice ({quote}{quote})");
                i++;
            }
            else
            {
                var end = line.IndexOf(delimiter, i);
                if (end < 0)
                {
                    fields.Add(line.Substring(i));
                    break;
                }
                fields.Add(line.Substring(i, end - i));
                i = end + 1;
            }
        }
        return fields.ToArray();
    }
}
