using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;

namespace PyFlow.Engine.Operators;

/// <summary>
/// Rolling reduce per key. STREAMING emits every updated value in arrival order per key;
/// BATCH emits only the final value per key at the end of input (Flink's semantics).
/// </summary>
internal sealed class KeyedReduceOperator<T, TKey> : IBatchConsumer<T>, IDisposable, Checkpointing.ICheckpointedOperator where TKey : notnull
{
    private readonly Func<T, TKey> _key;
    private readonly Func<T, T, T> _reduce;
    private readonly IBatchConsumer<T> _out;
    private const string StateName = "reduce";
    private readonly IKeyedStateBackend<TKey> _backend;
    private readonly IValueState<T> _state;
    private readonly bool _batchMode;
    private readonly int _batchSize;

    public KeyedReduceOperator(Func<T, TKey> key, Func<T, T, T> reduce, IBatchConsumer<T> output, OperatorContext context)
    {
        _key = key;
        _reduce = reduce;
        _out = output;
        _batchMode = context.Options.RuntimeMode == Api.RuntimeExecutionMode.Batch;
        _batchSize = context.Options.BatchSize;
        _backend = context.Options.StateBackend.Create<TKey>(context.OperatorName, context.SubtaskIndex, context.Options.Clock);
        _state = _backend.GetValueState(new ValueStateDescriptor<T>(StateName));
    }

    public void SnapshotState(long checkpointId, Stream output) => Checkpointing.KeyedOperatorState.Write<TKey>(output, _backend, null);

    public void RestoreState(Stream input) => Checkpointing.KeyedOperatorState.Read<TKey>(input, _backend, null);

    public void Push(Batch<T> batch)
    {
        var emitted = _batchMode ? null : new Batch<T>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var value = batch.Values[i];
            _backend.SetCurrentKey(_key(value));
            var next = _state.TryGetValue(out var acc) ? _reduce(acc, value) : value;
            _state.Update(next);
            emitted?.Add(next, batch.Timestamps[i]);
        }
        if (emitted is { Count: > 0 }) _out.Push(emitted);
    }

    public void Watermark(long watermark) => _out.Watermark(watermark);
    public void WatermarkStatus(bool idle) => _out.WatermarkStatus(idle);

    public void EndOfInput()
    {
        if (_batchMode)
        {
            var collector = new BatchCollector<T>(_out, _batchSize);
            foreach (var key in _backend.Keys(StateName, VoidNamespace.Instance))
            {
                _backend.SetCurrentKey(key);
                collector.Collect(_state.Value()!);
            }
            collector.Flush();
        }
        _out.EndOfInput();
    }

    public void Dispose() => _backend.Dispose();
}
