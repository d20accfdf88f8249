namespace PyFlow.Engine.Windowing;

/// <summary>A window: a bucket of records, closed at <see cref="MaxTimestamp"/>.</summary>
public abstract record Window
{
    /// <summary>The largest timestamp that still belongs to the window; results carry it.</summary>
    public abstract long MaxTimestamp { get; }
}

/// <summary>
/// [Start, End): end exclusive, as Flink's TimeWindow. Results carry <c>End − 1</c>.
/// </summary>
public sealed record TimeWindow(long Start, long End) : Window
{
    public override long MaxTimestamp => End - 1;

    /// <summary>True when the windows overlap or touch (a.start ≤ b.end and a.end ≥ b.start): they merge into one session.</summary>
    public bool IntersectsOrTouches(TimeWindow other) => Start <= other.End && End >= other.Start;

    public TimeWindow Cover(TimeWindow other) => new(Math.Min(Start, other.Start), Math.Max(End, other.End));

    /// <summary>Start of the window of <paramref name="size"/> and <paramref name="offset"/> holding <paramref name="timestamp"/>; the remainder is non-negative, so negative timestamps work too.</summary>
    public static long StartOf(long timestamp, long offset, long size)
    {
        var remainder = (timestamp - offset) % size;
        if (remainder < 0) remainder += size;
        return timestamp - remainder;
    }

    public override string ToString() => $"TimeWindow{{start={Start}, end={End}}}";
}

/// <summary>The one window of a global window assigner; only a custom trigger (e.g. count) fires it.</summary>
public sealed record GlobalWindow : Window
{
    public static readonly GlobalWindow Instance = new();
    private GlobalWindow() { }
    public override long MaxTimestamp => long.MaxValue;
    public override string ToString() => "GlobalWindow";
}
