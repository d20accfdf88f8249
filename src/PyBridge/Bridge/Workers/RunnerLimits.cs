namespace PyFlow.PyBridge.Workers;

/// <summary>
/// The limits of a Python runner, sent in OPEN. How long one call into Python (a batch, a round of timers or
/// windows) may run: past <see cref="Timeout"/> (<c>python.fn-execution.timeout</c>; null: no limit) the job fails
/// naming the operator and the record; without a timeout a warning is logged every <see cref="StallWarning"/> of
/// no progress. Both are enforced on the Python side (<c>pyflow/worker/call_watch.py</c>), which alone knows the
/// record. <see cref="MaxFrame"/> (<c>pyflow.frame.max-size</c>) bounds every frame both ways.
/// </summary>
public sealed record RunnerLimits(TimeSpan? Timeout, TimeSpan StallWarning, int MaxFrame = Wire.Frames.MaxLength)
{
    /// <summary>No timeout, a warning every minute, 256 MiB frames.</summary>
    public static RunnerLimits Default { get; } = new(null, TimeSpan.FromMinutes(1));

    /// <summary>OPEN's <c>"limits"</c> entry.</summary>
    public Dictionary<string, object?> ToSpec() => new()
    {
        ["timeout_ms"] = Timeout is { } t ? (long)t.TotalMilliseconds : null,
        ["stall_warning_ms"] = (long)StallWarning.TotalMilliseconds,
        ["max_frame"] = MaxFrame,
    };
}
