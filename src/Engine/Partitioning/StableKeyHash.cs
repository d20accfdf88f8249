using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PyFlow.Engine.Partitioning;

/// <summary>
/// A key's hash that is the same in every process, so the key group a key is routed to (and
/// stored under) survives a restart. .NET randomizes <c>string.GetHashCode</c> per process; Java's
/// String.hashCode, which Flink relies on, is stable. Strings hash with Murmur3 over their
/// UTF-16 code units; tuples combine their elements' stable hashes; primitives use their own
/// (stable) hash codes. Other types use <see cref="object.GetHashCode"/>, which is stable for
/// records of primitives but not for types that hash strings inside: key those by a string or a
/// tuple instead.
/// </summary>
public static class StableKeyHash
{
    public static int Of<TKey>(TKey key) where TKey : notnull => key switch
    {
        string s => Murmur.Hash(MemoryMarshal.AsBytes(s.AsSpan())),
        ITuple t => OfTuple(t),
        _ => EqualityComparer<TKey>.Default.GetHashCode(key),
    };

    private static int OfTuple(ITuple t)
    {
        var h = 17;
        for (var i = 0; i < t.Length; i++)
            h = h * 31 + (t[i] is { } item ? Of(item) : 0);
        return h;
    }
}
