namespace PyFlow.Engine.Runtime;

/// <summary>
/// The unit of work between operators: a run of records with their event-time timestamps.
/// Struct-of-arrays, so a batch costs two allocations however many records it holds.
/// Operators never mutate a batch they receive: the same batch may be handed to several
/// consumers of a fan-out.
/// </summary>
public sealed class Batch<T>
{
    /// <summary>Timestamp of a record that has none (Flink's <c>Long.MIN_VALUE</c>).</summary>
    public const long NoTimestamp = long.MinValue;

    public T[] Values { get; }
    public long[] Timestamps { get; }
    public int Count { get; private set; }

    public Batch(int capacity)
    {
        Values = new T[capacity];
        Timestamps = new long[capacity];
    }

    public Batch(T[] values, long[] timestamps, int count)
    {
        if (values.Length < count || timestamps.Length < count)
            throw new ArgumentException($"a batch of {count} records needs arrays at least that long");
        Values = values;
        Timestamps = timestamps;
        Count = count;
    }

    public int Capacity => Values.Length;
    public bool IsFull => Count == Values.Length;

    public void Add(T value, long timestamp)
    {
        Values[Count] = value;
        Timestamps[Count] = timestamp;
        Count++;
    }

    public ReadOnlySpan<T> ValueSpan => Values.AsSpan(0, Count);
    public ReadOnlySpan<long> TimestampSpan => Timestamps.AsSpan(0, Count);
}
