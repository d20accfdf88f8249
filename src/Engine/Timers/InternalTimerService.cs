using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Timers;

/// <summary>
/// Event-time and processing-time timers of one keyed operator subtask, per (key, namespace).
/// As in Flink: a timer is unique per key, namespace and time, so registering it twice fires it
/// once; event-time timers fire in time order when the watermark reaches them; processing-time
/// timers fire from the subtask's processing-time callbacks. Firing sets the current key.
/// </summary>
public sealed class InternalTimerService<TKey> where TKey : notnull
{
    private readonly TimerQueue _eventTime = new();
    private readonly TimerQueue _processingTime = new();
    private readonly ProcessingTimers _clock;
    private readonly Action<TimerEntry, TimeDomain> _onTimer;
    private long _scheduledProcessingTime = long.MaxValue;

    /// <param name="clock">the subtask's processing-time callbacks</param>
    /// <param name="onTimer">called for each firing timer, on the subtask thread</param>
    public InternalTimerService(ProcessingTimers clock, Action<TimerEntry, TimeDomain> onTimer)
    {
        _clock = clock;
        _onTimer = onTimer;
    }

    public readonly record struct TimerEntry(TKey Key, object Namespace, long Time);

    public long CurrentWatermark { get; private set; } = Watermarks.Initial;
    public long CurrentProcessingTime => _clock.Now;
    public int EventTimeTimerCount => _eventTime.Count;

    public void RegisterEventTimeTimer(TKey key, object ns, long time) => _eventTime.Add(new TimerEntry(key, ns, time));
    public void DeleteEventTimeTimer(TKey key, object ns, long time) => _eventTime.Remove(new TimerEntry(key, ns, time));

    public void RegisterProcessingTimeTimer(TKey key, object ns, long time)
    {
        _processingTime.Add(new TimerEntry(key, ns, time));
        ScheduleProcessingTime(time);
    }

    public void DeleteProcessingTimeTimer(TKey key, object ns, long time) => _processingTime.Remove(new TimerEntry(key, ns, time));

    /// <summary>Writes every live timer (both domains) for a checkpoint.</summary>
    public void Snapshot(Stream output)
    {
        var timers = _eventTime.Live.Select(t => new object[] { t.Key, t.Namespace, t.Time, 0 })
            .Concat(_processingTime.Live.Select(t => new object[] { t.Key, t.Namespace, t.Time, 1 })).ToList();
        MessagePack.MessagePackSerializer.Typeless.Serialize(output, timers);
    }

    /// <summary>Registers the timers a <see cref="Snapshot"/> wrote (processing-time ones are scheduled again).</summary>
    public void Restore(Stream input)
    {
        var timers = (List<object[]>)MessagePack.MessagePackSerializer.Typeless.Deserialize(input)!;
        foreach (var t in timers)
        {
            var key = (TKey)t[0];
            var time = Convert.ToInt64(t[2]);
            if (Convert.ToInt32(t[3]) == 0) RegisterEventTimeTimer(key, t[1], time);
            else RegisterProcessingTimeTimer(key, t[1], time);
        }
    }

    /// <summary>Fires every event-time timer at or before <paramref name="watermark"/>, in time order.</summary>
    public void AdvanceWatermark(long watermark)
    {
        CurrentWatermark = watermark;
        while (_eventTime.TryPopDue(watermark, out var timer)) _onTimer(timer, TimeDomain.EventTime);
    }

    private void ScheduleProcessingTime(long time)
    {
        if (time >= _scheduledProcessingTime) return;
        _scheduledProcessingTime = time;
        _clock.Schedule(time, now =>
        {
            _scheduledProcessingTime = long.MaxValue;
            while (_processingTime.TryPopDue(now, out var timer)) _onTimer(timer, TimeDomain.ProcessingTime);
            if (_processingTime.TryPeekTime(out var next)) ScheduleProcessingTime(next);
        });
    }

    /// <summary>Timers in time order, unique per (key, namespace, time); deletion is lazy.</summary>
    private sealed class TimerQueue
    {
        private readonly PriorityQueue<TimerEntry, long> _queue = new();
        private readonly HashSet<TimerEntry> _live = new();

        public int Count => _live.Count;

        public IEnumerable<TimerEntry> Live => _live;

        public void Add(TimerEntry timer)
        {
            if (_live.Add(timer)) _queue.Enqueue(timer, timer.Time);
        }

        public void Remove(TimerEntry timer) => _live.Remove(timer);

        public bool TryPopDue(long upTo, out TimerEntry timer)
        {
            while (_queue.TryPeek(out timer, out var time) && time <= upTo)
            {
                _queue.Dequeue();
                if (_live.Remove(timer)) return true; // else deleted after it was registered
            }
            timer = default;
            return false;
        }

        public bool TryPeekTime(out long time)
        {
            while (_queue.TryPeek(out var timer, out time))
            {
                if (_live.Contains(timer)) return true;
                _queue.Dequeue();
            }
            return false;
        }
    }
}
