using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sources;

/// <summary>
/// Reads one subtask's files of a <see cref="FileLineSource{T}"/>, a file at a time, a line at a
/// time. A poll reads at most one batch's worth of lines, good or bad, so a run of skipped or
/// bad lines never keeps the subtask from its mail and timers for long.
/// </summary>
internal sealed class FileLineReader<T> : ISourceReader<T>
{
    /// <summary>Read buffer of each file: large enough for sequential reads to be cheap.</summary>
    private const int BufferSize = 64 * 1024;

    private readonly Func<IReadOnlyList<string>> _listFiles;
    private readonly Func<string, T> _parse;
    private readonly ParseErrorPolicy _onError;
    private readonly int _headerLines;
    private readonly Func<string, bool>? _skip;

    private IReadOnlyList<string>? _files;
    private int _nextFile;
    private StreamReader? _current;
    private string _currentPath = "";
    private long _lineNumber;

    public FileLineReader(Func<IReadOnlyList<string>> listFiles, Func<string, T> parse, ParseErrorPolicy onError, int headerLines, Func<string, bool>? skip)
    {
        _listFiles = listFiles;
        _parse = parse;
        _onError = onError;
        _headerLines = headerLines;
        _skip = skip;
    }

    public SourceStatus Poll(SourceOutput<T> output)
    {
        _files ??= _listFiles();
        for (var budget = Math.Max(1, output.Room); budget > 0; budget--)
        {
            if (_current == null)
            {
                if (_nextFile == _files.Count) return SourceStatus.End;
                Open(_files[_nextFile++]);
            }
            var line = _current!.ReadLine();
            if (line == null)
            {
                Close();
                continue;
            }
            _lineNumber++;
            if (_lineNumber <= _headerLines || (_skip != null && _skip(line))) continue;
            T value;
            try
            {
                value = _parse(line);
            }
            catch (Exception e)
            {
                Reject(output, line, e);
                continue;
            }
            output.Collect(value, Batch<T>.NoTimestamp);
        }
        return SourceStatus.MoreAvailable;
    }

    private void Reject(SourceOutput<T> output, string line, Exception cause)
    {
        var error = new ParseError(_currentPath, _lineNumber, line, cause.Message);
        if (_onError.Tag is { } tag) output.EmitSide(tag, error, Batch<T>.NoTimestamp);
        else throw new ParseException(error, cause);
    }

    private void Open(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = BufferSize,
            Options = FileOptions.SequentialScan,
        };
        _current = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, options);
        _currentPath = path;
        _lineNumber = 0;
    }

    private void Close()
    {
        _current?.Dispose();
        _current = null;
    }

    public void Dispose() => Close();
}
