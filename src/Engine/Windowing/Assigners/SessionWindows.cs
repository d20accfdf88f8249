using PyFlow.Engine.Windowing.Triggers;

namespace PyFlow.Engine.Windowing.Assigners;

/// <summary>
/// Sessions: each record opens <c>[ts, ts + gap)</c>; windows that intersect or touch merge, so
/// records exactly <c>gap</c> apart share a session. The gap may depend on the record.
/// </summary>
public sealed class SessionWindows<T> : MergingWindowAssigner<T>
{
    private readonly Func<T, long> _gap;

    private SessionWindows(Func<T, long> gap, bool eventTime)
    {
        _gap = gap;
        IsEventTime = eventTime;
    }

    public static SessionWindows<T> WithGap(TimeSpan gap, bool eventTime = true)
    {
        var ms = (long)gap.TotalMilliseconds;
        if (ms <= 0) throw new ArgumentOutOfRangeException(nameof(gap), gap, "a session gap must be positive");
        return new SessionWindows<T>(_ => ms, eventTime);
    }

    /// <summary>A gap chosen per record (Flink's dynamic gap), in ms; it must be positive.</summary>
    public static SessionWindows<T> WithDynamicGap(Func<T, long> gapMillis, bool eventTime = true) =>
        new(gapMillis ?? throw new ArgumentNullException(nameof(gapMillis)), eventTime);

    public override bool IsEventTime { get; }

    public override IReadOnlyList<TimeWindow> AssignWindows(T element, long timestamp)
    {
        var gap = _gap(element);
        if (gap <= 0) throw new ArgumentOutOfRangeException(nameof(element), gap, $"the dynamic session gap for {element} is {gap} ms; it must be positive");
        return new[] { new TimeWindow(timestamp, timestamp + gap) };
    }

    public override Trigger<T, TimeWindow> DefaultTrigger =>
        IsEventTime ? EventTimeTrigger<T>.Create() : ProcessingTimeTrigger<T>.Create();
}
