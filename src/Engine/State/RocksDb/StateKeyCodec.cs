using System.Buffers.Binary;
using MessagePack;
using PyFlow.Engine.Partitioning;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// The RocksDB key of the current entry (Flink's SerializedCompositeKeyBuilder):
/// <code>
/// u16 key group (big-endian) | key (serializer bytes) | namespace (NamespaceCodec) [| map user key]
/// </code>
/// The key is serialized once per <see cref="SetKey"/> and the namespace once per change, so a
/// state access only copies bytes.
/// </summary>
/// <remarks>
/// <para>Key group first, as in Flink: the entries of one key group are one contiguous range in
/// every column family, so a snapshot is written key group by key group and can later be split
/// when rescaling. The key group is the one the keyed exchange routes the key to
/// (<see cref="KeyGroups.Of"/> of <see cref="StableKeyHash"/>), which is the same in the process
/// that restores it.</para>
/// <para>Every part is self-delimiting (MessagePack values, the namespace codec), so the layout
/// is prefix-free: "key group, key, namespace" is a prefix of exactly the entries of that key and
/// namespace (map entries are prefix scans) and the key's length can be read back from a stored
/// key (<see cref="KeyLength"/>). Keys compare by serialized bytes, which is by value because
/// MessagePack is deterministic for a given value and type.</para>
/// </remarks>
internal sealed class StateKeyCodec<TKey> where TKey : notnull
{
    internal const int KeyGroupBytes = 2;

    private readonly IStateSerializer _serializer;
    private readonly NamespaceCodec _namespaces;
    private readonly int _maxParallelism;
    private byte[] _buffer = new byte[64];
    private int _keyEnd;  // key group + key
    private int _length;  // key group + key + namespace
    private byte[] _namespace;
    private bool _hasKey;

    public StateKeyCodec(IStateSerializer serializer, int maxParallelism)
    {
        _serializer = serializer;
        _maxParallelism = maxParallelism;
        _namespaces = new NamespaceCodec(serializer);
        _namespace = _namespaces.Encode(VoidNamespace.Instance);
    }

    public void SetKey(TKey key)
    {
        var bytes = _serializer.Serialize(key);
        Ensure(KeyGroupBytes + bytes.Length + _namespace.Length, keep: 0);
        _keyEnd = KeyGroupBytes + bytes.Length;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, (ushort)KeyGroups.Of(StableKeyHash.Of(key), _maxParallelism));
        bytes.CopyTo(_buffer, KeyGroupBytes);
        AppendNamespace();
        _hasKey = true;
    }

    public void SetNamespace(object ns)
    {
        _namespace = _namespaces.Encode(ns);
        Ensure(_keyEnd + _namespace.Length, keep: _keyEnd);
        AppendNamespace();
    }

    /// <summary>Key group, key and namespace of the current entry: the RocksDB key of a single-value state, the prefix of a map's entries.</summary>
    public ReadOnlySpan<byte> Current
    {
        get
        {
            if (!_hasKey) ThrowNoKey();
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary><see cref="Current"/> followed by <paramref name="suffix"/> (a map's user key).</summary>
    public byte[] CurrentWith(ReadOnlySpan<byte> suffix)
    {
        var prefix = Current;
        var key = new byte[prefix.Length + suffix.Length];
        prefix.CopyTo(key);
        suffix.CopyTo(key.AsSpan(prefix.Length));
        return key;
    }

    /// <summary>The encoded namespace, to compare against stored keys.</summary>
    public byte[] EncodeNamespace(object ns) => _namespaces.Encode(ns);

    /// <summary>The length of the serialized key in a stored RocksDB key (it starts after the key group).</summary>
    public static int KeyLength(ReadOnlyMemory<byte> storedKey)
    {
        var reader = new MessagePackReader(storedKey[KeyGroupBytes..]);
        reader.Skip();
        return (int)reader.Consumed;
    }

    public TKey DecodeKey(ReadOnlyMemory<byte> storedKey, int keyLength) => _serializer.Deserialize<TKey>(storedKey.Slice(KeyGroupBytes, keyLength));

    private void AppendNamespace()
    {
        _namespace.CopyTo(_buffer, _keyEnd);
        _length = _keyEnd + _namespace.Length;
    }

    private void Ensure(int length, int keep)
    {
        if (_buffer.Length >= length) return;
        var bigger = new byte[Math.Max(length, _buffer.Length * 2)];
        _buffer.AsSpan(0, keep).CopyTo(bigger);
        _buffer = bigger;
    }

    private static void ThrowNoKey() =>
        throw new InvalidOperationException("no current key: state is only reachable while a keyed record or timer is processed");
}
