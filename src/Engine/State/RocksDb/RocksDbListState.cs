namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// A list as one RocksDB value of framed elements (<see cref="StateValueCodec"/>). Add and
/// AddAll are RocksDB merges (<see cref="ListMergeOperator"/>): they append without reading the
/// list, as Flink's RocksDBListState does. With TTL each element carries its own stamp (Flink's
/// TtlListState): reads drop expired elements and write the rest back.
/// </summary>
internal sealed class RocksDbListState<TKey, T>(RocksDbKeyedStateBackend<TKey> backend, StateColumn column, StateTtlConfig? ttl)
    : RocksDbState<TKey>(backend, column, ttl), IListState<T> where TKey : notnull
{
    public IReadOnlyList<T> Get()
    {
        var stored = Db.Get(CurrentKey, Handle);
        if (stored == null) return Array.Empty<T>();
        var now = ReadTime();
        var items = new List<T>();
        var expired = false;
        var offset = 0;
        while (StateValueCodec.NextElement(stored, ref offset, out var stamp, out var payload))
        {
            if (Expired(stamp, now)) expired = true;
            else items.Add(Serializer.Deserialize<T>(stored.AsMemory(payload)));
        }
        if (expired || (RefreshOnRead && items.Count > 0)) WriteBackLive(stored, now);
        return items;
    }

    public void Add(T value)
    {
        var scratch = Backend.Scratch;
        scratch.ResetWrittenCount();
        StateValueCodec.WriteElement(scratch, WriteStamp(), Serializer.Serialize(value));
        Db.Merge(CurrentKey, scratch.WrittenSpan, Handle, Write);
    }

    public void AddAll(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (Encode(values) > 0) Db.Merge(CurrentKey, Backend.Scratch.WrittenSpan, Handle, Write);
    }

    /// <summary>An empty list clears the state (Flink: update with an empty list clears).</summary>
    public void Update(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (Encode(values) > 0) Db.Put(CurrentKey, Backend.Scratch.WrittenSpan, Handle, Write);
        else Db.Remove(CurrentKey, Handle, Write);
    }

    /// <summary>Frames <paramref name="values"/> into the scratch buffer; returns how many.</summary>
    private int Encode(IEnumerable<T> values)
    {
        var scratch = Backend.Scratch;
        scratch.ResetWrittenCount();
        var stamp = WriteStamp();
        var count = 0;
        foreach (var v in values)
        {
            StateValueCodec.WriteElement(scratch, stamp, Serializer.Serialize(v));
            count++;
        }
        return count;
    }

    /// <summary>Writes back the live elements, stamped anew when reads refresh TTL; no element left clears the state.</summary>
    private void WriteBackLive(byte[] stored, long now)
    {
        var scratch = Backend.Scratch;
        scratch.ResetWrittenCount();
        var offset = 0;
        while (StateValueCodec.NextElement(stored, ref offset, out var stamp, out var payload))
            if (!Expired(stamp, now))
                StateValueCodec.WriteElement(scratch, RefreshOnRead ? now : stamp, stored.AsSpan(payload));
        if (scratch.WrittenCount > 0) Db.Put(CurrentKey, scratch.WrittenSpan, Handle, Write);
        else Db.Remove(CurrentKey, Handle, Write);
    }
}
