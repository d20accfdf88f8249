using RocksDbSharp;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// Tuning of a <see cref="RocksDbKeyedStateBackend{TKey}"/>. The defaults suit a small machine
/// (2 cores). RocksDB's memory lives outside the managed heap: the write buffers and the block
/// cache are bounded; indexes and bloom filters of the table files grow slowly with the data
/// (about 1.3 bytes a key).
/// </summary>
public sealed record RocksDbOptions
{
    /// <summary>
    /// Number of key groups (Flink's maxParallelism): the first two bytes of every RocksDB key,
    /// so a snapshot can later be split by key group when rescaling. At most 32768.
    /// </summary>
    public int MaxParallelism { get; init; } = 128;

    /// <summary>Size of one memtable of one state (RocksDB's write_buffer_size); two may exist while one flushes.</summary>
    public long WriteBufferBytes { get; init; } = 64L << 20;

    /// <summary>Bound on the memtables of all states together (db_write_buffer_size): one column family per state must not multiply memory.</summary>
    public long TotalWriteBufferBytes { get; init; } = 256L << 20;

    /// <summary>LRU cache of data, index and filter blocks, shared by all states of the backend.</summary>
    public long BlockCacheBytes { get; init; } = 64L << 20;

    /// <summary>Threads for flushes and compactions (max_background_jobs).</summary>
    public int BackgroundJobs { get; init; } = 2;

    /// <summary>
    /// Delete the directory when the backend is disposed. Flink treats a RocksDB instance's
    /// directory as scratch space (state is made durable by checkpoints), so a backend that made
    /// its own directory should say true; the default leaves a caller's directory alone.
    /// </summary>
    public bool DeleteDirectoryOnDispose { get; init; }

    internal void Validate()
    {
        if (MaxParallelism is < 1 or > 1 << 15)
            throw new ArgumentOutOfRangeException(nameof(MaxParallelism), MaxParallelism, "the number of key groups must be between 1 and 32768 (two bytes of every key)");
        Positive(WriteBufferBytes, nameof(WriteBufferBytes));
        Positive(TotalWriteBufferBytes, nameof(TotalWriteBufferBytes));
        Positive(BlockCacheBytes, nameof(BlockCacheBytes));
        Positive(BackgroundJobs, nameof(BackgroundJobs));
    }

    private static void Positive(long value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"RocksDbOptions.{name} must be positive");
    }

    internal DbOptions CreateDbOptions() => new DbOptions()
        .SetCreateIfMissing(true)
        .SetCreateMissingColumnFamilies(true)
        .IncreaseParallelism(BackgroundJobs)
        .SetDbWriteBufferSize((ulong)TotalWriteBufferBytes)
        .SetMaxOpenFiles(-1) // Flink's choice: keep table files open, no table-cache misses
        .SetInfoLogLevel(InfoLogLevel.Warn)
        .SetKeepLogFileNum(2)
        .SetStatsDumpPeriodSec(0);

    /// <summary>Options of every state's column family; all share <paramref name="cache"/> and carry the list merge operator.</summary>
    internal ColumnFamilyOptions CreateColumnFamilyOptions(Cache cache, MergeOperator listMerge)
    {
        var table = new BlockBasedTableOptions()
            .SetBlockCache(cache)
            // Point lookups (every value read) skip table files by the bloom filter. Indexes and
            // filters stay in the table readers, outside the cache (Flink's default; about 1.3
            // bytes a key): in a 64 MiB cache, data blocks evicted the whole-file filters and
            // each random read reloaded one (bench/StateMemory: 3.5k reads/s against 179k).
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
            .SetWholeKeyFiltering(true)
            .SetCacheIndexAndFilterBlocks(false);
        return new ColumnFamilyOptions()
            .SetBlockBasedTableFactory(table)
            .SetWriteBufferSize((ulong)WriteBufferBytes)
            .SetMaxWriteBufferNumber(2)
            .SetCompression(Compression.Lz4)
            .SetLevelCompactionDynamicLevelBytes(true)
            .SetMergeOperator(listMerge);
    }
}
