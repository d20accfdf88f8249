using System.Buffers;
using System.Text;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sinks;

/// <summary>
/// Writes records as lines of UTF-8 text into part files under a base directory (Flink's
/// <c>FileSink.forRowFormat</c> with a simple string encoder, all records in one bucket).
/// </summary>
/// <remarks>
/// <para>Each subtask writes its own part files: <c>part-{subtask}-{counter}</c>, the counter
/// starting at 0 and going up by one per file (Flink's naming). A name already taken in the
/// directory (by an earlier run) is skipped, never overwritten. A file being written is named
/// <c>.part-{subtask}-{counter}.inprogress</c>: hidden like Flink's in-progress files, so a file
/// source reading the directory skips it.</para>
/// <para>A part file goes through three states, as in Flink: in progress (being written),
/// pending (closed, not yet visible) and committed (renamed to its final name). Rolling, by size
/// or by the policy's intervals, and the end of input close the current file to pending.
/// Without checkpoints, pending files are committed at once. With checkpoints (exactly-once, a
/// two-phase commit as Flink's FileSink): the barrier also closes the current file to pending,
/// the pending files are saved in the checkpoint, and they are committed only when that
/// checkpoint completes; the end of input commits the rest. Restoring commits the restored
/// checkpoint's pending files (again, idempotently) and deletes this subtask's files written
/// after it: stray in-progress files, and committed ones from a counter the checkpoint had not
/// reached (written after it, so they will be written again).
/// A part file is opened only when a record comes, so no empty files are made.</para>
/// <para>When the job fails, the open file is closed and left under its in-progress name.</para>
/// </remarks>
internal sealed class RollingFileSink<T> : IBatchConsumer<T>, IOperatorLifecycle, IDisposable, Checkpointing.ICheckpointedOperator
{
    private readonly bool _exactlyOnce;
    private readonly SortedDictionary<long, List<PendingPartFile>> _pendingByCheckpoint = new();
    private readonly string _basePath;
    private readonly RollingPolicy _policy;
    private readonly Func<T, string>? _encoder;
    private readonly OperatorContext _context;
    private readonly List<PendingPartFile> _pending = new();
    private InProgressPartFile? _part;
    private long _counter;
    private bool _ended;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    public RollingFileSink(string basePath, RollingPolicy policy, Func<T, string>? encoder, OperatorContext context, string partPrefix = "part", string partSuffix = "")
    {
        _basePath = basePath;
        _policy = policy;
        _encoder = encoder;
        _context = context;
        if (partPrefix.Length == 0 || partPrefix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || partSuffix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"part file prefix '{partPrefix}' and suffix '{partSuffix}' must be usable in file names (and the prefix not empty)");
        _prefix = partPrefix;
        _suffix = partSuffix;
        _exactlyOnce = context.Options.Checkpointing.Enabled;
    }

    private readonly string _prefix;
    private readonly string _suffix;

    public void Open()
    {
        Directory.CreateDirectory(_basePath);
        if (_policy.RolloverInterval != null || _policy.InactivityInterval != null)
            ScheduleCheck(_context.Timers.Now);
    }

    public void Push(Batch<T> batch)
    {
        var now = _context.Timers.Now;
        var values = batch.Values;
        for (var i = 0; i < batch.Count; i++)
        {
            if (_part == null || _part.Size > _policy.MaxPartSize)
            {
                if (_part != null) Roll();
                _part = OpenNextPart(now);
            }
            _part.Write(Encode(values[i]), now);
        }
    }

    public void Watermark(long watermark) { }

    public void EndOfInput()
    {
        _ended = true;
        if (_part != null) Roll();
        // The input is over: no checkpoint follows to cover the rest, so it is committed now.
        foreach (var files in _pendingByCheckpoint.Values) _pending.AddRange(files);
        _pendingByCheckpoint.Clear();
        CommitPending();
    }

    /// <summary>Closes the current part file to pending; commits at once without checkpoints (see the remarks).</summary>
    private void Roll()
    {
        ClosePartForCommit();
        if (!_exactlyOnce) CommitPending();
    }

    /// <summary>The barrier: the current file becomes pending, and every pending file waits for this checkpoint.</summary>
    public void SnapshotState(long checkpointId, Stream output)
    {
        if (_part != null) ClosePartForCommit();
        if (_pending.Count > 0)
        {
            _pendingByCheckpoint[checkpointId] = new List<PendingPartFile>(_pending);
            _pending.Clear();
        }
        using var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        w.Write(_counter);
        var all = _pendingByCheckpoint.Values.SelectMany(f => f).ToList();
        w.Write(all.Count);
        foreach (var f in all)
        {
            w.Write(Path.GetFileName(f.InProgressPath));
            w.Write(Path.GetFileName(f.FinalPath));
        }
    }

    /// <summary>Commits the files of every checkpoint up to <paramref name="checkpointId"/>.</summary>
    public void NotifyCheckpointComplete(long checkpointId)
    {
        foreach (var id in _pendingByCheckpoint.Keys.Where(k => k <= checkpointId).ToList())
        {
            foreach (var f in _pendingByCheckpoint[id]) f.Commit();
            _pendingByCheckpoint.Remove(id);
        }
    }

    public void RestoreState(Stream input)
    {
        using var r = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
        _counter = r.ReadInt64();
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var inProgress = Path.Combine(_basePath, r.ReadString());
            new PendingPartFile(inProgress, Path.Combine(_basePath, r.ReadString())).Commit();
        }
        if (!Directory.Exists(_basePath)) return;
        var mine = $"{_prefix}-{_context.SubtaskIndex}-";
        foreach (var file in Directory.GetFiles(_basePath))
        {
            var name = Path.GetFileName(file);
            var inProgress = name.StartsWith('.') && name.EndsWith(".inprogress", StringComparison.Ordinal);
            var final = inProgress ? name[1..^".inprogress".Length] : name;
            if (!final.StartsWith(mine, StringComparison.Ordinal) || !final.EndsWith(_suffix, StringComparison.Ordinal)) continue;
            if (!long.TryParse(final.AsSpan(mine.Length, final.Length - mine.Length - _suffix.Length), out var n)) continue;
            if (inProgress || n >= _counter) File.Delete(file); // written after the checkpoint: it will be written again
        }
    }

    /// <summary>The current part file becomes pending.</summary>
    private void ClosePartForCommit()
    {
        _pending.Add(_part!.CloseForCommit());
        _part = null;
    }

    /// <summary>Gives every pending part file its final name.</summary>
    private void CommitPending()
    {
        foreach (var p in _pending) p.Commit();
        _pending.Clear();
    }

    private InProgressPartFile OpenNextPart(long now)
    {
        var subtask = _context.SubtaskIndex;
        while (true)
        {
            var final = Path.Combine(_basePath, $"{_prefix}-{subtask}-{_counter}{_suffix}");
            var inProgress = Path.Combine(_basePath, $".{_prefix}-{subtask}-{_counter}{_suffix}.inprogress");
            _counter++;
            if (!File.Exists(final) && !File.Exists(inProgress)) return new InProgressPartFile(inProgress, final, now);
        }
    }

    /// <summary>The record as one UTF-8 line, in a buffer reused from record to record.</summary>
    private ReadOnlySpan<byte> Encode(T value)
    {
        var text = _encoder != null ? _encoder(value) : value?.ToString();
        text ??= "";
        var max = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
        if (_buffer.Length < max)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(max);
        }
        var n = Encoding.UTF8.GetBytes(text, _buffer);
        _buffer[n] = (byte)'\n';
        return _buffer.AsSpan(0, n + 1);
    }

    private void ScheduleCheck(long now) => _context.Timers.Schedule(now + (long)_policy.CheckInterval.TotalMilliseconds, Check);

    /// <summary>Processing-time check of the policy's intervals, on the subtask's thread.</summary>
    private void Check(long now)
    {
        if (_ended) return;
        if (_part != null && (Passed(_policy.RolloverInterval, now - _part.CreatedAt) || Passed(_policy.InactivityInterval, now - _part.LastWrittenAt)))
            Roll();
        ScheduleCheck(now);
    }

    private static bool Passed(TimeSpan? interval, long elapsedMillis) => interval is { } i && elapsedMillis >= (long)i.TotalMilliseconds;

    public void Dispose()
    {
        _part?.Abort();
        _part = null;
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = Array.Empty<byte>();
    }
}
