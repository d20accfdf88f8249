namespace PyFlow.Engine.Sources;

/// <summary>
/// A line a source could not parse, as sent to the side output of
/// <see cref="ParseErrorPolicy.SideOutput"/>.
/// </summary>
/// <param name="File">Full path of the file the line came from.</param>
/// <param name="LineNumber">1-based number of the line in its file (header lines count).</param>
/// <param name="Line">The whole line, without its terminator.</param>
/// <param name="Message">Why it could not be parsed: the parser's message.</param>
public sealed record ParseError(string File, long LineNumber, string Line, string Message);
