namespace PyFlow.Engine.Sources;

/// <summary>
/// Where each record a source subtask emitted came from (file and line), for the operator chained
/// directly after the source, so that operator's errors can name the input record's origin.
/// Records are counted from 0 in the order the source emitted them on its main output; that is the
/// order the next operator of the chain receives them.
/// </summary>
/// <remarks>
/// Kept as runs of consecutive lines (one per file when every line is a record), so memory grows only
/// with gaps (skipped or bad lines) and only until the operator calls <see cref="Release"/>. Written by
/// the source and read by the operator on the subtask's thread: no locks.
/// </remarks>
public sealed class RecordOrigins
{
    private readonly Queue<Run> _runs = new();
    private Run? _last;
    private long _next;

    private sealed record Run(long FirstRecord, string File, long FirstLine)
    {
        /// <summary>The first record of the next run; for the last run, the records emitted so far.</summary>
        public long End { get; set; } = long.MaxValue;
    }

    /// <summary>Set by the operator that reads origins; a source records them only then.</summary>
    public bool Requested { get; private set; }

    /// <summary>Asks the source of this subtask to record origins (it costs a comparison per record).</summary>
    public void Request() => Requested = true;

    /// <summary>The source emitted its next record, read from <paramref name="line"/> of <paramref name="file"/>.</summary>
    public void Emitted(string file, long line)
    {
        if (_last == null || _last.File != file || _last.FirstLine + (_next - _last.FirstRecord) != line)
        {
            if (_last != null) _last.End = _next;
            _last = new Run(_next, file, line);
            _runs.Enqueue(_last);
        }
        _next++;
    }

    /// <summary>The file and line of record <paramref name="record"/>, if the source recorded it and it was not released.</summary>
    public bool TryLocate(long record, out string file, out long line)
    {
        Run? found = null;
        foreach (var run in _runs)
            if (run.FirstRecord <= record && record < run.End) found = run;
        if (found == null || record >= _next)
        {
            (file, line) = ("", 0);
            return false;
        }
        (file, line) = (found.File, found.FirstLine + (record - found.FirstRecord));
        return true;
    }

    /// <summary>Records before <paramref name="record"/> will not be asked about again: forget their runs.</summary>
    public void Release(long record)
    {
        while (_runs.Count > 1 && _runs.Peek().End <= record) _runs.Dequeue();
    }
}
