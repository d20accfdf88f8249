using System.Buffers;
using RocksDbSharp;
using NativeDb = RocksDbSharp.RocksDb;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// Keyed state in an embedded RocksDB (Flink's RocksDBKeyedStateBackend): state larger than
/// memory, off the managed heap. One RocksDB instance per backend in its own directory; one
/// column family per state (<see cref="StateColumn"/>); keys laid out by
/// <see cref="StateKeyCodec{TKey}"/>, values by <see cref="StateValueCodec"/>. Every access
/// serializes: slower than the heap backend, bounded in memory by <see cref="RocksDbOptions"/>.
/// </summary>
/// <remarks>
/// <para>Writes skip RocksDB's write-ahead log: as in Flink, state is made durable by
/// checkpoints, not by the local database, which is scratch space.</para>
/// <para>TTL follows Flink's TTL state: a value, a list element and a map entry each carry their
/// last-access stamp, and expired ones are never returned and are deleted when found. (The heap
/// backend stamps a whole list or map at once; the two differ only for lists and maps with TTL.)</para>
/// <para>Opening a directory that already holds a database opens its states as they are.</para>
/// </remarks>
public sealed class RocksDbKeyedStateBackend<TKey> : IKeyedStateBackend<TKey> where TKey : notnull
{
    private readonly string _directory;
    private readonly RocksDbOptions _options;
    private readonly TimeProvider _clock;
    private readonly NativeDb _db;
    // Native option objects referenced by open column families; the merge operator's callbacks must outlive the database.
    private readonly Cache _cache;
    private readonly MergeOperator _listMerge;
    private readonly ColumnFamilyOptions _familyOptions;
    private readonly Dictionary<string, StateColumn> _columns = new(StringComparer.Ordinal);
    private readonly StateRegistry _registry = new();
    private TKey? _currentKey;
    private bool _hasKey;
    private bool _disposed;

    /// <param name="directory">The database's directory, created if missing; one backend at a time may use it.</param>
    /// <param name="clock">Source of TTL time; the system clock by default.</param>
    /// <param name="serializer">Keys, namespaces and values to bytes; MessagePack by default.</param>
    /// <param name="options">Memory and threads; <see cref="RocksDbOptions"/>' defaults otherwise.</param>
    public RocksDbKeyedStateBackend(string directory, TimeProvider? clock = null, IStateSerializer? serializer = null, RocksDbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _options = options ?? new RocksDbOptions();
        _options.Validate();
        _clock = clock ?? TimeProvider.System;
        Serializer = serializer ?? MessagePackStateSerializer.Instance;
        KeyCodec = new StateKeyCodec<TKey>(Serializer, _options.MaxParallelism);
        _cache = Cache.CreateLru((ulong)_options.BlockCacheBytes);
        _listMerge = ListMergeOperator.Create();
        _familyOptions = _options.CreateColumnFamilyOptions(_cache, _listMerge);
        (_db, var existing) = Open(_directory, _options.CreateDbOptions(), _familyOptions);
        foreach (var name in existing)
            if (StateColumn.TryStateNameOf(name, out var state)) _columns[state] = new StateColumn(state, _db.GetColumnFamily(name));
    }

    public TKey CurrentKey => _hasKey ? _currentKey! : throw new InvalidOperationException("no current key: state is only reachable while a keyed record or timer is processed");

    public object CurrentNamespace { get; private set; } = VoidNamespace.Instance;

    public void SetCurrentKey(TKey key)
    {
        KeyCodec.SetKey(key);
        _currentKey = key;
        _hasKey = true;
    }

    public void SetCurrentNamespace(object ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        KeyCodec.SetNamespace(ns);
        CurrentNamespace = ns;
    }

    public IValueState<T> GetValueState<T>(ValueStateDescriptor<T> d) => new RocksDbValueState<TKey, T>(this, Column(d), d.Ttl);
    public IListState<T> GetListState<T>(ListStateDescriptor<T> d) => new RocksDbListState<TKey, T>(this, Column(d), d.Ttl);
    public IMapState<TK, TV> GetMapState<TK, TV>(MapStateDescriptor<TK, TV> d) where TK : notnull => new RocksDbMapState<TKey, TK, TV>(this, Column(d), d.Ttl);
    public IReducingState<T> GetReducingState<T>(ReducingStateDescriptor<T> d) => new RocksDbReducingState<TKey, T>(this, Column(d), d.Ttl, d.Reduce);

    public IAggregatingState<TIn, TOut> GetAggregatingState<TIn, TAcc, TOut>(AggregatingStateDescriptor<TIn, TAcc, TOut> d) =>
        new RocksDbAggregatingState<TKey, TIn, TAcc, TOut>(this, Column(d), d.Ttl, d.Function);

    /// <summary>A scan of the whole state: for a final flush or a query, not for the record path.</summary>
    public IReadOnlyList<TKey> Keys(string stateName, object ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        if (!_columns.TryGetValue(stateName, out var column)) return Array.Empty<TKey>();
        var nsBytes = KeyCodec.EncodeNamespace(ns);
        var keys = new List<TKey>();
        byte[]? last = null; // map entries of one key and namespace are adjacent: list the key once
        using var it = Db.NewIterator(column.Handle);
        for (it.SeekToFirst(); it.Valid(); it.Next())
        {
            var stored = it.Key();
            var keyEnd = StateKeyCodec<TKey>.KeyGroupBytes + StateKeyCodec<TKey>.KeyLength(stored);
            if (!stored.AsSpan(keyEnd).StartsWith(nsBytes)) continue;
            if (last != null && stored.AsSpan(0, keyEnd).SequenceEqual(last)) continue;
            last = stored[..keyEnd];
            keys.Add(KeyCodec.DecodeKey(stored, keyEnd - StateKeyCodec<TKey>.KeyGroupBytes));
        }
        return keys;
    }

    public void Snapshot(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _registry.Write(output);
        RocksDbFullSnapshot.Write(Db, _columns.Values.ToArray(), _options.MaxParallelism, output);
    }

    public void Restore(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _registry.Read(input);
        // The header is checked before anything is dropped: a wrong stream leaves the state as it was.
        var reader = RocksDbFullSnapshot.OpenReader(input, _options.MaxParallelism);
        foreach (var column in _columns.Values)
        {
            Db.DropColumnFamily(column.FamilyName);
            column.Handle = Db.CreateColumnFamily(_familyOptions, column.FamilyName);
        }
        reader.CopyEntries(Db, reader.StateNames.Select(ColumnOf).ToArray(), WriteOptions);
    }

    /// <summary>
    /// The sum over all states of an integer RocksDB property, e.g. <c>rocksdb.estimate-num-keys</c>,
    /// <c>rocksdb.cur-size-all-mem-tables</c> or <c>rocksdb.estimate-table-readers-mem</c> (Flink's native
    /// metrics). The block cache is shared: <c>rocksdb.block-cache-usage</c> is counted once per state.
    /// </summary>
    public long NativeProperty(string name)
    {
        long sum = 0;
        foreach (var column in _columns.Values)
            if (long.TryParse(Db.GetProperty(name, column.Handle), out var v)) sum += v;
        return sum;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _db.Dispose();
        _columns.Clear();
        if (_options.DeleteDirectoryOnDispose && Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    internal NativeDb Db => _disposed ? throw new ObjectDisposedException(nameof(RocksDbKeyedStateBackend<TKey>), $"the RocksDB state backend in '{_directory}' is disposed") : _db;

    /// <summary>State is made durable by checkpoints, not by RocksDB's log (Flink disables the WAL too).</summary>
    internal WriteOptions WriteOptions { get; } = new WriteOptions().DisableWal(1);

    internal IStateSerializer Serializer { get; }

    internal StateKeyCodec<TKey> KeyCodec { get; }

    /// <summary>One reusable buffer for building values: states are used from the subtask's thread only.</summary>
    internal ArrayBufferWriter<byte> Scratch { get; } = new(256);

    internal long NowMillis => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private StateColumn Column(StateDescriptor d)
    {
        _registry.Register(d);
        return ColumnOf(d.Name);
    }

    private StateColumn ColumnOf(string stateName)
    {
        if (!_columns.TryGetValue(stateName, out var column))
            _columns[stateName] = column = new StateColumn(stateName, Db.CreateColumnFamily(_familyOptions, StateColumn.FamilyNameOf(stateName)));
        return column;
    }

    /// <summary>Opens (or creates) the database with every column family it already has, as RocksDB requires.</summary>
    private static (NativeDb, string[] Families) Open(string directory, DbOptions dbOptions, ColumnFamilyOptions familyOptions)
    {
        try
        {
            RocksDbStateBackendFactory.CreatePrivate(directory);
            var families = new ColumnFamilies(familyOptions);
            if (!NativeDb.TryListColumnFamilies(dbOptions, directory, out var existing)) existing = [];
            foreach (var name in existing)
                if (name != ColumnFamilies.DefaultName) families.Add(name, familyOptions);
            return (NativeDb.Open(dbOptions, directory, families), existing);
        }
        catch (Exception e) when (e is RocksDbException or IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"cannot open the RocksDB state backend in '{directory}': {e.Message.TrimEnd('.')}. " +
                "The directory must be writable and not in use by another backend (RocksDB locks it); give each backend its own directory.", e);
        }
    }
}
