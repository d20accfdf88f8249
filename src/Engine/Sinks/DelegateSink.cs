using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sinks;

/// <summary>Calls a function for every record (Flink's SinkFunction.invoke). Used by print().</summary>
internal sealed class DelegateSink<T> : IBatchConsumer<T>
{
    private readonly Action<T, long> _write;
    private readonly Action? _end;

    public DelegateSink(Action<T, long> write, Action? end = null)
    {
        _write = write;
        _end = end;
    }

    public void Push(Batch<T> batch)
    {
        for (var i = 0; i < batch.Count; i++) _write(batch.Values[i], batch.Timestamps[i]);
    }

    public void Watermark(long watermark) { }
    public void EndOfInput() => _end?.Invoke();
}
