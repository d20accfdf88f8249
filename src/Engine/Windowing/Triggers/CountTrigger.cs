using PyFlow.Engine.State;

namespace PyFlow.Engine.Windowing.Triggers;

/// <summary>Fires every <c>count</c> records of a window (the count is kept per key and window).</summary>
public sealed class CountTrigger<T, W> : Trigger<T, W> where W : Window
{
    private readonly long _count;
    private readonly ReducingStateDescriptor<long> _state = new("count-trigger", (a, b) => a + b);

    private CountTrigger(long count) =>
        _count = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "a count trigger needs a positive count");

    public static CountTrigger<T, W> Of(long count) => new(count);

    public override TriggerResult OnElement(T element, long timestamp, W window, ITriggerContext ctx)
    {
        var count = ctx.GetReducingState(_state);
        count.Add(1);
        if (count.TryGet(out var n) && n >= _count)
        {
            count.Clear();
            return TriggerResult.Fire;
        }
        return TriggerResult.Continue;
    }

    public override TriggerResult OnEventTime(long time, W window, ITriggerContext ctx) => TriggerResult.Continue;
    public override TriggerResult OnProcessingTime(long time, W window, ITriggerContext ctx) => TriggerResult.Continue;
    public override void Clear(W window, ITriggerContext ctx) => ctx.GetReducingState(_state).Clear();
}

/// <summary>Turns every Fire of the wrapped trigger into FireAndPurge (Flink's PurgingTrigger).</summary>
public sealed class PurgingTrigger<T, W> : Trigger<T, W> where W : Window
{
    private readonly Trigger<T, W> _inner;

    private PurgingTrigger(Trigger<T, W> inner) => _inner = inner;

    public static PurgingTrigger<T, W> Of(Trigger<T, W> inner) => new(inner ?? throw new ArgumentNullException(nameof(inner)));

    private static TriggerResult Purging(TriggerResult r) => r is TriggerResult.Fire ? TriggerResult.FireAndPurge : r;

    public override TriggerResult OnElement(T element, long timestamp, W window, ITriggerContext ctx) => Purging(_inner.OnElement(element, timestamp, window, ctx));
    public override TriggerResult OnEventTime(long time, W window, ITriggerContext ctx) => Purging(_inner.OnEventTime(time, window, ctx));
    public override TriggerResult OnProcessingTime(long time, W window, ITriggerContext ctx) => Purging(_inner.OnProcessingTime(time, window, ctx));
    public override void Clear(W window, ITriggerContext ctx) => _inner.Clear(window, ctx);
    public override bool CanMerge => _inner.CanMerge;
    public override void OnMerge(W window, ITriggerContext ctx) => _inner.OnMerge(window, ctx);
}

/// <summary>Fires every <c>interval</c> of event time while the window is open, and at its end (Flink's ContinuousEventTimeTrigger).</summary>
public sealed class ContinuousEventTimeTrigger<T> : Trigger<T, TimeWindow>
{
    private readonly long _interval;
    private readonly ReducingStateDescriptor<long> _nextFire = new("continuous-fire-time", Math.Min);

    private ContinuousEventTimeTrigger(long interval) =>
        _interval = interval > 0 ? interval : throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be positive");

    public static ContinuousEventTimeTrigger<T> Of(TimeSpan interval) => new((long)interval.TotalMilliseconds);

    public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, ITriggerContext ctx)
    {
        if (window.MaxTimestamp <= ctx.CurrentWatermark) return TriggerResult.Fire;
        ctx.RegisterEventTimeTimer(window.MaxTimestamp);
        var next = ctx.GetReducingState(_nextFire);
        if (!next.TryGet(out _))
        {
            var start = timestamp - (timestamp % _interval);
            var fireAt = start + _interval;
            ctx.RegisterEventTimeTimer(fireAt);
            next.Add(fireAt);
        }
        return TriggerResult.Continue;
    }

    public override TriggerResult OnEventTime(long time, TimeWindow window, ITriggerContext ctx)
    {
        if (time == window.MaxTimestamp) return TriggerResult.Fire;
        var next = ctx.GetReducingState(_nextFire);
        if (next.TryGet(out var fireAt) && fireAt == time)
        {
            next.Clear();
            next.Add(time + _interval);
            ctx.RegisterEventTimeTimer(time + _interval);
            return TriggerResult.Fire;
        }
        return TriggerResult.Continue;
    }

    public override TriggerResult OnProcessingTime(long time, TimeWindow window, ITriggerContext ctx) => TriggerResult.Continue;

    public override void Clear(TimeWindow window, ITriggerContext ctx)
    {
        var next = ctx.GetReducingState(_nextFire);
        if (next.TryGet(out var fireAt)) ctx.DeleteEventTimeTimer(fireAt);
        next.Clear();
        ctx.DeleteEventTimeTimer(window.MaxTimestamp);
    }
}
