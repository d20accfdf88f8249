using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Operators;

/// <summary>One output per input; the output keeps the input's timestamp.</summary>
internal sealed class MapOperator<TIn, TOut> : IBatchConsumer<TIn>
{
    private readonly Func<TIn, TOut> _fn;
    private readonly IBatchConsumer<TOut> _out;

    public MapOperator(Func<TIn, TOut> fn, IBatchConsumer<TOut> output)
    {
        _fn = fn;
        _out = output;
    }

    public void Push(Batch<TIn> batch)
    {
        var n = batch.Count;
        var values = new TOut[n];
        var input = batch.Values;
        for (var i = 0; i < n; i++) values[i] = _fn(input[i]);
        _out.Push(new Batch<TOut>(values, batch.Timestamps, n)); // timestamps are shared: batches are immutable
    }

    public void Watermark(long watermark) => _out.Watermark(watermark);
    public void WatermarkStatus(bool idle) => _out.WatermarkStatus(idle);
    public void EndOfInput() => _out.EndOfInput();
}
