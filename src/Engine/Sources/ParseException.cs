namespace PyFlow.Engine.Sources;

/// <summary>
/// A source could not parse a line and its <see cref="ParseErrorPolicy"/> is
/// <see cref="ParseErrorPolicy.Fail"/>. <see cref="Exception.InnerException"/> is the parser's exception.
/// </summary>
public sealed class ParseException : FormatException
{
    /// <summary>Longest part of the line quoted in the message; <see cref="Line"/> keeps it whole.</summary>
    public const int MaxQuotedLength = 200;

    public ParseException(ParseError error, Exception? cause)
        : base(Describe(error), cause)
    {
        File = error.File;
        LineNumber = error.LineNumber;
        Line = error.Line;
    }

    public string File { get; }
    public long LineNumber { get; }
    public string Line { get; }

    private static string Describe(ParseError e) =>
        $"cannot parse line {e.LineNumber} of '{e.File}': {e.Message} | line: \"{Truncate(e.Line)}\" " +
        "| to keep reading past bad lines, pass ParseErrorPolicy.SideOutput(tag) and read them with GetSideOutput(tag)";

    internal static string Truncate(string line) =>
        line.Length <= MaxQuotedLength ? line : $"{line.AsSpan(0, MaxQuotedLength)}... ({line.Length} chars)";
}
