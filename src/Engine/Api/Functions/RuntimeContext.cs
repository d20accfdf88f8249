using PyFlow.Engine.State;

namespace PyFlow.Engine.Api.Functions;

/// <summary>What a function can reach where it runs (Flink's RuntimeContext): its subtask and, when keyed, its state.</summary>
public sealed class RuntimeContext
{
    private readonly Func<StateDescriptor, object>? _state;

    internal RuntimeContext(string taskName, int subtaskIndex, int parallelism, Func<StateDescriptor, object>? state)
    {
        TaskName = taskName;
        IndexOfThisSubtask = subtaskIndex;
        NumberOfParallelSubtasks = parallelism;
        _state = state;
    }

    public string TaskName { get; }
    public int IndexOfThisSubtask { get; }
    public int NumberOfParallelSubtasks { get; }

    public IValueState<T> GetState<T>(ValueStateDescriptor<T> d) => (IValueState<T>)Keyed(d);
    public IListState<T> GetListState<T>(ListStateDescriptor<T> d) => (IListState<T>)Keyed(d);
    public IMapState<TK, TV> GetMapState<TK, TV>(MapStateDescriptor<TK, TV> d) where TK : notnull => (IMapState<TK, TV>)Keyed(d);
    public IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> d) => (IReducingState<T>)Keyed(d);
    public IAggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> d) => (IAggregatingState<TIn, TOut>)Keyed(d);

    private object Keyed(StateDescriptor d) =>
        _state?.Invoke(d) ?? throw new InvalidOperationException($"state '{d.Name}' is keyed state: it is only available after KeyBy, in a keyed function (e.g. a KeyedProcessFunction)");
}

/// <summary>
/// Flink's rich-function life cycle. Each parallel subtask runs its own copy of the function
/// (a shallow copy of the object given to the API, as Flink deserializes one per subtask): set
/// per-subtask fields, such as state handles, in <see cref="Open"/>, not in the constructor.
/// </summary>
public abstract class RichFunction
{
    internal TFunction CopyForSubtask<TFunction>() where TFunction : RichFunction => (TFunction)MemberwiseClone();

    public RuntimeContext RuntimeContext { get; internal set; } = null!;

    /// <summary>Called once per subtask before the first record; get state handles here.</summary>
    public virtual void Open() { }

    /// <summary>Called once per subtask after the last record.</summary>
    public virtual void Close() { }
}
