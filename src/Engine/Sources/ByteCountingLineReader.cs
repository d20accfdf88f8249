using System.Text;

namespace PyFlow.Engine.Sources;

/// <summary>
/// Reads UTF-8 lines from a file and knows the byte offset of the next line, so a checkpoint can
/// save it and a restore can seek back to it. Lines end at <c>\n</c>, <c>\r\n</c> or <c>\r</c>
/// (as <see cref="StreamReader.ReadLine"/>) and a byte order mark at the start is skipped.
/// Invalid UTF-8 and lines past the limit are refused per <see cref="LineReadOptions"/>.
/// </summary>
internal sealed class ByteCountingLineReader : IDisposable
{
    private const int BufferSize = 64 * 1024;
    // The strict decoder is as fast as the replacing one on valid text (both take the vectorized path).
    private static readonly Encoding Strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly FileStream _stream;
    private readonly string _path;
    private readonly LineReadOptions _options;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _pos;
    private int _len;
    private byte[] _line;

    public ByteCountingLineReader(string path, long offset, LineReadOptions options)
    {
        _path = path;
        _options = options;
        _line = new byte[Math.Min(256, options.MaxLineBytes)];
        _stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0, Options = FileOptions.SequentialScan,
        });
        if (offset == 0)
        {
            Span<byte> bom = stackalloc byte[3];
            var n = _stream.ReadAtLeast(bom, 3, throwOnEndOfStream: false);
            offset = n == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF ? 3 : 0;
        }
        _stream.Position = offset;
        Offset = offset;
    }

    /// <summary>Byte offset of the next line to be read.</summary>
    public long Offset { get; private set; }

    /// <summary>
    /// The next line without its terminator, or null at the end of the file.
    /// <paramref name="lineNumber"/> is that line's number, for the error when it is refused.
    /// </summary>
    public string? ReadLine(long lineNumber)
    {
        var start = Offset;
        var length = 0;
        var any = false;
        while (true)
        {
            if (_pos == _len && !Fill())
                return any ? Take(length, start, lineNumber) : null;
            any = true;
            var b = _buffer[_pos++];
            Offset++;
            if (b == (byte)'\n') return Take(length, start, lineNumber);
            if (b == (byte)'\r')
            {
                if ((_pos < _len || Fill()) && _buffer[_pos] == (byte)'\n')
                {
                    _pos++;
                    Offset++;
                }
                return Take(length, start, lineNumber);
            }
            if (length == _line.Length)
            {
                if (length >= _options.MaxLineBytes) throw TooLong(lineNumber, start);
                Array.Resize(ref _line, (int)Math.Min((long)_line.Length * 2, _options.MaxLineBytes));
            }
            _line[length++] = b;
        }
    }

    private string Take(int length, long start, long lineNumber)
    {
        if (_options.InvalidUtf8 == InvalidUtf8Policy.Replace) return Encoding.UTF8.GetString(_line, 0, length);
        try
        {
            return Strict.GetString(_line, 0, length);
        }
        catch (DecoderFallbackException e)
        {
            throw InvalidUtf8(lineNumber, start, e);
        }
    }

    private TextFileReadException TooLong(long lineNumber, long start) =>
        new(_path, lineNumber, start + _options.MaxLineBytes,
            $"line {lineNumber} of '{_path}' (starting at byte {start}) is longer than the limit of {_options.MaxLineBytes} bytes; " +
            "the file may not be line-oriented text. If such long lines are expected, raise the limit: option " +
            "'pyflow.source.max-line-length' (for example '256 mb'; C#: LineReadOptions.MaxLineBytes)");

    private TextFileReadException InvalidUtf8(long lineNumber, long start, DecoderFallbackException e)
    {
        var index = e.Index is >= 0 ? e.Index : 0;
        var at = start + index;
        var bytes = e.BytesUnknown is { Length: > 0 } unknown ? string.Join(" ", unknown.Select(x => $"0x{x:X2}")) : "?";
        return new TextFileReadException(_path, lineNumber, at,
            $"'{_path}' is not valid UTF-8 at byte offset {at} (line {lineNumber}, byte {index + 1} of the line: {bytes}). " +
            "Convert the file to UTF-8, or to read such bytes as U+FFFD set the option 'pyflow.source.invalid-utf8' " +
            "to 'replace' (C#: LineReadOptions.InvalidUtf8 = InvalidUtf8Policy.Replace)");
    }

    private bool Fill()
    {
        _len = _stream.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        return _len > 0;
    }

    public void Dispose() => _stream.Dispose();
}
