namespace PyFlow.Engine.Sources;

/// <summary>How <c>ReadCsvFile</c> splits lines into fields (RFC 4180 quoting), validated when set.</summary>
public sealed class CsvOptions
{
    private readonly char _delimiter = ',';
    private readonly char _quote = '"';

    /// <summary>Separates fields; <c>,</c> by default.</summary>
    public char Delimiter
    {
        get => _delimiter;
        init => _delimiter = Check(value, nameof(Delimiter));
    }

    /// <summary>
    /// Encloses a field that holds the delimiter or the quote itself; a quote inside such a field
    /// is written twice. <c>"</c> by default.
    /// </summary>
    public char Quote
    {
        get => _quote;
        init => _quote = Check(value, nameof(Quote));
    }

    /// <summary>Skip the first line of every file (a header naming the columns).</summary>
    public bool SkipHeader { get; init; }

    /// <summary>Empty lines are not records (true by default, as pandas' <c>skip_blank_lines</c>); when false, one is a record of one empty field.</summary>
    public bool SkipEmptyLines { get; init; } = true;

    /// <summary>Fails when the delimiter and the quote are the same character.</summary>
    internal void Validate()
    {
        if (Delimiter == Quote)
            throw new ArgumentException($"CSV options: the delimiter and the quote are both '{Delimiter}'; they must differ");
    }

    private static char Check(char c, string name) =>
        c is '\n' or '\r' ? throw new ArgumentOutOfRangeException(name, $"CSV options: {name} cannot be a line break; lines are split before fields") : c;
}
