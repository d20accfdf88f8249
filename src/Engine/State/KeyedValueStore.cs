namespace PyFlow.Engine.State;

/// <summary>
/// One value per key, on the heap: the storage under a keyed operator's value state.
/// Keys compare with <see cref="EqualityComparer{T}.Default"/>, i.e. by value.
/// </summary>
public sealed class KeyedValueStore<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _values = new();

    public bool TryGet(TKey key, out TValue value) => _values.TryGetValue(key, out value!);

    public void Set(TKey key, TValue value) => _values[key] = value;

    public bool Remove(TKey key) => _values.Remove(key);

    public int Count => _values.Count;

    public IEnumerable<KeyValuePair<TKey, TValue>> Entries => _values;
}
