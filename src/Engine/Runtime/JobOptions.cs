namespace PyFlow.Engine.Runtime;

/// <summary>Execution options of one job, validated when set.</summary>
public sealed class JobOptions
{
    private int _batchSize = 1024;
    private TimeSpan _bufferTimeout = TimeSpan.FromMilliseconds(10);
    private int _maxParallelism = 128;

    /// <summary>Records per batch between subtasks. Larger is faster, smaller is lower latency.</summary>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "batch size must be at least 1");
    }

    /// <summary>
    /// Longest a partly filled batch waits before it is sent (Flink's <c>execution.buffer-timeout</c>),
    /// so a slow source still sees its records through with bounded latency.
    /// </summary>
    public TimeSpan BufferTimeout
    {
        get => _bufferTimeout;
        set => _bufferTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(BufferTimeout), value, "buffer timeout must be positive");
    }

    /// <summary>Number of key groups (Flink's max parallelism): the unit in which keyed state is partitioned.</summary>
    public int MaxParallelism
    {
        get => _maxParallelism;
        set => _maxParallelism = value is >= 1 and <= 32768 ? value : throw new ArgumentOutOfRangeException(nameof(MaxParallelism), value, "max parallelism must be in 1..32768");
    }

    /// <summary>
    /// Whether nodes joined by forward edges of equal parallelism run chained in one subtask (Flink's
    /// <c>pipeline.operator-chaining</c>, on by default). Off, every node is a vertex of its own.
    /// </summary>
    public bool OperatorChaining { get; set; } = true;

    private TimeSpan _autoWatermarkInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How often generated watermarks are emitted (Flink's pipeline.auto-watermark-interval, 200 ms). Zero emits after every batch.</summary>
    public TimeSpan AutoWatermarkInterval
    {
        get => _autoWatermarkInterval;
        set => _autoWatermarkInterval = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(AutoWatermarkInterval), value, "the watermark interval cannot be negative");
    }

    /// <summary>STREAMING or BATCH; read by operators when the job starts, so it may be set after the plan is built.</summary>
    public Api.RuntimeExecutionMode RuntimeMode { get; set; } = Api.RuntimeExecutionMode.Streaming;

    /// <summary>Where keyed state lives: heap (default) or RocksDB.</summary>
    public State.IStateBackendFactory StateBackend { get; set; } = State.HeapStateBackendFactory.Instance;

    /// <summary>Checkpoints: off until an interval is set (see <see cref="Checkpointing.CheckpointConfig"/>).</summary>
    public Checkpointing.CheckpointConfig Checkpointing { get; } = new();

    /// <summary>What a task failure does: fail the job (the default) or restart from the last completed checkpoint.</summary>
    public Checkpointing.RestartStrategy RestartStrategy { get; set; } = Engine.Checkpointing.RestartStrategy.NoRestart();

    /// <summary>
    /// A checkpoint to start the job from (resuming after the host died): a <c>chk-N</c> directory,
    /// or a checkpoint directory, whose newest valid checkpoint is used. Null starts empty.
    /// </summary>
    public string? RestoreFromCheckpoint { get; set; }

    /// <summary>The job's name, as the checkpoint directory's lock names its holder.</summary>
    public string JobName { get; set; } = "job";

    /// <summary>
    /// Restarts this job already used before this run (an earlier engine host that died, restarted by the
    /// driver): they count against <see cref="RestartStrategy"/>'s attempts, so the budget is the job's, not
    /// the host's.
    /// </summary>
    public int PriorRestarts
    {
        get => _priorRestarts;
        set => _priorRestarts = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(PriorRestarts), value, "prior restarts cannot be negative");
    }

    private int _priorRestarts;

    /// <summary>Called with the job's restart number (prior restarts included) before each restart.</summary>
    public Action<int>? Restarting { get; set; }

    /// <summary>The processing-time clock; tests replace it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
