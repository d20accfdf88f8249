using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// The checkpoint side of one subtask: the stateful pieces of its chain (the source reader,
/// operators that implement <see cref="ICheckpointedOperator"/>) and its outputs. It takes the
/// subtask's part of a checkpoint (snapshot, barrier downstream, write its state file), restores
/// the chain from a checkpoint before it opens, and passes completion on to the operators.
/// Everything but the Post methods runs on the subtask's thread.
/// </summary>
/// <remarks>
/// The coordinator's messages arrive as mail, but mail may also run nested inside an operator
/// (one waiting for its Python worker); so mail only queues the work, and the subtask runs it
/// at its next safe point, between two steps of its input, where no batch is half handled.
/// </remarks>
internal sealed class SubtaskCheckpointer
{
    private readonly List<(string Key, ICheckpointedOperator Op)> _operators = new();
    private readonly List<IBarrierOutput> _outputs = new();
    private readonly Queue<Action> _atSafePoint = new();
    private readonly IMailbox _mailbox;
    private readonly bool _enabled;
    private ICheckpointedSourceReader? _source;
    private long _lastNotified;

    public SubtaskCheckpointer(string taskName, int vertex, int subtask, IMailbox mailbox, bool enabled)
    {
        TaskName = taskName;
        Vertex = vertex;
        Subtask = subtask;
        _mailbox = mailbox;
        _enabled = enabled;
    }

    public string TaskName { get; }
    public int Vertex { get; }
    public int Subtask { get; }
    public bool IsSource { get; private set; }

    /// <summary>Where acknowledgements go; set by the run's trigger (null while checkpointing is off).</summary>
    public CheckpointTrigger? Trigger { get; set; }

    /// <summary>The state this subtask starts from, or null to start empty.</summary>
    public IReadOnlyDictionary<string, byte[]>? RestoreFrom { get; set; }

    /// <summary>Called with a checkpoint id when the coordinator abandons it (the aligner lets go of it).</summary>
    public Action<long>? Aborted { get; set; }

    /// <summary>
    /// Adds the operator at <paramref name="chainIndex"/> of the chain. The list is kept head
    /// first whatever order they come in (the executor builds chains tail first): a buffering
    /// operator must flush before the one after it does, or what it flushes would follow the barrier.
    /// </summary>
    public void AddOperator(int chainIndex, object op)
    {
        if (op is not ICheckpointedOperator c) return;
        _operators.Add(($"op{chainIndex}", c));
        _operators.Sort((a, b) => int.Parse(a.Key.AsSpan(2)).CompareTo(int.Parse(b.Key.AsSpan(2))));
    }

    public void AddOutput(object writer)
    {
        if (writer is IBarrierOutput b) _outputs.Add(b);
    }

    public void SetSource(object reader, string sourceName)
    {
        IsSource = true;
        _source = reader as ICheckpointedSourceReader;
        if (_source == null && _enabled)
            throw new InvalidOperationException($"source '{sourceName}' cannot rewind, so checkpoints cannot cover it: use a source that can (collection, file, generator, sequence) or turn checkpointing off");
    }

    public void PostTrigger(long id, string directory) => _mailbox.Post(() => _atSafePoint.Enqueue(() => Perform(id, directory)));
    public void PostNotifyComplete(long id) => _mailbox.Post(() => _atSafePoint.Enqueue(() => NotifyComplete(id)));
    public void PostAbort(long id) => _mailbox.Post(() => _atSafePoint.Enqueue(() => Aborted?.Invoke(id)));

    /// <summary>Runs the checkpoint work that mail queued. Called by the subtask between input steps.</summary>
    public void RunSafePoint()
    {
        while (_atSafePoint.Count > 0) _atSafePoint.Dequeue()();
    }

    /// <summary>Restores the source position and every operator's state. Called before the operators open.</summary>
    public void Restore()
    {
        if (RestoreFrom is not { } state) return;
        if (_source != null && state.TryGetValue("source", out var position))
            _source.RestorePosition(new MemoryStream(position, writable: false));
        foreach (var (key, op) in _operators)
            if (state.TryGetValue(key, out var blob)) op.RestoreState(new MemoryStream(blob, writable: false));
    }

    /// <summary>
    /// This subtask's part of checkpoint <paramref name="id"/>: at a source, after its last
    /// poll; elsewhere, when the barrier arrived on every input. Buffered output goes first,
    /// then the barrier, then the state is written (the thread owns it all, so the order of
    /// the last two does not change what is saved).
    /// </summary>
    public void Perform(long id, string directory)
    {
        var parts = new Dictionary<string, byte[]>();
        if (_source != null) parts["source"] = Capture(s => _source.SnapshotPosition(s));
        foreach (var (_, op) in _operators) op.PrepareSnapshotPreBarrier(id);
        foreach (var o in _outputs) o.Barrier(id, directory);
        foreach (var (key, op) in _operators) parts[key] = Capture(s => op.SnapshotState(id, s));
        var file = CheckpointLayout.PartFile(Vertex, Subtask);
        var bytes = TaskStateFile.Encode(parts);
        var trigger = Trigger;
        // The state is captured; writing and syncing it (the slow part) happens off the subtask's
        // thread, as Flink's asynchronous snapshot phase, so records keep flowing meanwhile.
        _ = Task.Run(() => WritePart(trigger, id, Path.Combine(directory, file), bytes));
    }

    private void WritePart(CheckpointTrigger? trigger, long id, string path, byte[] bytes)
    {
        string sha;
        try
        {
            sha = DurableFiles.WriteAtomically(path, bytes);
        }
        catch (Exception e)
        {
            // Usually the checkpoint was abandoned (its directory deleted) while this task was busy.
            trigger?.Decline(id, $"{TaskName} could not write its state: {e.Message}");
            return;
        }
        if (trigger == null) return;
        trigger.Acknowledge(id, new PartInfo(Vertex, Subtask, Path.GetFileName(path), bytes.Length, sha, trigger.Key.Sign(bytes)));
    }

    private void NotifyComplete(long id)
    {
        if (id <= _lastNotified) return;
        _lastNotified = id;
        foreach (var (_, op) in _operators) op.NotifyCheckpointComplete(id);
    }

    /// <summary>The subtask's input is over: no later checkpoint can include it.</summary>
    public void Finished() => Trigger?.TaskFinished(Vertex, Subtask);

    private static byte[] Capture(Action<Stream> write)
    {
        using var ms = new MemoryStream();
        write(ms);
        return ms.ToArray();
    }
}

/// <summary>An output of a subtask that passes barriers on to the subtasks it feeds.</summary>
internal interface IBarrierOutput
{
    /// <summary>Sends what is buffered, then the barrier, on every channel.</summary>
    void Barrier(long checkpointId, string directory);
}
