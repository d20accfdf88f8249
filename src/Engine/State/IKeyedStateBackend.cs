namespace PyFlow.Engine.State;

/// <summary>
/// The keyed state of one operator subtask: heap or RocksDB behind one interface. The operator
/// sets the current key (and, for window state, the namespace) before it touches state; every
/// state handle then reads and writes that entry. One instance per operator subtask, used only
/// from the subtask's thread.
/// </summary>
/// <remarks>
/// Snapshots (issue 7) go through <see cref="Snapshot"/> and <see cref="Restore"/>: the whole
/// state of the subtask, grouped by key group so it can later be split when rescaling.
/// </remarks>
public interface IKeyedStateBackend<TKey> : IDisposable where TKey : notnull
{
    /// <summary>The key that state handles read and write.</summary>
    TKey CurrentKey { get; }

    /// <summary>The namespace of the current entry: <see cref="VoidNamespace.Instance"/> outside windows, the window inside.</summary>
    object CurrentNamespace { get; }

    void SetCurrentKey(TKey key);

    void SetCurrentNamespace(object ns);

    IValueState<T> GetValueState<T>(ValueStateDescriptor<T> descriptor);
    IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor);
    IMapState<TK, TV> GetMapState<TK, TV>(MapStateDescriptor<TK, TV> descriptor) where TK : notnull;
    IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> descriptor);
    IAggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor);

    /// <summary>Every key with an entry in the named state and namespace (for a final flush or a query).</summary>
    IReadOnlyList<TKey> Keys(string stateName, object ns);

    /// <summary>Writes the whole state to <paramref name="output"/>.</summary>
    void Snapshot(Stream output);

    /// <summary>Replaces the whole state with a snapshot written by <see cref="Snapshot"/>.</summary>
    void Restore(Stream input);
}

/// <summary>The namespace of state outside windows.</summary>
public sealed class VoidNamespace
{
    public static readonly VoidNamespace Instance = new();
    private VoidNamespace() { }
    // Every instance is the same namespace, including one a snapshot brought back.
    public override bool Equals(object? obj) => obj is VoidNamespace;
    public override int GetHashCode() => 0x5f3759df;
    public override string ToString() => "VoidNamespace";
}
