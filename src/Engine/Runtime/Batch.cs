namespace PyFlow.Engine.Runtime;

/// <summary>
/// The unit of work between operators: a run of records with their event-time timestamps.
/// Struct-of-arrays, so a batch costs two allocations however many records it holds.
/// Operators never mutate a batch they receive: the same batch may be handed to several
/// consumers of a fan-out.
/// </summary>
/// <remarks>
/// A batch that arrived in a serialized form (an Arrow IPC payload from a Python worker, say)
/// may keep that form as <see cref="WireForm"/> and decode its records only when someone reads
/// <see cref="Values"/> or <see cref="Timestamps"/>. A consumer that can use the wire form
/// whole (a sink that sends it on) then never touches a record. Decoding happens at most once,
/// on the thread of the subtask that owns the batch.
/// </remarks>
public sealed class Batch<T>
{
    /// <summary>Timestamp of a record that has none (Flink's <c>Long.MIN_VALUE</c>).</summary>
    public const long NoTimestamp = long.MinValue;

    private T[]? _values;
    private long[]? _timestamps;
    private Func<(T[] Values, long[] Timestamps)>? _decode;

    public Batch(int capacity)
    {
        _values = new T[capacity];
        _timestamps = new long[capacity];
    }

    public Batch(T[] values, long[] timestamps, int count)
    {
        if (values.Length < count || timestamps.Length < count)
            throw new ArgumentException($"a batch of {count} records needs arrays at least that long");
        _values = values;
        _timestamps = timestamps;
        Count = count;
    }

    /// <summary>A batch of <paramref name="count"/> records held as <paramref name="wireForm"/>, decoded by <paramref name="decode"/> on first use.</summary>
    public Batch(int count, object wireForm, Func<(T[] Values, long[] Timestamps)> decode)
    {
        Count = count;
        WireForm = wireForm;
        _decode = decode;
    }

    /// <summary>The serialized form these records arrived in, if any; it always holds exactly these records.</summary>
    public object? WireForm { get; }

    public T[] Values => _values ?? Decode().Values;
    public long[] Timestamps => _timestamps ?? Decode().Timestamps;
    public int Count { get; private set; }

    public int Capacity => Values.Length;
    public bool IsFull => Count == Values.Length;

    public void Add(T value, long timestamp)
    {
        if (WireForm != null) throw new InvalidOperationException("a batch that holds a wire form is read-only");
        _values![Count] = value;
        _timestamps![Count] = timestamp;
        Count++;
    }

    public ReadOnlySpan<T> ValueSpan => Values.AsSpan(0, Count);
    public ReadOnlySpan<long> TimestampSpan => Timestamps.AsSpan(0, Count);

    private (T[] Values, long[] Timestamps) Decode()
    {
        var (values, timestamps) = _decode!();
        if (values.Length < Count || timestamps.Length < Count)
            throw new InvalidDataException($"a batch of {Count} records decoded to {values.Length} values and {timestamps.Length} timestamps");
        _values = values;
        _timestamps = timestamps;
        _decode = null;
        return (values, timestamps);
    }
}
