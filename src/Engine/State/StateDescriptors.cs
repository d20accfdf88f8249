namespace PyFlow.Engine.State;

/// <summary>Names a piece of keyed state and says how it behaves (Flink's StateDescriptor).</summary>
public abstract class StateDescriptor
{
    protected StateDescriptor(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a state needs a non-empty name", nameof(name));
        Name = name;
    }

    public string Name { get; }

    /// <summary>Time to live; null keeps state until it is cleared.</summary>
    public StateTtlConfig? Ttl { get; private set; }

    /// <summary>Entries expire <see cref="StateTtlConfig.Ttl"/> after their last write (or read, if so configured).</summary>
    public void EnableTimeToLive(StateTtlConfig ttl) => Ttl = ttl ?? throw new ArgumentNullException(nameof(ttl));
}

public sealed class ValueStateDescriptor<T> : StateDescriptor
{
    public ValueStateDescriptor(string name) : base(name) { }
}

public sealed class ListStateDescriptor<T> : StateDescriptor
{
    public ListStateDescriptor(string name) : base(name) { }
}

public sealed class MapStateDescriptor<TKey, TValue> : StateDescriptor where TKey : notnull
{
    public MapStateDescriptor(string name) : base(name) { }
}

public sealed class ReducingStateDescriptor<T> : StateDescriptor
{
    public ReducingStateDescriptor(string name, Func<T, T, T> reduce) : base(name) =>
        Reduce = reduce ?? throw new ArgumentNullException(nameof(reduce));

    public Func<T, T, T> Reduce { get; }
}

public sealed class AggregatingStateDescriptor<TIn, TAcc, TOut> : StateDescriptor
{
    public AggregatingStateDescriptor(string name, IAggregateFunction<TIn, TAcc, TOut> function) : base(name) =>
        Function = function ?? throw new ArgumentNullException(nameof(function));

    public IAggregateFunction<TIn, TAcc, TOut> Function { get; }
}

/// <summary>Flink's AggregateFunction: an accumulator built from inputs, merged, and turned into a result.</summary>
public interface IAggregateFunction<in TIn, TAcc, out TOut>
{
    TAcc CreateAccumulator();
    TAcc Add(TIn value, TAcc accumulator);
    TOut GetResult(TAcc accumulator);
    TAcc Merge(TAcc a, TAcc b);
}

/// <summary>When state expires (Flink's StateTtlConfig: update on create and write, or on read and write too; expired state is never returned).</summary>
public sealed record StateTtlConfig(TimeSpan Ttl, bool UpdateOnRead = false)
{
    public TimeSpan Ttl { get; } = Ttl > TimeSpan.Zero ? Ttl : throw new ArgumentOutOfRangeException(nameof(Ttl), Ttl, "a time to live must be positive");
}
