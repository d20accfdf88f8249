using PyFlow.Engine.Windowing.Triggers;

namespace PyFlow.Engine.Windowing.Assigners;

/// <summary>Every record in one window per key, which only its trigger fires (e.g. count windows).</summary>
public sealed class GlobalWindows<T> : WindowAssigner<T, GlobalWindow>
{
    private static readonly GlobalWindow[] One = { GlobalWindow.Instance };

    public static GlobalWindows<T> Create() => new();

    public override IReadOnlyList<GlobalWindow> AssignWindows(T element, long timestamp) => One;

    /// <summary>Never fires: set a trigger.</summary>
    public override Trigger<T, GlobalWindow> DefaultTrigger => NeverTrigger<T>.Instance;

    public override bool IsEventTime => false;
}
