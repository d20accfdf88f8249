namespace PyFlow.Engine.Api;

/// <summary>
/// How a stream gets event timestamps and watermarks (Flink's WatermarkStrategy). Watermarks
/// are emitted every auto-watermark interval and never go backwards:
/// bounded out-of-orderness d gives <c>max timestamp − d − 1</c>, monotonous gives
/// <c>max timestamp − 1</c>.
/// </summary>
public sealed class WatermarkStrategy<T>
{
    private WatermarkStrategy(long outOfOrdernessMs, Func<T, long, long>? assigner, TimeSpan? idleness, bool emitsWatermarks)
    {
        OutOfOrdernessMs = outOfOrdernessMs;
        TimestampAssigner = assigner;
        Idleness = idleness;
        EmitsWatermarks = emitsWatermarks;
    }

    public long OutOfOrdernessMs { get; }

    /// <summary>(record, its previous timestamp) -> event timestamp in epoch ms; null keeps the record's timestamp.</summary>
    public Func<T, long, long>? TimestampAssigner { get; }

    /// <summary>After this long without records the stream is idle and stops holding watermarks back; null never.</summary>
    public TimeSpan? Idleness { get; }

    public bool EmitsWatermarks { get; }

    public static WatermarkStrategy<T> ForBoundedOutOfOrderness(TimeSpan maxOutOfOrderness) =>
        maxOutOfOrderness >= TimeSpan.Zero
            ? new((long)maxOutOfOrderness.TotalMilliseconds, null, null, true)
            : throw new ArgumentOutOfRangeException(nameof(maxOutOfOrderness), maxOutOfOrderness, "out-of-orderness cannot be negative");

    public static WatermarkStrategy<T> ForMonotonousTimestamps() => new(0, null, null, true);

    /// <summary>Timestamps only: no watermark until the end of input.</summary>
    public static WatermarkStrategy<T> NoWatermarks() => new(0, null, null, false);

    public WatermarkStrategy<T> WithTimestampAssigner(Func<T, long, long> assigner) =>
        new(OutOfOrdernessMs, assigner ?? throw new ArgumentNullException(nameof(assigner)), Idleness, EmitsWatermarks);

    public WatermarkStrategy<T> WithTimestampAssigner(Func<T, long> assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return WithTimestampAssigner((value, _) => assigner(value));
    }

    public WatermarkStrategy<T> WithIdleness(TimeSpan idleTimeout) =>
        idleTimeout > TimeSpan.Zero
            ? new(OutOfOrdernessMs, TimestampAssigner, idleTimeout, EmitsWatermarks)
            : throw new ArgumentOutOfRangeException(nameof(idleTimeout), idleTimeout, "an idle timeout must be positive");
}
