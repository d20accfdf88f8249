namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// The job's checkpoint bookkeeping, kept across restarts: the next checkpoint id and the
/// retained completed checkpoints. Each run of the tasks (an attempt) gets its own
/// <see cref="CheckpointTrigger"/> that injects barriers and completes checkpoints.
/// </summary>
internal sealed class CheckpointCoordinator
{
    private readonly List<string> _retained = new(); // completed checkpoint directories, oldest first
    private long _lastId;

    public CheckpointCoordinator(CheckpointConfig config, long restoredId)
    {
        Config = config;
        BaseDirectory = config.Directory!;
        DurableFiles.CreatePrivateDirectory(BaseDirectory);
        _lastId = Math.Max(CheckpointLayout.HighestId(BaseDirectory), restoredId);
        // Partial checkpoints of an earlier run (a host that died) can never complete: remove them.
        foreach (var dir in Directory.GetDirectories(BaseDirectory, ".chk-*.inprogress"))
            TryDelete(dir);
    }

    public CheckpointConfig Config { get; }
    public string BaseDirectory { get; }
    public Action<string> Log => Config.Log;

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>The newest retained checkpoint that is still intact; damaged ones are refused (and logged).</summary>
    public CompletedCheckpoint? NewestIntact()
    {
        lock (_retained)
            return CheckpointLayout.NewestIntact(Enumerable.Reverse(_retained).ToList(), Log);
    }

    /// <summary>A checkpoint completed: keep it, and delete the oldest beyond the retained count (only now that a newer one exists).</summary>
    public void Completed(string path)
    {
        List<string> drop;
        lock (_retained)
        {
            _retained.Add(path);
            var excess = _retained.Count - Config.RetainedCheckpoints;
            drop = excess > 0 ? _retained.Take(excess).ToList() : new List<string>();
            _retained.RemoveRange(0, drop.Count);
        }
        foreach (var d in drop)
            if (!TryDelete(d)) Log($"could not delete old checkpoint '{d}'; delete it by hand");
    }

    public static bool TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
