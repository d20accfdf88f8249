using PyFlow.Engine.State;

namespace PyFlow.Engine.Windowing.Triggers;

/// <summary>What a trigger decides for a window (Flink's TriggerResult).</summary>
public enum TriggerResult
{
    Continue,
    Fire,
    Purge,
    FireAndPurge,
}

/// <summary>What a trigger can do for the window it is asked about: timers and per-window state.</summary>
public interface ITriggerContext
{
    long CurrentWatermark { get; }
    long CurrentProcessingTime { get; }
    void RegisterEventTimeTimer(long time);
    void RegisterProcessingTimeTimer(long time);
    void DeleteEventTimeTimer(long time);
    void DeleteProcessingTimeTimer(long time);

    /// <summary>State scoped to the current key and this window.</summary>
    IReducingState<TS> GetReducingState<TS>(ReducingStateDescriptor<TS> descriptor);
}

/// <summary>Decides when a window fires and when it is purged (Flink's Trigger).</summary>
public abstract class Trigger<T, W> where W : Window
{
    public abstract TriggerResult OnElement(T element, long timestamp, W window, ITriggerContext ctx);
    public abstract TriggerResult OnEventTime(long time, W window, ITriggerContext ctx);
    public abstract TriggerResult OnProcessingTime(long time, W window, ITriggerContext ctx);

    /// <summary>Removes the trigger's timers and state for a window that is purged.</summary>
    public abstract void Clear(W window, ITriggerContext ctx);

    /// <summary>True when the trigger works with merging (session) windows.</summary>
    public virtual bool CanMerge => false;

    /// <summary>Called for the window that merged windows became; re-register what the trigger needs.</summary>
    public virtual void OnMerge(W window, ITriggerContext ctx) =>
        throw new NotSupportedException($"{GetType().Name} cannot be used with merging (session) windows");
}

/// <summary>Fires when the watermark passes the window's end − 1 (the default for event-time windows).</summary>
public sealed class EventTimeTrigger<T> : Trigger<T, TimeWindow>
{
    public static EventTimeTrigger<T> Create() => new();

    public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, ITriggerContext ctx)
    {
        if (window.MaxTimestamp <= ctx.CurrentWatermark) return TriggerResult.Fire; // a late record within allowed lateness: fire again at once
        ctx.RegisterEventTimeTimer(window.MaxTimestamp);
        return TriggerResult.Continue;
    }

    public override TriggerResult OnEventTime(long time, TimeWindow window, ITriggerContext ctx) =>
        time == window.MaxTimestamp ? TriggerResult.Fire : TriggerResult.Continue;

    public override TriggerResult OnProcessingTime(long time, TimeWindow window, ITriggerContext ctx) => TriggerResult.Continue;

    public override void Clear(TimeWindow window, ITriggerContext ctx) => ctx.DeleteEventTimeTimer(window.MaxTimestamp);

    public override bool CanMerge => true;

    public override void OnMerge(TimeWindow window, ITriggerContext ctx)
    {
        if (window.MaxTimestamp > ctx.CurrentWatermark) ctx.RegisterEventTimeTimer(window.MaxTimestamp);
    }
}

/// <summary>Fires when processing time reaches the window's end − 1.</summary>
public sealed class ProcessingTimeTrigger<T> : Trigger<T, TimeWindow>
{
    public static ProcessingTimeTrigger<T> Create() => new();

    public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, ITriggerContext ctx)
    {
        ctx.RegisterProcessingTimeTimer(window.MaxTimestamp);
        return TriggerResult.Continue;
    }

    public override TriggerResult OnEventTime(long time, TimeWindow window, ITriggerContext ctx) => TriggerResult.Continue;
    public override TriggerResult OnProcessingTime(long time, TimeWindow window, ITriggerContext ctx) => TriggerResult.Fire;
    public override void Clear(TimeWindow window, ITriggerContext ctx) => ctx.DeleteProcessingTimeTimer(window.MaxTimestamp);
    public override bool CanMerge => true;
    public override void OnMerge(TimeWindow window, ITriggerContext ctx) => ctx.RegisterProcessingTimeTimer(window.MaxTimestamp);
}

/// <summary>Never fires (the default of global windows).</summary>
public sealed class NeverTrigger<T> : Trigger<T, GlobalWindow>
{
    public static readonly NeverTrigger<T> Instance = new();
    public override TriggerResult OnElement(T element, long timestamp, GlobalWindow window, ITriggerContext ctx) => TriggerResult.Continue;
    public override TriggerResult OnEventTime(long time, GlobalWindow window, ITriggerContext ctx) => TriggerResult.Continue;
    public override TriggerResult OnProcessingTime(long time, GlobalWindow window, ITriggerContext ctx) => TriggerResult.Continue;
    public override void Clear(GlobalWindow window, ITriggerContext ctx) { }
}
