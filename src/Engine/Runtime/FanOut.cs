namespace PyFlow.Engine.Runtime;

/// <summary>One output feeding several consumers (a stream used twice). Batches are shared, never copied.</summary>
internal sealed class FanOut<T> : IBatchConsumer<T>, ISideChannel
{
    private readonly IBatchConsumer<T>[] _consumers;

    public FanOut(IBatchConsumer<T>[] consumers) => _consumers = consumers;

    public void Push(Batch<T> batch)
    {
        foreach (var c in _consumers) c.Push(batch);
    }

    public void Watermark(long watermark)
    {
        foreach (var c in _consumers) c.Watermark(watermark);
    }

    public void WatermarkStatus(bool idle)
    {
        foreach (var c in _consumers) c.WatermarkStatus(idle);
    }

    public void EndOfInput()
    {
        foreach (var c in _consumers) c.EndOfInput();
    }
}
