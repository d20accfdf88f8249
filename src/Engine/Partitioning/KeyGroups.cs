namespace PyFlow.Engine.Partitioning;

/// <summary>
/// Flink's key-group arithmetic: a key hashes to one of maxParallelism key groups, and key
/// groups map to subtasks in contiguous ranges. State is kept per key group, so a job can
/// later be rescaled by moving whole key groups.
/// </summary>
public static class KeyGroups
{
    /// <summary>Key group of a key's hash code (Flink: murmur(hashCode) % maxParallelism).</summary>
    public static int Of(int hashCode, int maxParallelism) => (int)((uint)Murmur.Mix(hashCode) % (uint)maxParallelism);

    /// <summary>Subtask owning <paramref name="keyGroup"/> (Flink: keyGroup * parallelism / maxParallelism).</summary>
    public static int Subtask(int keyGroup, int maxParallelism, int parallelism) => keyGroup * parallelism / maxParallelism;
}

/// <summary>Murmur3 finalisers: spread poor hash codes (small ints, say) over all bits.</summary>
public static class Murmur
{
    public static int Mix(int h)
    {
        uint k = (uint)h;
        k *= 0xcc9e2d51; k = (k << 15) | (k >> 17); k *= 0x1b873593;
        uint x = k;
        x = (x << 13) | (x >> 19); x = x * 5 + 0xe6546b64;
        x ^= 4;
        x ^= x >> 16; x *= 0x85ebca6b; x ^= x >> 13; x *= 0xc2b2ae35; x ^= x >> 16;
        return (int)x;
    }

    /// <summary>Murmur3 (32-bit) of a byte string: a stable hash, the same in every process.</summary>
    public static int Hash(ReadOnlySpan<byte> data, uint seed = 0x9747b28c)
    {
        uint h = seed;
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            uint k = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            k *= 0xcc9e2d51; k = (k << 15) | (k >> 17); k *= 0x1b873593;
            h ^= k; h = (h << 13) | (h >> 19); h = h * 5 + 0xe6546b64;
        }
        uint t = 0;
        switch (data.Length & 3)
        {
            case 3: t ^= (uint)data[i + 2] << 16; goto case 2;
            case 2: t ^= (uint)data[i + 1] << 8; goto case 1;
            case 1:
                t ^= data[i];
                t *= 0xcc9e2d51; t = (t << 15) | (t >> 17); t *= 0x1b873593; h ^= t;
                break;
        }
        h ^= (uint)data.Length;
        h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
        return (int)h;
    }
}
