namespace PyFlow.Engine.Checkpointing;

/// <summary>How barriers are handled at an operator with several input channels (Flink's CheckpointingMode).</summary>
public enum CheckpointingMode
{
    /// <summary>Aligned barriers: a channel that delivered the barrier is held back until every channel has, so the snapshot holds exactly the records before the barrier.</summary>
    ExactlyOnce,

    /// <summary>Barriers are counted but no channel is held back: records after the barrier on a fast channel may be in the snapshot too, and are replayed again after a restore.</summary>
    AtLeastOnce,
}

/// <summary>
/// Checkpoint options of a job (Flink's <c>CheckpointConfig</c>). Off until <see cref="Interval"/>
/// is set. Values are validated when set (none depends on another).
/// </summary>
public sealed class CheckpointConfig
{
    private TimeSpan? _interval;
    private TimeSpan _timeout = TimeSpan.FromMinutes(10);
    private TimeSpan _minPause = TimeSpan.Zero;
    private int _retained = 1;
    private string? _directory;

    /// <summary>Time between the start of two checkpoints (Flink's <c>execution.checkpointing.interval</c>); null (the default) turns checkpointing off.</summary>
    public TimeSpan? Interval
    {
        get => _interval;
        set => _interval = value is not { } v || v >= TimeSpan.FromMilliseconds(10) ? value
            : throw new ArgumentOutOfRangeException(nameof(Interval), value, "checkpoint interval must be at least 10 ms (or null to turn checkpointing off)");
    }

    /// <summary>True when checkpoints are taken.</summary>
    public bool Enabled => _interval != null;

    /// <summary>Exactly-once (aligned barriers, the default) or at-least-once (barriers not aligned).</summary>
    public CheckpointingMode Mode { get; set; } = CheckpointingMode.ExactlyOnce;

    /// <summary>
    /// Where completed checkpoints are kept (Flink's <c>state.checkpoints.dir</c>): one
    /// <c>chk-N</c> directory each, readable by the owner only. One job per directory (locked while
    /// it runs). Null with checkpointing on: a private temporary directory, deleted when the job
    /// ends, as Flink's in-memory checkpoint storage (restarts recover; nothing outlives the job).
    /// </summary>
    public string? Directory
    {
        get => _directory;
        set => _directory = value == null ? null
            : !string.IsNullOrWhiteSpace(value) ? Path.GetFullPath(value)
            : throw new ArgumentException("checkpoint directory must be a path, not empty", nameof(Directory));
    }

    /// <summary>A checkpoint not complete this long after it started is abandoned (Flink's <c>execution.checkpointing.timeout</c>, 10 min).</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "checkpoint timeout must be positive");
    }

    /// <summary>Least time from the end of one checkpoint to the start of the next (Flink's <c>execution.checkpointing.min-pause</c>, 0).</summary>
    public TimeSpan MinPause
    {
        get => _minPause;
        set => _minPause = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MinPause), value, "minimum pause between checkpoints cannot be negative");
    }

    /// <summary>Completed checkpoints kept (Flink's <c>state.checkpoints.num-retained</c>, 1); older ones are deleted once a newer one completes.</summary>
    public int RetainedCheckpoints
    {
        get => _retained;
        set => _retained = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(RetainedCheckpoints), value, "at least one completed checkpoint must be retained");
    }

    private string? _signingKeyFile;

    /// <summary>
    /// The key file that signs checkpoints and verifies them before a restore (PyFlow's
    /// <c>state.checkpoints.signing-key-file</c>; default <see cref="CheckpointSigningKey.DefaultFile"/>).
    /// Created on first use; a checkpoint signed with another key is refused.
    /// </summary>
    public string SigningKeyFile
    {
        get => _signingKeyFile ?? CheckpointSigningKey.DefaultFile;
        set => _signingKeyFile = !string.IsNullOrWhiteSpace(value) ? Path.GetFullPath(value)
            : throw new ArgumentException("the checkpoint signing key file must be a path, not empty", nameof(SigningKeyFile));
    }

    /// <summary>Where checkpoint events that are not failures go (an abandoned or refused checkpoint); standard error by default.</summary>
    public Action<string> Log { get; set; } = line => Console.Error.WriteLine(line);
}
