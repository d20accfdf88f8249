namespace PyFlow.Engine.State;

/// <summary>
/// Keyed state: every call reads or writes the entry of the backend's current key (and
/// current namespace, e.g. window). Unset reads as absent, like Flink's null.
/// </summary>
public interface IState
{
    /// <summary>Removes the entry of the current key and namespace.</summary>
    void Clear();
}

public interface IValueState<T> : IState
{
    /// <summary>The value, or default(T) when unset (Flink: null).</summary>
    T? Value();

    bool TryGetValue(out T value);

    void Update(T value);
}

public interface IListState<T> : IState
{
    /// <summary>The elements in insertion order; empty when unset.</summary>
    IReadOnlyList<T> Get();

    void Add(T value);

    void AddAll(IEnumerable<T> values);

    /// <summary>Replaces the whole list.</summary>
    void Update(IEnumerable<T> values);
}

public interface IMapState<TKey, TValue> : IState where TKey : notnull
{
    bool TryGet(TKey key, out TValue value);
    void Put(TKey key, TValue value);
    void PutAll(IEnumerable<KeyValuePair<TKey, TValue>> entries);
    bool Remove(TKey key);
    bool Contains(TKey key);
    IReadOnlyList<KeyValuePair<TKey, TValue>> Entries();
    bool IsEmpty();
}

/// <summary>Holds one value combined from everything added (Flink's ReducingState).</summary>
public interface IReducingState<T> : IState
{
    bool TryGet(out T value);
    void Add(T value);
}

/// <summary>Holds an accumulator of everything added; reads give its result (Flink's AggregatingState).</summary>
public interface IAggregatingState<in TIn, TOut> : IState
{
    bool TryGet(out TOut value);
    void Add(TIn value);
}
