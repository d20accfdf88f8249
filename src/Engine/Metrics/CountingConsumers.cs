using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Metrics;

/// <summary>Counts the records of every batch that passes, then hands the batch on unchanged.</summary>
internal sealed class CountingConsumer<T> : IBatchConsumer<T>
{
    private readonly IBatchConsumer<T> _inner;
    private readonly RecordCounter _counter;

    public CountingConsumer(IBatchConsumer<T> inner, RecordCounter counter)
    {
        _inner = inner;
        _counter = counter;
    }

    public void Push(Batch<T> batch)
    {
        _counter.Add(batch.Count); // Count never decodes a batch held in wire form
        _inner.Push(batch);
    }

    public void Watermark(long watermark) => _inner.Watermark(watermark);

    public void EndOfInput() => _inner.EndOfInput();

    public void WatermarkStatus(bool idle) => _inner.WatermarkStatus(idle);
}

/// <summary>Counts the records of both inputs of a two-input operator into one counter.</summary>
internal sealed class CountingTwoInputConsumer<T1, T2> : ITwoInputConsumer<T1, T2>
{
    private readonly ITwoInputConsumer<T1, T2> _inner;
    private readonly RecordCounter _counter;

    public CountingTwoInputConsumer(ITwoInputConsumer<T1, T2> inner, RecordCounter counter)
    {
        _inner = inner;
        _counter = counter;
    }

    public void Push1(Batch<T1> batch)
    {
        _counter.Add(batch.Count);
        _inner.Push1(batch);
    }

    public void Push2(Batch<T2> batch)
    {
        _counter.Add(batch.Count);
        _inner.Push2(batch);
    }

    public void Watermark(long watermark) => _inner.Watermark(watermark);

    public void EndOfInput() => _inner.EndOfInput();
}
