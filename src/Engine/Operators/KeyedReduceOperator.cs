using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;

namespace PyFlow.Engine.Operators;

/// <summary>
/// Rolling reduce per key. STREAMING emits every updated value in arrival order per key;
/// BATCH emits only the final value per key at the end of input (Flink's semantics).
/// </summary>
internal sealed class KeyedReduceOperator<T, TKey> : IBatchConsumer<T> where TKey : notnull
{
    private readonly Func<T, TKey> _key;
    private readonly Func<T, T, T> _reduce;
    private readonly IBatchConsumer<T> _out;
    private readonly KeyedValueStore<TKey, T> _state = new();
    private readonly bool _batchMode;
    private readonly int _batchSize;

    public KeyedReduceOperator(Func<T, TKey> key, Func<T, T, T> reduce, IBatchConsumer<T> output, bool batchMode, int batchSize)
    {
        _key = key;
        _reduce = reduce;
        _out = output;
        _batchMode = batchMode;
        _batchSize = batchSize;
    }

    public void Push(Batch<T> batch)
    {
        var emitted = _batchMode ? null : new Batch<T>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var value = batch.Values[i];
            var key = _key(value);
            var next = _state.TryGet(key, out var acc) ? _reduce(acc, value) : value;
            _state.Set(key, next);
            emitted?.Add(next, batch.Timestamps[i]);
        }
        if (emitted is { Count: > 0 }) _out.Push(emitted);
    }

    public void Watermark(long watermark) => _out.Watermark(watermark);

    public void EndOfInput()
    {
        if (_batchMode)
        {
            var collector = new BatchCollector<T>(_out, _batchSize);
            foreach (var (_, value) in _state.Entries) collector.Collect(value);
            collector.Flush();
        }
        _out.EndOfInput();
    }
}
