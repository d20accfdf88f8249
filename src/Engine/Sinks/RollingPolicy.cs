namespace PyFlow.Engine.Sinks;

/// <summary>
/// When the file sink closes its part file and starts a new one (Flink's
/// <c>DefaultRollingPolicy</c>, with its defaults). Values are validated when set.
/// </summary>
/// <remarks>
/// Size is checked before each record is written, as in Flink: a part file takes records until
/// it holds more than <see cref="MaxPartSize"/> bytes, so it ends at most one record past the
/// limit. The intervals are processing time, checked every <see cref="CheckInterval"/> (Flink's
/// bucket check interval), so a part file may stay open up to one check interval longer.
/// </remarks>
public sealed class RollingPolicy
{
    private readonly long _maxPartSize = 128L * 1024 * 1024;
    private readonly TimeSpan? _rolloverInterval = TimeSpan.FromSeconds(60);
    private readonly TimeSpan? _inactivityInterval = TimeSpan.FromSeconds(60);
    private readonly TimeSpan _checkInterval = TimeSpan.FromSeconds(60);

    /// <summary>A new part file starts once the current one holds more than this many bytes; 128 MiB by default.</summary>
    public long MaxPartSize
    {
        get => _maxPartSize;
        init => _maxPartSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPartSize), value, "rolling policy: the part size must be at least 1 byte");
    }

    /// <summary>Longest a part file stays open, from its creation; 60 s by default, null for no limit.</summary>
    public TimeSpan? RolloverInterval
    {
        get => _rolloverInterval;
        init => _rolloverInterval = Positive(value, nameof(RolloverInterval));
    }

    /// <summary>A part file that got no record for this long is closed; 60 s by default, null for no limit.</summary>
    public TimeSpan? InactivityInterval
    {
        get => _inactivityInterval;
        init => _inactivityInterval = Positive(value, nameof(InactivityInterval));
    }

    /// <summary>How often the intervals are checked; 60 s by default, as Flink's bucket check interval.</summary>
    public TimeSpan CheckInterval
    {
        get => _checkInterval;
        init => _checkInterval = Positive(value, nameof(CheckInterval))!.Value;
    }

    private static TimeSpan? Positive(TimeSpan? value, string name) =>
        value is { } v && v <= TimeSpan.Zero ? throw new ArgumentOutOfRangeException(name, v, $"rolling policy: {name} must be positive") : value;

    public override string ToString() =>
        $"RollingPolicy(MaxPartSize={MaxPartSize}, RolloverInterval={RolloverInterval?.ToString() ?? "none"}, InactivityInterval={InactivityInterval?.ToString() ?? "none"}, CheckInterval={CheckInterval})";
}
