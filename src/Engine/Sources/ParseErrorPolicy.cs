using PyFlow.Engine.Api;

namespace PyFlow.Engine.Sources;

/// <summary>
/// What a parsing source (CSV, JSON lines, a text file with a parser) does with a line it cannot
/// parse. A bad line is never dropped silently: either the job fails (<see cref="Fail"/>, the
/// default) or the line goes to a side output (<see cref="SideOutput"/>) and reading goes on.
/// </summary>
public sealed class ParseErrorPolicy
{
    private ParseErrorPolicy(OutputTag<ParseError>? tag) => Tag = tag;

    /// <summary>The job fails with a <see cref="ParseException"/> naming the file, the line number and the line.</summary>
    public static ParseErrorPolicy Fail { get; } = new(null);

    /// <summary>
    /// Each bad line goes to the side output <paramref name="tag"/> as a <see cref="ParseError"/>;
    /// read it with <c>stream.GetSideOutput(tag)</c>. As in Flink, a side output nobody reads is
    /// discarded, so read the tag you give here.
    /// </summary>
    public static ParseErrorPolicy SideOutput(OutputTag<ParseError> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return new ParseErrorPolicy(tag);
    }

    /// <summary>The side output of bad lines, or null when a bad line fails the job.</summary>
    public OutputTag<ParseError>? Tag { get; }

    public override string ToString() => Tag == null ? "Fail" : $"SideOutput({Tag.Id})";
}
