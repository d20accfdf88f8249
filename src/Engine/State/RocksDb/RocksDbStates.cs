using RocksDbSharp;
using NativeDb = RocksDbSharp.RocksDb;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// A state handle: reads and writes the entry of the backend's current key and namespace in
/// its column family, honouring TTL (Flink's AbstractRocksDBState with the TTL decorator folded in).
/// </summary>
internal abstract class RocksDbState<TKey> : IState where TKey : notnull
{
    private readonly long _ttlMillis;

    protected RocksDbState(RocksDbKeyedStateBackend<TKey> backend, StateColumn column, StateTtlConfig? ttl)
    {
        Backend = backend;
        Column = column;
        Ttl = ttl;
        _ttlMillis = ttl == null ? 0 : (long)ttl.Ttl.TotalMilliseconds;
    }

    protected RocksDbKeyedStateBackend<TKey> Backend { get; }
    protected StateColumn Column { get; }
    protected StateTtlConfig? Ttl { get; }
    protected NativeDb Db => Backend.Db;
    protected ColumnFamilyHandle Handle => Column.Handle;
    protected WriteOptions Write => Backend.WriteOptions;
    protected IStateSerializer Serializer => Backend.Serializer;

    /// <summary>The RocksDB key of the current key and namespace (a prefix, for map state).</summary>
    protected ReadOnlySpan<byte> CurrentKey => Backend.KeyCodec.Current;

    /// <summary>The stamp of a write now: the time with TTL, 0 without (as on the heap).</summary>
    protected long WriteStamp() => Ttl == null ? 0 : Backend.NowMillis;

    /// <summary>The time reads compare stamps against (not read from the clock without TTL).</summary>
    protected long ReadTime() => Ttl == null ? 0 : Backend.NowMillis;

    protected bool Expired(long stamp, long now) => Ttl != null && now - stamp >= _ttlMillis;

    protected bool RefreshOnRead => Ttl is { UpdateOnRead: true };

    /// <summary>
    /// The stored value at <paramref name="key"/> unless absent or expired; an expired one is
    /// deleted, and a live one is stamped anew when reads refresh TTL and <paramref name="touch"/>.
    /// </summary>
    protected bool TryReadStored(ReadOnlySpan<byte> key, out byte[] stored, bool touch = true)
    {
        stored = Db.Get(key, Handle);
        if (stored == null) return false;
        if (Ttl == null) return true;
        var now = Backend.NowMillis;
        if (Expired(StateValueCodec.Stamp(stored), now))
        {
            Db.Remove(key, Handle, Write); // expired state is never returned
            stored = null!;
            return false;
        }
        if (touch && Ttl.UpdateOnRead)
        {
            StateValueCodec.SetStamp(stored, now);
            Db.Put(key, stored, Handle, Write);
        }
        return true;
    }

    protected bool TryReadValue<T>(out T value)
    {
        if (TryReadStored(CurrentKey, out var stored))
        {
            value = Serializer.Deserialize<T>(StateValueCodec.Payload(stored));
            return true;
        }
        value = default!;
        return false;
    }

    protected void WriteValue<T>(ReadOnlySpan<byte> key, T value)
    {
        var scratch = Backend.Scratch;
        scratch.ResetWrittenCount();
        StateValueCodec.WriteValue(scratch, WriteStamp(), Serializer.Serialize(value));
        Db.Put(key, scratch.WrittenSpan, Handle, Write);
    }

    public virtual void Clear() => Db.Remove(CurrentKey, Handle, Write);
}

internal sealed class RocksDbValueState<TKey, T>(RocksDbKeyedStateBackend<TKey> backend, StateColumn column, StateTtlConfig? ttl)
    : RocksDbState<TKey>(backend, column, ttl), IValueState<T> where TKey : notnull
{
    public T? Value() => TryReadValue<T>(out var v) ? v : default;
    public bool TryGetValue(out T value) => TryReadValue(out value);
    public void Update(T value) => WriteValue(CurrentKey, value);
}

/// <summary>Read, reduce, write: Flink's RocksDB reducing state does the same (a merge operator would run user code on RocksDB's threads).</summary>
internal sealed class RocksDbReducingState<TKey, T>(RocksDbKeyedStateBackend<TKey> backend, StateColumn column, StateTtlConfig? ttl, Func<T, T, T> reduce)
    : RocksDbState<TKey>(backend, column, ttl), IReducingState<T> where TKey : notnull
{
    public bool TryGet(out T value) => TryReadValue(out value);
    public void Add(T value) => WriteValue(CurrentKey, TryReadValue<T>(out var acc) ? reduce(acc, value) : value);
}

internal sealed class RocksDbAggregatingState<TKey, TIn, TAcc, TOut>(
    RocksDbKeyedStateBackend<TKey> backend, StateColumn column, StateTtlConfig? ttl, IAggregateFunction<TIn, TAcc, TOut> function)
    : RocksDbState<TKey>(backend, column, ttl), IAggregatingState<TIn, TOut> where TKey : notnull
{
    public bool TryGet(out TOut value)
    {
        if (TryReadValue<TAcc>(out var acc))
        {
            value = function.GetResult(acc);
            return true;
        }
        value = default!;
        return false;
    }

    public void Add(TIn value) => WriteValue(CurrentKey, function.Add(value, TryReadValue<TAcc>(out var acc) ? acc : function.CreateAccumulator()));
}
