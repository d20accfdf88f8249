namespace PyFlow.Host;

/// <summary>
/// The RESULTS frames of one sink subtask that the driver may not see yet: with checkpoints, a
/// frame is held until the checkpoint after it completes (Flink's exactly-once collect sink, and
/// the engine's <c>CollectSink</c>), so a restart, which replays from the last completed
/// checkpoint, never shows a record twice and never loses one. The end of input releases the rest.
/// Memory: the frames of one checkpoint interval (plus one checkpoint's duration).
/// </summary>
internal sealed class HeldResults
{
    private readonly Action<byte[]> _send;
    private readonly SortedDictionary<long, List<byte[]>> _byCheckpoint = new();
    private List<byte[]> _uncommitted = new();

    public HeldResults(Action<byte[]> send) => _send = send;

    /// <summary>A frame produced after the last barrier: shown once the next checkpoint completes.</summary>
    public void Add(byte[] payload) => _uncommitted.Add(payload);

    /// <summary>The frames since the previous barrier belong to checkpoint <paramref name="checkpointId"/>.</summary>
    public void Seal(long checkpointId)
    {
        if (_uncommitted.Count == 0) return;
        _byCheckpoint[checkpointId] = _uncommitted;
        _uncommitted = new List<byte[]>();
    }

    /// <summary>Checkpoint <paramref name="checkpointId"/> and all before it are durable: their frames go out.</summary>
    public void Release(long checkpointId)
    {
        foreach (var id in _byCheckpoint.Keys.Where(k => k <= checkpointId).ToList())
        {
            foreach (var p in _byCheckpoint[id]) _send(p);
            _byCheckpoint.Remove(id);
        }
    }

    /// <summary>The input ended (no failure can replay it now): everything goes out.</summary>
    public void ReleaseAll()
    {
        Release(long.MaxValue);
        foreach (var p in _uncommitted) _send(p);
        _uncommitted.Clear();
    }
}
