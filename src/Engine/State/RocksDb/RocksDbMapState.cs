using RocksDbSharp;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// A map as one RocksDB entry per user key, under the current key and namespace as a prefix
/// (Flink's RocksDBMapState): a get or put touches one entry, and Entries, IsEmpty and Clear
/// are prefix scans. With TTL each entry carries its own stamp (Flink's TtlMapState).
/// </summary>
internal sealed class RocksDbMapState<TKey, TK, TV>(RocksDbKeyedStateBackend<TKey> backend, StateColumn column, StateTtlConfig? ttl)
    : RocksDbState<TKey>(backend, column, ttl), IMapState<TK, TV> where TKey : notnull where TK : notnull
{
    public bool TryGet(TK key, out TV value)
    {
        if (TryReadStored(EntryKey(key), out var stored))
        {
            value = Serializer.Deserialize<TV>(StateValueCodec.Payload(stored));
            return true;
        }
        value = default!;
        return false;
    }

    public void Put(TK key, TV value) => WriteValue(EntryKey(key), value);

    public void PutAll(IEnumerable<KeyValuePair<TK, TV>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var batch = new WriteBatch();
        var stamp = WriteStamp();
        var scratch = Backend.Scratch;
        foreach (var (k, v) in entries)
        {
            scratch.ResetWrittenCount();
            StateValueCodec.WriteValue(scratch, stamp, Serializer.Serialize(v));
            batch.Put(EntryKey(k), scratch.WrittenSpan, Handle); // the batch copies both
        }
        Db.Write(batch, Write);
    }

    public bool Remove(TK key)
    {
        var entry = EntryKey(key);
        if (!TryReadStored(entry, out _, touch: false)) return false;
        Db.Remove(entry, Handle, Write);
        return true;
    }

    public bool Contains(TK key) => TryReadStored(EntryKey(key), out _);

    public IReadOnlyList<KeyValuePair<TK, TV>> Entries()
    {
        var entries = new List<KeyValuePair<TK, TV>>();
        Scan(stop: false, (key, stored) => entries.Add(new(
            Serializer.Deserialize<TK>(key.AsMemory(CurrentKey.Length)),
            Serializer.Deserialize<TV>(StateValueCodec.Payload(stored)))));
        return entries;
    }

    public bool IsEmpty() => !Scan(stop: true, null);

    /// <summary>Deletes every entry of the current key and namespace, one by one (Flink does the same: range tombstones would pile up under window state).</summary>
    public override void Clear()
    {
        using var batch = new WriteBatch();
        using (var it = Db.NewIterator(Handle))
        {
            var prefix = CurrentKey;
            for (it.Seek(prefix); it.Valid() && it.GetKeySpan().StartsWith(prefix); it.Next())
                batch.Delete(it.GetKeySpan(), Handle);
        }
        if (batch.Count() > 0) Db.Write(batch, Write);
    }

    /// <summary>
    /// Visits the live entries of the current key and namespace; deletes expired ones and
    /// restamps visited ones when reads refresh TTL. With <paramref name="stop"/>, stops at the
    /// first live entry. Returns whether a live entry was found.
    /// </summary>
    private bool Scan(bool stop, Action<byte[], byte[]>? visit)
    {
        var now = ReadTime();
        var found = false;
        using var batch = new WriteBatch();
        using (var it = Db.NewIterator(Handle))
        {
            var prefix = CurrentKey;
            for (it.Seek(prefix); it.Valid() && it.GetKeySpan().StartsWith(prefix); it.Next())
            {
                if (Expired(StateValueCodec.Stamp(it.GetValueSpan()), now))
                {
                    batch.Delete(it.GetKeySpan(), Handle); // expired state is never returned
                    continue;
                }
                found = true;
                if (stop) break;
                byte[] key = it.Key(), stored = it.Value();
                visit?.Invoke(key, stored);
                if (!RefreshOnRead) continue;
                StateValueCodec.SetStamp(stored, now);
                batch.Put(key, stored, Handle);
            }
        }
        if (batch.Count() > 0) Db.Write(batch, Write);
        return found;
    }

    private byte[] EntryKey(TK key) => Backend.KeyCodec.CurrentWith(Serializer.Serialize(key));
}
