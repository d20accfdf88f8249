using PyFlow.Engine.Api;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// Event time per split (Kafka partition) of one reader, Flink's per-split watermarks: each split keeps its
/// largest timestamp; the reader's watermark is the minimum over its active splits of
/// <c>max timestamp − out-of-orderness − 1</c> (a split with no record yet holds it at the start of time).
/// A split without records for the strategy's idleness is left out; with no active split (all idle, all
/// finished, or none owned) the reader's output is idle, so it holds back no downstream watermark.
/// Watermarks are emitted at most every interval and never go back.
/// </summary>
internal sealed class SplitWatermarks<TSplit> where TSplit : notnull
{
    private sealed class Split
    {
        public long MaxTimestamp = long.MinValue;
        public long LastActivity;
    }

    private readonly Dictionary<TSplit, Split> _splits = new();
    private readonly long _outOfOrderness;
    private readonly bool _emitsWatermarks;
    private readonly long? _idleTicks;
    private readonly long _intervalTicks;
    private readonly TimeProvider _clock;
    private long _emitted = long.MinValue;
    private bool _idle;
    private long _nextEmit;

    public SplitWatermarks(long outOfOrdernessMs, bool emitsWatermarks, TimeSpan? idleness, TimeSpan interval, TimeProvider clock)
    {
        _outOfOrderness = outOfOrdernessMs;
        _emitsWatermarks = emitsWatermarks;
        _clock = clock;
        _idleTicks = idleness is { } i ? (long)(i.TotalSeconds * clock.TimestampFrequency) : null;
        _intervalTicks = (long)(interval.TotalSeconds * clock.TimestampFrequency);
    }

    public static SplitWatermarks<TSplit> For<T>(WatermarkStrategy<T> strategy, TimeSpan interval, TimeProvider clock) =>
        new(strategy.OutOfOrdernessMs, strategy.EmitsWatermarks, strategy.Idleness, interval, clock);

    /// <summary>The watermark emitted last (long.MinValue before the first).</summary>
    public long Current => _emitted;

    public bool IsIdle => _idle;

    public void AddSplit(TSplit split) => _splits.TryAdd(split, new Split { LastActivity = _clock.GetTimestamp() });

    /// <summary>A finished split no longer holds the watermark back.</summary>
    public void RemoveSplit(TSplit split) => _splits.Remove(split);

    public void OnRecord(TSplit split, long timestamp)
    {
        if (!_splits.TryGetValue(split, out var s)) _splits[split] = s = new Split();
        if (timestamp > s.MaxTimestamp) s.MaxTimestamp = timestamp;
        s.LastActivity = _clock.GetTimestamp();
    }

    /// <summary>When the interval has passed: tells <paramref name="status"/> of a change between idle and active, and <paramref name="watermark"/> of a new watermark.</summary>
    public void MaybeEmit(Action<long> watermark, Action<bool> status)
    {
        var now = _clock.GetTimestamp();
        if (now < _nextEmit) return;
        _nextEmit = now + _intervalTicks;
        var min = long.MaxValue;
        var active = 0;
        foreach (var s in _splits.Values)
        {
            if (_idleTicks is { } idle && now - s.LastActivity >= idle) continue;
            active++;
            var w = s.MaxTimestamp == long.MinValue ? long.MinValue : s.MaxTimestamp - _outOfOrderness - 1;
            if (w < min) min = w;
        }
        if (active == 0)
        {
            if (!_idle) status(true);
            _idle = true;
            return;
        }
        if (_idle) status(false);
        _idle = false;
        if (_emitsWatermarks && min > _emitted)
        {
            _emitted = min;
            watermark(min);
        }
    }
}
