using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Operators;

/// <summary>Keeps the records for which the predicate holds.</summary>
internal sealed class FilterOperator<T> : IBatchConsumer<T>
{
    private readonly Func<T, bool> _predicate;
    private readonly IBatchConsumer<T> _out;

    public FilterOperator(Func<T, bool> predicate, IBatchConsumer<T> output)
    {
        _predicate = predicate;
        _out = output;
    }

    public void Push(Batch<T> batch)
    {
        var kept = new Batch<T>(batch.Count);
        var values = batch.Values;
        var ts = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
            if (_predicate(values[i])) kept.Add(values[i], ts[i]);
        if (kept.Count > 0) _out.Push(kept);
    }

    public void Watermark(long watermark) => _out.Watermark(watermark);
    public void WatermarkStatus(bool idle) => _out.WatermarkStatus(idle);
    public void EndOfInput() => _out.EndOfInput();
}
