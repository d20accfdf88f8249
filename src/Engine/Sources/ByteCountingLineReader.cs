using System.Text;

namespace PyFlow.Engine.Sources;

/// <summary>
/// Reads UTF-8 lines from a file and knows the byte offset of the next line, so a checkpoint can
/// save it and a restore can seek back to it. Lines end at <c>\n</c>, <c>\r\n</c> or <c>\r</c>
/// (as <see cref="StreamReader.ReadLine"/>) and a byte order mark at the start is skipped.
/// </summary>
internal sealed class ByteCountingLineReader : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _pos;
    private int _len;
    private byte[] _line = new byte[256];

    public ByteCountingLineReader(string path, long offset)
    {
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

    /// <summary>The next line without its terminator, or null at the end of the file.</summary>
    public string? ReadLine()
    {
        var length = 0;
        var any = false;
        while (true)
        {
            if (_pos == _len && !Fill())
                return any ? Take(length) : null;
            any = true;
            var b = _buffer[_pos++];
            Offset++;
            if (b == (byte)'\n') return Take(length);
            if (b == (byte)'\r')
            {
                if ((_pos < _len || Fill()) && _buffer[_pos] == (byte)'\n')
                {
                    _pos++;
                    Offset++;
                }
                return Take(length);
            }
            if (length == _line.Length) Array.Resize(ref _line, _line.Length * 2);
            _line[length++] = b;
        }
    }

    private string Take(int length) => Encoding.UTF8.GetString(_line, 0, length);

    private bool Fill()
    {
        _len = _stream.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        return _len > 0;
    }

    public void Dispose() => _stream.Dispose();
}
