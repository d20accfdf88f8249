using PyFlow.Engine.Windowing.Triggers;

namespace PyFlow.Engine.Windowing.Assigners;

/// <summary>
/// Windows of <c>size</c> starting every <c>slide</c>: the last start is computed as for tumbling
/// windows of size <c>slide</c>, then <c>start, start − slide, ...</c> while <c>start &gt; ts − size</c>.
/// </summary>
public sealed class SlidingWindows<T> : WindowAssigner<T, TimeWindow>
{
    private readonly long _size;
    private readonly long _slide;
    private readonly long _offset;

    private SlidingWindows(TimeSpan size, TimeSpan slide, TimeSpan offset, bool eventTime)
    {
        _size = (long)size.TotalMilliseconds;
        _slide = (long)slide.TotalMilliseconds;
        _offset = (long)offset.TotalMilliseconds;
        if (_size <= 0 || _slide <= 0) throw new ArgumentOutOfRangeException(nameof(size), $"size ({size}) and slide ({slide}) must be positive");
        if (Math.Abs(_offset) >= _slide) throw new ArgumentOutOfRangeException(nameof(offset), offset, "the offset must be smaller than the slide");
        IsEventTime = eventTime;
    }

    public static SlidingWindows<T> OfEventTime(TimeSpan size, TimeSpan slide, TimeSpan offset = default) => new(size, slide, offset, true);
    public static SlidingWindows<T> OfProcessingTime(TimeSpan size, TimeSpan slide, TimeSpan offset = default) => new(size, slide, offset, false);

    public override bool IsEventTime { get; }

    public override IReadOnlyList<TimeWindow> AssignWindows(T element, long timestamp)
    {
        var windows = new List<TimeWindow>((int)(_size / _slide) + 1);
        var lastStart = TimeWindow.StartOf(timestamp, _offset, _slide);
        for (var start = lastStart; start > timestamp - _size; start -= _slide)
            windows.Add(new TimeWindow(start, start + _size));
        return windows;
    }

    public override Trigger<T, TimeWindow> DefaultTrigger =>
        IsEventTime ? EventTimeTrigger<T>.Create() : ProcessingTimeTrigger<T>.Create();
}
