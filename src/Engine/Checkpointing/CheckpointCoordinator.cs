namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// The job's checkpoint bookkeeping, kept across restarts: the next checkpoint id and the
/// retained completed checkpoints. Each run of the tasks (an attempt) gets its own
/// <see cref="CheckpointTrigger"/> that injects barriers and completes checkpoints. Holds the
/// directory's lock from its creation to <see cref="Dispose"/> (the end of the job).
/// </summary>
internal sealed class CheckpointCoordinator : IDisposable
{
    private readonly List<string> _retained = new(); // completed checkpoint directories, oldest first
    private readonly CheckpointDirectoryLock _lock;
    private long _lastId;

    public CheckpointCoordinator(CheckpointConfig config, string directory, CheckpointSigningKey key, string jobName, long restoredId)
    {
        Config = config;
        Key = key;
        BaseDirectory = directory;
        DurableFiles.CreatePrivateDirectory(BaseDirectory);
        if (PrivatePaths.WhyNotPrivateToWrite(BaseDirectory) is { } reason)
            throw new InvalidOperationException($"the checkpoint directory '{BaseDirectory}' is refused: {reason}");
        // Locked before anything in it is touched: the in-progress checkpoints removed below may be another job's.
        _lock = CheckpointDirectoryLock.Acquire(BaseDirectory, $"job '{jobName}'");
        _lastId = Math.Max(CheckpointLayout.HighestId(BaseDirectory), restoredId);
        // Partial checkpoints of an earlier run (a host that died) can never complete: remove them.
        foreach (var dir in Directory.GetDirectories(BaseDirectory, ".chk-*.inprogress"))
            TryDelete(dir);
    }

    public CheckpointConfig Config { get; }
    public CheckpointSigningKey Key { get; }
    public string BaseDirectory { get; }
    public Action<string> Log => Config.Log;

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>The newest retained checkpoint that is still intact; damaged ones are refused (and logged).</summary>
    public CompletedCheckpoint? NewestIntact()
    {
        lock (_retained)
            return CheckpointLayout.NewestIntact(Enumerable.Reverse(_retained).ToList(), Key, Log);
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

    /// <summary>The job ended: another job may use the directory now.</summary>
    public void Dispose() => _lock.Dispose();

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
