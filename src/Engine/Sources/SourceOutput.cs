using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sources;

/// <summary>
/// Where a source reader puts its records: one at a time into the subtask's current batch, or
/// as whole batches (records that arrived already batched, possibly still in a wire form, are
/// handed on without a copy).
/// </summary>
public sealed class SourceOutput<T>
{
    private readonly IBatchConsumer<T> _head;
    private readonly int _batchSize;
    private Batch<T> _current;

    private readonly SideOutputs _sides;

    internal SourceOutput(IBatchConsumer<T> head, int batchSize, SideOutputs sides)
    {
        _head = head;
        _batchSize = batchSize;
        _sides = sides;
        _current = new Batch<T>(batchSize);
    }

    /// <summary>
    /// Emits a record to a side output of the source (bad input lines, say), after the records
    /// collected before it. A source's side output must be read: a record for a tag nobody reads
    /// fails the job rather than vanish.
    /// </summary>
    public void EmitSide<TSide>(Api.OutputTag<TSide> tag, TSide value, long timestamp)
    {
        if (!_sides.Consumes(tag))
            throw new InvalidOperationException($"the source emitted to side output '{tag.Id}', but nothing reads it: read it with GetSideOutput(tag), or choose another error policy");
        Flush();
        _sides.Emit(tag, value, timestamp);
    }

    /// <summary>Records that fit in the current batch.</summary>
    public int Room => _current.Capacity - _current.Count;

    public void Collect(T value, long timestamp)
    {
        _current.Add(value, timestamp);
        if (_current.IsFull) Flush();
    }

    /// <summary>Emits an event-time watermark after the records collected before it (watermarking sources only; it must not go back).</summary>
    public void EmitWatermark(long watermark)
    {
        Flush();
        _head.Watermark(watermark);
        _sides.Watermark(watermark);
    }

    /// <summary>Marks this subtask's output idle (it then does not hold back downstream watermarks) or active again.</summary>
    public void EmitWatermarkStatus(bool idle)
    {
        Flush();
        _head.WatermarkStatus(idle);
    }

    /// <summary>Hands on a whole batch, after the records collected before it.</summary>
    public void Emit(Batch<T> batch)
    {
        Flush();
        if (batch.Count > 0) _head.Push(batch);
    }

    internal void Flush()
    {
        if (_current.Count == 0) return;
        var full = _current;
        _current = new Batch<T>(_batchSize);
        _head.Push(full);
    }
}
