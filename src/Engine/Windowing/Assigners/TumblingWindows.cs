using PyFlow.Engine.Windowing.Triggers;

namespace PyFlow.Engine.Windowing.Assigners;

/// <summary>
/// Fixed-size, non-overlapping windows aligned to the epoch plus an offset:
/// <c>start = ts − ((ts − offset) mod size)</c>, <c>end = start + size</c>.
/// </summary>
public sealed class TumblingWindows<T> : WindowAssigner<T, TimeWindow>
{
    private readonly long _size;
    private readonly long _offset;

    private TumblingWindows(TimeSpan size, TimeSpan offset, bool eventTime)
    {
        _size = (long)size.TotalMilliseconds;
        if (_size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "a window size must be positive");
        _offset = (long)offset.TotalMilliseconds;
        if (Math.Abs(_offset) >= _size) throw new ArgumentOutOfRangeException(nameof(offset), offset, "the offset must be smaller than the window size");
        IsEventTime = eventTime;
    }

    public static TumblingWindows<T> OfEventTime(TimeSpan size, TimeSpan offset = default) => new(size, offset, true);
    public static TumblingWindows<T> OfProcessingTime(TimeSpan size, TimeSpan offset = default) => new(size, offset, false);

    public override bool IsEventTime { get; }

    public override IReadOnlyList<TimeWindow> AssignWindows(T element, long timestamp)
    {
        var start = TimeWindow.StartOf(timestamp, _offset, _size);
        return new[] { new TimeWindow(start, start + _size) };
    }

    public override Trigger<T, TimeWindow> DefaultTrigger =>
        IsEventTime ? EventTimeTrigger<T>.Create() : ProcessingTimeTrigger<T>.Create();
}
