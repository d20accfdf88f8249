using PyFlow.Engine.Windowing.Triggers;

namespace PyFlow.Engine.Windowing.Assigners;

/// <summary>Puts each record into zero or more windows (Flink's WindowAssigner).</summary>
public abstract class WindowAssigner<T, W> where W : Window
{
    /// <param name="timestamp">the record's event timestamp (event-time assigners) or the current processing time</param>
    public abstract IReadOnlyList<W> AssignWindows(T element, long timestamp);

    public abstract Trigger<T, W> DefaultTrigger { get; }

    /// <summary>True when windows follow event time (fired by watermarks); false for processing time.</summary>
    public abstract bool IsEventTime { get; }

    /// <summary>True for assigners whose windows merge (sessions).</summary>
    public virtual bool IsMerging => false;
}

/// <summary>Sessions: windows that merge when they intersect or touch.</summary>
public abstract class MergingWindowAssigner<T> : WindowAssigner<T, TimeWindow>
{
    public override bool IsMerging => true;
}
