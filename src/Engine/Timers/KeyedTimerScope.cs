using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;

namespace PyFlow.Engine.Timers;

/// <summary>
/// The current key, timestamp and time domain of a keyed operator, with the timer service and
/// side outputs scoped to that key: what every keyed function context delegates to.
/// </summary>
internal sealed class KeyedTimerScope<TKey> : ITimerService where TKey : notnull
{
    private readonly InternalTimerService<TKey> _timers;
    private readonly SideOutputs _sides;

    public KeyedTimerScope(InternalTimerService<TKey> timers, SideOutputs sides)
    {
        _timers = timers;
        _sides = sides;
    }

    public TKey Key = default!;
    /// <summary>The record's timestamp, or the timer's time (processing-time timers: none).</summary>
    public long Timestamp;
    public TimeDomain Domain;

    public long? TimestampOrNull => Timestamp == Batch<object>.NoTimestamp ? null : Timestamp;

    public void Output<T>(OutputTag<T> tag, T value) => _sides.Emit(tag, value, Timestamp);

    public long CurrentProcessingTime => _timers.CurrentProcessingTime;
    public long CurrentWatermark => _timers.CurrentWatermark;
    public void RegisterEventTimeTimer(long time) => _timers.RegisterEventTimeTimer(Key, VoidNamespace.Instance, time);
    public void RegisterProcessingTimeTimer(long time) => _timers.RegisterProcessingTimeTimer(Key, VoidNamespace.Instance, time);
    public void DeleteEventTimeTimer(long time) => _timers.DeleteEventTimeTimer(Key, VoidNamespace.Instance, time);
    public void DeleteProcessingTimeTimer(long time) => _timers.DeleteProcessingTimeTimer(Key, VoidNamespace.Instance, time);

    /// <summary>Sets the scope for a firing timer: its key, and its time as timestamp for event time.</summary>
    public void EnterTimer(InternalTimerService<TKey>.TimerEntry timer, TimeDomain domain)
    {
        Key = timer.Key;
        Domain = domain;
        Timestamp = domain == TimeDomain.EventTime ? timer.Time : Batch<object>.NoTimestamp;
    }
}
