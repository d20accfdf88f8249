using PyFlow.Engine.Partitioning;

namespace PyFlow.PyBridge.Records;

/// <summary>
/// A Python key in canonical bytes (docs/ARCHITECTURE.md, "Canonical key bytes"): equal keys
/// by value have equal bytes, so keys hash and compare here without Python. The hash is a
/// stable Murmur3, the same in every process.
/// </summary>
[MessagePack.MessagePackFormatter(typeof(Checkpointing.KeyBytesFormatter))]
public readonly struct KeyBytes : IEquatable<KeyBytes>
{
    private readonly byte[] _bytes;
    private readonly int _hash;

    public KeyBytes(byte[] bytes)
    {
        _bytes = bytes;
        _hash = Murmur.Hash(bytes);
    }

    /// <summary>Rebuilds a key whose hash is already known (a record stores the two apart).</summary>
    internal KeyBytes(byte[] bytes, int hash)
    {
        _bytes = bytes;
        _hash = hash;
    }

    public ReadOnlySpan<byte> Span => _bytes;
    public byte[] Bytes => _bytes;

    public bool Equals(KeyBytes other) => _hash == other._hash && _bytes.AsSpan().SequenceEqual(other._bytes);
    public override bool Equals(object? obj) => obj is KeyBytes k && Equals(k);
    public override int GetHashCode() => _hash;
    public override string ToString() => System.Text.Encoding.UTF8.GetString(_bytes);
}
