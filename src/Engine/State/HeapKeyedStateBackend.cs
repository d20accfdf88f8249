using MessagePack;

namespace PyFlow.Engine.State;

/// <summary>
/// Keyed state on the managed heap: one table per state name, keyed by (key, namespace),
/// compared by value. Fast; bounded by memory. The RocksDB backend keeps the same contract
/// for state larger than memory.
/// </summary>
public sealed class HeapKeyedStateBackend<TKey> : IKeyedStateBackend<TKey> where TKey : notnull
{
    private readonly Dictionary<string, ITable> _tables = new();
    private readonly StateRegistry _registry = new();
    private readonly TimeProvider _clock;
    private TKey? _currentKey;
    private bool _hasKey;

    public HeapKeyedStateBackend(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    public TKey CurrentKey => _hasKey ? _currentKey! : throw new InvalidOperationException("no current key: state is only reachable while a keyed record or timer is processed");
    public object CurrentNamespace { get; private set; } = VoidNamespace.Instance;

    public void SetCurrentKey(TKey key)
    {
        _currentKey = key;
        _hasKey = true;
    }

    public void SetCurrentNamespace(object ns) => CurrentNamespace = ns ?? throw new ArgumentNullException(nameof(ns));

    public IValueState<T> GetValueState<T>(ValueStateDescriptor<T> d) => new ValueState<T>(this, TableOf<T>(d), d.Ttl);
    public IListState<T> GetListState<T>(ListStateDescriptor<T> d) => new ListState<T>(this, TableOf<List<T>>(d), d.Ttl);
    public IMapState<TK, TV> GetMapState<TK, TV>(MapStateDescriptor<TK, TV> d) where TK : notnull => new MapState<TK, TV>(this, TableOf<Dictionary<TK, TV>>(d), d.Ttl);
    public IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> d) => new ReducingState<T>(this, TableOf<T>(d), d.Ttl, d.Reduce);

    public IAggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> d) =>
        new AggregatingState<TIn, TAcc, TOut>(this, TableOf<TAcc>(d), d.Ttl, d.Function);

    public IReadOnlyList<TKey> Keys(string stateName, object ns) =>
        _tables.TryGetValue(stateName, out var t) ? t.Slots().Where(k => Equals(k.Item2, ns)).Select(k => k.Item1).ToList() : Array.Empty<TKey>();

    public void Snapshot(Stream output)
    {
        var entries = _tables.SelectMany(t => t.Value.Export().Select(e => new object?[] { t.Key, e.Key, e.Ns, e.Value, e.LastAccess })).ToList();
        _registry.Write(output);
        MessagePackSerializer.Typeless.Serialize(output, entries);
    }

    public void Restore(Stream input)
    {
        _registry.Read(input);
        var entries = (List<object?[]>)MessagePackSerializer.Typeless.Deserialize(input)!;
        foreach (var t in _tables.Values) t.Clear();
        foreach (var group in entries.GroupBy(e => (string)e[0]!))
            _pending[group.Key] = group.Select(e => ((TKey)e[1]!, e[2]!, e[3], Convert.ToInt64(e[4]))).ToList();
        foreach (var (name, table) in _tables) LoadPending(name, table);
    }

    public void Dispose() => _tables.Clear();

    /// <summary>Restored entries of states not asked for yet: their value type is known only when they are.</summary>
    private readonly Dictionary<string, List<(TKey Key, object Ns, object? Value, long LastAccess)>> _pending = new();

    private void LoadPending(string name, ITable table)
    {
        if (!_pending.Remove(name, out var entries)) return;
        foreach (var e in entries) table.Import(e.Key, e.Ns, e.Value, e.LastAccess);
    }

    private Table<TS> TableOf<TS>(StateDescriptor d)
    {
        _registry.Register(d);
        if (!_tables.TryGetValue(d.Name, out var table))
        {
            _tables[d.Name] = table = new Table<TS>();
            LoadPending(d.Name, table);
        }
        return (Table<TS>)table;
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private interface ITable
    {
        IEnumerable<(TKey, object)> Slots();
        IEnumerable<(TKey Key, object Ns, object? Value, long LastAccess)> Export();
        void Import(TKey key, object ns, object? value, long lastAccess);
        void Clear();
    }

    /// <summary>One state's entries, typed, so reads and writes neither box nor allocate.</summary>
    private sealed class Table<TS> : ITable
    {
        public readonly Dictionary<(TKey, object), (TS Value, long LastAccess)> Entries = new();
        public IEnumerable<(TKey, object)> Slots() => Entries.Keys;
        public IEnumerable<(TKey Key, object Ns, object? Value, long LastAccess)> Export() => Entries.Select(e => (e.Key.Item1, e.Key.Item2, (object?)e.Value.Value, e.Value.LastAccess));
        public void Import(TKey key, object ns, object? value, long lastAccess) => Entries[(key, ns)] = ((TS)value!, lastAccess);
        public void Clear() => Entries.Clear();
    }

    /// <summary>The entry of the current key and namespace, honouring TTL.</summary>
    private abstract class StateBase<TS> : IState
    {
        private readonly HeapKeyedStateBackend<TKey> _backend;
        private readonly Dictionary<(TKey, object), (TS Value, long LastAccess)> _table;
        private readonly StateTtlConfig? _ttl;

        protected StateBase(HeapKeyedStateBackend<TKey> backend, Table<TS> table, StateTtlConfig? ttl)
        {
            _backend = backend;
            _table = table.Entries;
            _ttl = ttl;
        }

        private (TKey, object) Slot => (_backend.CurrentKey, _backend.CurrentNamespace);

        protected bool TryRead(out TS value)
        {
            var slot = Slot;
            if (_table.TryGetValue(slot, out var entry))
            {
                if (_ttl != null && _backend.Now - entry.LastAccess >= (long)_ttl.Ttl.TotalMilliseconds)
                {
                    _table.Remove(slot); // expired state is never returned
                }
                else
                {
                    if (_ttl is { UpdateOnRead: true }) _table[slot] = (entry.Value, _backend.Now);
                    value = entry.Value;
                    return true;
                }
            }
            value = default!;
            return false;
        }

        protected void Write(TS value) => _table[Slot] = (value, _ttl == null ? 0 : _backend.Now);

        public void Clear() => _table.Remove(Slot);
    }

    private sealed class ValueState<T> : StateBase<T>, IValueState<T>
    {
        public ValueState(HeapKeyedStateBackend<TKey> b, Table<T> t, StateTtlConfig? ttl) : base(b, t, ttl) { }
        public T? Value() => TryRead(out var v) ? v : default;
        public bool TryGetValue(out T value) => TryRead(out value);
        public void Update(T value) => Write(value);
    }

    private sealed class ListState<T> : StateBase<List<T>>, IListState<T>
    {
        public ListState(HeapKeyedStateBackend<TKey> b, Table<List<T>> t, StateTtlConfig? ttl) : base(b, t, ttl) { }
        public IReadOnlyList<T> Get() => TryRead(out var list) ? list.ToArray() : Array.Empty<T>();

        public void Add(T value)
        {
            var list = TryRead(out var l) ? l : new List<T>();
            list.Add(value);
            Write(list);
        }

        public void AddAll(IEnumerable<T> values)
        {
            var list = TryRead(out var l) ? l : new List<T>();
            list.AddRange(values);
            Write(list);
        }

        public void Update(IEnumerable<T> values) => Write(values.ToList());
    }

    private sealed class MapState<TK, TV> : StateBase<Dictionary<TK, TV>>, IMapState<TK, TV> where TK : notnull
    {
        public MapState(HeapKeyedStateBackend<TKey> b, Table<Dictionary<TK, TV>> t, StateTtlConfig? ttl) : base(b, t, ttl) { }

        private Dictionary<TK, TV>? Map() => TryRead(out var m) ? m : null;

        private Dictionary<TK, TV> MapForWrite()
        {
            var m = Map() ?? new Dictionary<TK, TV>();
            Write(m); // refreshes the TTL timestamp
            return m;
        }

        public bool TryGet(TK key, out TV value)
        {
            if (Map() is { } m && m.TryGetValue(key, out value!)) return true;
            value = default!;
            return false;
        }

        public void Put(TK key, TV value) => MapForWrite()[key] = value;

        public void PutAll(IEnumerable<KeyValuePair<TK, TV>> entries)
        {
            var m = MapForWrite();
            foreach (var (k, v) in entries) m[k] = v;
        }

        public bool Remove(TK key)
        {
            if (Map() is not { } m || !m.Remove(key)) return false;
            if (m.Count == 0) Clear();
            return true;
        }

        public bool Contains(TK key) => Map()?.ContainsKey(key) ?? false;
        public IReadOnlyList<KeyValuePair<TK, TV>> Entries() => Map()?.ToList() ?? new List<KeyValuePair<TK, TV>>();
        public bool IsEmpty() => Map() is not { Count: > 0 };
    }

    private sealed class ReducingState<T> : StateBase<T>, IReducingState<T>
    {
        private readonly Func<T, T, T> _reduce;
        public ReducingState(HeapKeyedStateBackend<TKey> b, Table<T> t, StateTtlConfig? ttl, Func<T, T, T> reduce) : base(b, t, ttl) => _reduce = reduce;
        public bool TryGet(out T value) => TryRead(out value);
        public void Add(T value) => Write(TryRead(out var acc) ? _reduce(acc, value) : value);
    }

    private sealed class AggregatingState<TIn, TAcc, TOut> : StateBase<TAcc>, IAggregatingState<TIn, TOut>
    {
        private readonly IAggregateFunction<TIn, TAcc, TOut> _fn;
        public AggregatingState(HeapKeyedStateBackend<TKey> b, Table<TAcc> t, StateTtlConfig? ttl, IAggregateFunction<TIn, TAcc, TOut> fn) : base(b, t, ttl) => _fn = fn;

        public bool TryGet(out TOut value)
        {
            if (TryRead(out var acc))
            {
                value = _fn.GetResult(acc);
                return true;
            }
            value = default!;
            return false;
        }

        public void Add(TIn value) => Write(_fn.Add(value, TryRead(out var acc) ? acc : _fn.CreateAccumulator()));
    }
}
