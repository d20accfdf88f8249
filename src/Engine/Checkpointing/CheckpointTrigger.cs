namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// Drives checkpoints during one run of the job's tasks, on a thread of its own: every
/// interval (and at least the minimum pause after the last one ended) it starts a checkpoint
/// by posting a trigger to every source subtask; it collects each subtask's acknowledgement;
/// when all are in it writes the metadata last and renames the directory into place, then
/// tells every subtask the checkpoint is complete. A checkpoint not complete within the
/// timeout, or declined by a task, is abandoned: its directory is deleted and the tasks drop
/// any alignment for it. At most one checkpoint is in flight.
/// </summary>
internal sealed class CheckpointTrigger : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private readonly CheckpointCoordinator _coordinator;
    private readonly IReadOnlyList<SubtaskCheckpointer> _tasks;
    private readonly IReadOnlyList<VertexInfo> _vertices;
    private readonly object _lock = new();
    private readonly Thread _thread;
    private readonly List<string> _toDelete = new();
    private Pending? _pending;
    private bool _stopped;
    private readonly HashSet<(int, int)> _finished = new();
    private long _lastStart;
    private long _lastEnd = long.MinValue / 2;

    public CheckpointTrigger(CheckpointCoordinator coordinator, IReadOnlyList<SubtaskCheckpointer> tasks, IReadOnlyList<VertexInfo> vertices)
    {
        _coordinator = coordinator;
        _tasks = tasks;
        _vertices = vertices;
        _lastStart = Environment.TickCount64;
        foreach (var t in tasks) t.Trigger = this;
        _thread = new Thread(Loop) { IsBackground = true, Name = "checkpoint coordinator" };
        _thread.Start();
    }

    private CheckpointConfig Config => _coordinator.Config;

    /// <summary>The key that signs this job's checkpoint files.</summary>
    public CheckpointSigningKey Key => _coordinator.Key;

    private sealed class Pending
    {
        public required long Id { get; init; }
        public required string Directory { get; init; }
        public required long Deadline { get; init; }
        public Dictionary<(int, int), PartInfo> Acks { get; } = new();
        public string? Declined { get; set; }
        public bool Ending { get; set; } // abandoned because the input ended: expected, not logged
    }

    /// <summary>A subtask wrote its part of checkpoint <paramref name="id"/>. Any thread.</summary>
    public void Acknowledge(long id, PartInfo part)
    {
        lock (_lock)
        {
            if (_pending?.Id != id) return; // abandoned meanwhile
            _pending.Acks[(part.Vertex, part.Subtask)] = part;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>A subtask could not take its part of checkpoint <paramref name="id"/>: the checkpoint is abandoned.</summary>
    public void Decline(long id, string reason)
    {
        lock (_lock)
        {
            if (_pending?.Id != id) return;
            _pending.Declined ??= reason;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>
    /// A task ended (its input is over): no new checkpoint can be complete, so none is started,
    /// and one in flight that the task did not take its part of is abandoned.
    /// </summary>
    public void TaskFinished(int vertex, int subtask)
    {
        lock (_lock)
        {
            _finished.Add((vertex, subtask));
            if (_pending != null && !_pending.Acks.ContainsKey((vertex, subtask)))
            {
                _pending.Declined ??= $"task {vertex}/{subtask} finished before it took its part";
                _pending.Ending = true;
            }
            Monitor.PulseAll(_lock);
        }
    }

    private void Loop()
    {
        while (true)
        {
            lock (_lock)
            {
                if (_stopped) return;
                Monitor.Wait(_lock, Tick);
                if (_stopped) return;
            }
            try { Step(); }
            catch (Exception e) { _coordinator.Log($"checkpoint coordinator: {e.GetType().Name}: {e.Message}"); }
        }
    }

    private void Step()
    {
        var now = Environment.TickCount64;
        Pending? p;
        bool complete, finished;
        lock (_lock)
        {
            p = _pending;
            complete = p != null && p.Acks.Count == _tasks.Count;
            finished = _finished.Count > 0;
        }
        if (p != null)
        {
            if (p.Declined != null) Abandon(p, p.Declined, log: !p.Ending);
            else if (complete) Complete(p);
            else if (now >= p.Deadline)
            {
                string missing;
                lock (_lock) missing = string.Join(", ", _tasks.Where(t => !p.Acks.ContainsKey((t.Vertex, t.Subtask))).Select(t => t.TaskName).Take(5));
                Abandon(p, $"not complete after {Config.Timeout.TotalMilliseconds:0} ms (the checkpoint timeout); still waiting for {missing}");
            }
        }
        else if (!finished && now - _lastStart >= (long)Config.Interval!.Value.TotalMilliseconds && now - _lastEnd >= (long)Config.MinPause.TotalMilliseconds)
        {
            Start(now);
        }
        for (var i = _toDelete.Count - 1; i >= 0; i--)
            if (CheckpointCoordinator.TryDelete(_toDelete[i])) _toDelete.RemoveAt(i);
    }

    private void Start(long now)
    {
        var id = _coordinator.NextId();
        var dir = CheckpointLayout.InProgress(_coordinator.BaseDirectory, id);
        DurableFiles.CreatePrivateDirectory(dir);
        lock (_lock) _pending = new Pending { Id = id, Directory = dir, Deadline = now + (long)Config.Timeout.TotalMilliseconds };
        _lastStart = now;
        foreach (var t in _tasks)
            if (t.IsSource) t.PostTrigger(id, dir);
    }

    private void Complete(Pending p)
    {
        var final = CheckpointLayout.Completed(_coordinator.BaseDirectory, p.Id);
        try
        {
            var metadata = new CheckpointMetadata
            {
                CheckpointId = p.Id,
                TimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Vertices = _vertices.ToList(),
                Parts = p.Acks.Values.OrderBy(a => a.Vertex).ThenBy(a => a.Subtask).ToList(),
            };
            var bytes = metadata.Encode();
            // The signature first: _metadata is written last, so a checkpoint that has it has its signature too.
            DurableFiles.WriteAtomically(Path.Combine(p.Directory, CheckpointLayout.SignatureFile), System.Text.Encoding.ASCII.GetBytes(Key.Sign(bytes)));
            DurableFiles.WriteAtomically(Path.Combine(p.Directory, CheckpointLayout.MetadataFile), bytes);
            Directory.Move(p.Directory, final);
            DurableFiles.SyncDirectory(_coordinator.BaseDirectory);
        }
        catch (IOException e)
        {
            Abandon(p, $"its metadata could not be written: {e.Message}");
            return;
        }
        lock (_lock) _pending = null;
        _lastEnd = Environment.TickCount64;
        _coordinator.Completed(final);
        foreach (var t in _tasks) t.PostNotifyComplete(p.Id);
    }

    private void Abandon(Pending p, string reason, bool log = true)
    {
        lock (_lock) _pending = null;
        _lastEnd = Environment.TickCount64;
        if (log) _coordinator.Log($"checkpoint {p.Id} abandoned: {reason}");
        foreach (var t in _tasks) t.PostAbort(p.Id);
        if (!CheckpointCoordinator.TryDelete(p.Directory)) _toDelete.Add(p.Directory);
    }

    /// <summary>Stops the trigger (the run ended). A checkpoint still in flight is abandoned and its files deleted.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            Monitor.PulseAll(_lock);
        }
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(10));
        Pending? p;
        lock (_lock)
        {
            p = _pending;
            _pending = null;
        }
        if (p != null) _toDelete.Add(p.Directory);
        foreach (var d in _toDelete) CheckpointCoordinator.TryDelete(d);
    }
}
