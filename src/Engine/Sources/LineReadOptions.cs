namespace PyFlow.Engine.Sources;

/// <summary>
/// How a text file source turns bytes into lines: what invalid UTF-8 does and how long a line
/// may be. The Python API sets them with the options <c>pyflow.source.invalid-utf8</c> and
/// <c>pyflow.source.max-line-length</c>.
/// </summary>
public sealed record LineReadOptions
{
    /// <summary>64 MiB: far above any sane record, far below what would take the process's memory.</summary>
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    /// <summary>
    /// The largest line a <see cref="string"/> can hold as UTF-16 after decoding, and the largest
    /// buffer the reader may grow to (an array of at most <see cref="Array.MaxLength"/> bytes).
    /// </summary>
    public const int MaxAllowedLineBytes = 1 << 30;

    /// <summary>The defaults: fail on invalid UTF-8, lines of at most 64 MiB.</summary>
    public static LineReadOptions Default { get; } = new();

    /// <summary>What bytes that are not UTF-8 do; <see cref="InvalidUtf8Policy.Fail"/> by default.</summary>
    public InvalidUtf8Policy InvalidUtf8 { get; init; } = InvalidUtf8Policy.Fail;

    /// <summary>
    /// Longest line in bytes, without its terminator; a longer one fails the job naming the file
    /// and line, before it is read whole (so one line without an end cannot exhaust memory).
    /// </summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>Throws <see cref="ArgumentException"/> naming a value out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(InvalidUtf8))
            throw new ArgumentException($"LineReadOptions.InvalidUtf8 must be Fail or Replace, not {(int)InvalidUtf8}");
        if (MaxLineBytes is < 1 or > MaxAllowedLineBytes)
            throw new ArgumentException($"LineReadOptions.MaxLineBytes must be between 1 and {MaxAllowedLineBytes} (1 GiB), not {MaxLineBytes}");
    }
}
