using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sources;

/// <summary>
/// Reads one subtask's files of a <see cref="FileLineSource{T}"/>, a file at a time, a line at a
/// time. A poll reads at most one batch's worth of lines, good or bad, so a run of skipped or
/// bad lines never keeps the subtask from its mail and timers for long.
/// </summary>
internal sealed class FileLineReader<T> : ISourceReader<T>, Checkpointing.ICheckpointedSourceReader, IRecordOriginSource
{
    private readonly Func<IReadOnlyList<string>> _listFiles;
    private readonly Func<string, T> _parse;
    private readonly ParseErrorPolicy _onError;
    private readonly int _headerLines;
    private readonly Func<string, bool>? _skip;
    private readonly LineReadOptions _lineOptions;

    private IReadOnlyList<string>? _files;
    private int _nextFile;
    private ByteCountingLineReader? _current;
    private long _restoredOffset;
    private string _currentPath = "";
    private long _lineNumber;
    private RecordOrigins? _origins;

    public FileLineReader(Func<IReadOnlyList<string>> listFiles, Func<string, T> parse, ParseErrorPolicy onError, int headerLines, Func<string, bool>? skip, LineReadOptions lineOptions)
    {
        _listFiles = listFiles;
        _parse = parse;
        _onError = onError;
        _headerLines = headerLines;
        _skip = skip;
        _lineOptions = lineOptions;
    }

    public SourceStatus Poll(SourceOutput<T> output)
    {
        _files ??= _listFiles();
        for (var budget = Math.Max(1, output.Room); budget > 0; budget--)
        {
            if (_current == null)
            {
                if (_nextFile >= _files.Count) return SourceStatus.End;
                if (_restoredOffset == 0) _lineNumber = 0;
                Open(_files[_nextFile++]);
            }
            var line = _current!.ReadLine(_lineNumber + 1);
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
            // Before Collect: a full batch goes downstream inside it, and the next operator may ask about this record.
            _origins?.Emitted(_currentPath, _lineNumber);
            output.Collect(value, Batch<T>.NoTimestamp);
        }
        return SourceStatus.MoreAvailable;
    }

    public void TrackOrigins(RecordOrigins origins) => _origins = origins;

    private void Reject(SourceOutput<T> output, string line, Exception cause)
    {
        var error = new ParseError(_currentPath, _lineNumber, line, cause.Message);
        if (_onError.Tag is { } tag) output.EmitSide(tag, error, Batch<T>.NoTimestamp);
        else throw new ParseException(error, cause);
    }

    private void Open(string path)
    {
        _current = new ByteCountingLineReader(path, _restoredOffset, _lineOptions);
        _currentPath = path;
        _restoredOffset = 0;
    }

    /// <summary>
    /// The position: index of the file being read (or next to read), the byte offset of its next
    /// line and the number of lines read from it (header lines and error messages count them).
    /// </summary>
    public void SnapshotPosition(Stream output)
    {
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(_current != null ? _nextFile - 1 : _nextFile);
        w.Write(_current?.Offset ?? 0L);
        w.Write(_current != null ? _lineNumber : 0L);
    }

    public void RestorePosition(Stream input)
    {
        using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        _nextFile = r.ReadInt32();
        _restoredOffset = r.ReadInt64();
        _lineNumber = r.ReadInt64();
    }

    private void Close()
    {
        _current?.Dispose();
        _current = null;
    }

    public void Dispose() => Close();
}
