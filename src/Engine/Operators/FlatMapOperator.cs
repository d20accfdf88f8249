using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Operators;

/// <summary>Zero or more outputs per input, each with the input's timestamp.</summary>
internal sealed class FlatMapOperator<TIn, TOut> : IBatchConsumer<TIn>
{
    private readonly Action<TIn, ICollector<TOut>> _fn;
    private readonly IBatchConsumer<TOut> _out;
    private readonly BatchCollector<TOut> _collector;

    public FlatMapOperator(Action<TIn, ICollector<TOut>> fn, IBatchConsumer<TOut> output, int batchSize)
    {
        _fn = fn;
        _out = output;
        _collector = new BatchCollector<TOut>(output, batchSize);
    }

    public void Push(Batch<TIn> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            _collector.Timestamp = batch.Timestamps[i];
            _fn(batch.Values[i], _collector);
        }
        _collector.Flush();
    }

    public void Watermark(long watermark) => _out.Watermark(watermark);
    public void WatermarkStatus(bool idle) => _out.WatermarkStatus(idle);
    public void EndOfInput() => _out.EndOfInput();
}

/// <summary>Where a function emits its records.</summary>
public interface ICollector<in T>
{
    void Collect(T value);
}

/// <summary>Gathers collected records into batches for the next consumer.</summary>
internal sealed class BatchCollector<T> : ICollector<T>
{
    private readonly IBatchConsumer<T> _out;
    private readonly int _batchSize;
    private Batch<T> _batch;

    public BatchCollector(IBatchConsumer<T> output, int batchSize)
    {
        _out = output;
        _batchSize = batchSize;
        _batch = new Batch<T>(batchSize);
    }

    /// <summary>Timestamp given to the records collected next.</summary>
    public long Timestamp { get; set; } = Batch<T>.NoTimestamp;

    public void Collect(T value)
    {
        _batch.Add(value, Timestamp);
        if (_batch.IsFull) Flush();
    }

    public void Flush()
    {
        if (_batch.Count == 0) return;
        var full = _batch;
        _batch = new Batch<T>(_batchSize);
        _out.Push(full);
    }
}
