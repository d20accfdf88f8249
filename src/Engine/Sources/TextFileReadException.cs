namespace PyFlow.Engine.Sources;

/// <summary>
/// A text file source met bytes it will not turn into a line: invalid UTF-8 (with
/// <see cref="InvalidUtf8Policy.Fail"/>) or a line longer than <see cref="LineReadOptions.MaxLineBytes"/>.
/// </summary>
public sealed class TextFileReadException : IOException
{
    public TextFileReadException(string file, long lineNumber, long byteOffset, string message)
        : base(message)
    {
        File = file;
        LineNumber = lineNumber;
        ByteOffset = byteOffset;
    }

    /// <summary>Full path of the file.</summary>
    public string File { get; }

    /// <summary>1-based number of the line in its file.</summary>
    public long LineNumber { get; }

    /// <summary>Offset in the file of the first byte at fault (the first invalid byte, or the byte past the limit).</summary>
    public long ByteOffset { get; }
}
