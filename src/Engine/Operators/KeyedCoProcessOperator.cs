using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;
using PyFlow.Engine.Timers;

namespace PyFlow.Engine.Operators;

/// <summary>Runs a <see cref="KeyedCoProcessFunction{TKey,T1,T2,TOut}"/>: both inputs keyed alike, one keyed state, timers.</summary>
internal sealed class KeyedCoProcessOperator<TKey, T1, T2, TOut> : ITwoInputConsumer<T1, T2>, IOperatorLifecycle, IDisposable, Checkpointing.ICheckpointedOperator where TKey : notnull
{
    private readonly KeyedCoProcessFunction<TKey, T1, T2, TOut> _fn;
    private readonly Func<T1, TKey> _key1;
    private readonly Func<T2, TKey> _key2;
    private readonly IBatchConsumer<TOut> _out;
    private readonly OperatorContext _ctx;
    private readonly BatchCollector<TOut> _collector;
    private readonly IKeyedStateBackend<TKey> _state;
    private readonly InternalTimerService<TKey> _timers;
    private readonly KeyedTimerScope<TKey> _scope;
    private readonly Ctx _context;

    public KeyedCoProcessOperator(KeyedCoProcessFunction<TKey, T1, T2, TOut> fn, Func<T1, TKey> key1, Func<T2, TKey> key2, IBatchConsumer<TOut> output, OperatorContext context)
    {
        _fn = fn.CopyForSubtask<KeyedCoProcessFunction<TKey, T1, T2, TOut>>();
        _key1 = key1;
        _key2 = key2;
        _out = output;
        _ctx = context;
        _collector = new BatchCollector<TOut>(output, context.Options.BatchSize);
        _state = context.Options.StateBackend.Create<TKey>(context.OperatorName, context.SubtaskIndex, context.Options.Clock);
        _timers = new InternalTimerService<TKey>(context.Timers, FireTimer);
        _scope = new KeyedTimerScope<TKey>(_timers, context.SideOutputs);
        _context = new Ctx(_scope);
    }

    public void Open()
    {
        _fn.RuntimeContext = new RuntimeContext(_ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, d => StateFactory.Create(_state, d));
        _fn.Open();
    }

    public void Push1(Batch<T1> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            Enter(_key1(batch.Values[i]), batch.Timestamps[i]);
            _fn.ProcessElement1(batch.Values[i], _context, _collector);
        }
        _collector.Flush();
    }

    public void Push2(Batch<T2> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            Enter(_key2(batch.Values[i]), batch.Timestamps[i]);
            _fn.ProcessElement2(batch.Values[i], _context, _collector);
        }
        _collector.Flush();
    }

    private void Enter(TKey key, long timestamp)
    {
        _state.SetCurrentKey(key);
        _scope.Key = key;
        _scope.Timestamp = _collector.Timestamp = timestamp;
    }

    public void Watermark(long watermark)
    {
        _timers.AdvanceWatermark(watermark);
        _collector.Flush();
        _out.Watermark(watermark);
        _ctx.SideOutputs.Watermark(watermark);
    }

    public void EndOfInput()
    {
        _fn.Close();
        _out.EndOfInput();
        _ctx.SideOutputs.EndOfInput();
    }

    public void Dispose() => _state.Dispose();

    public void SnapshotState(long checkpointId, Stream output) => Checkpointing.KeyedOperatorState.Write(output, _state, _timers);

    public void RestoreState(Stream input) => Checkpointing.KeyedOperatorState.Read(input, _state, _timers);

    private void FireTimer(InternalTimerService<TKey>.TimerEntry timer, TimeDomain domain)
    {
        _state.SetCurrentKey(timer.Key);
        _scope.EnterTimer(timer, domain);
        _collector.Timestamp = _scope.Timestamp;
        _fn.OnTimer(timer.Time, _context, _collector);
        if (domain == TimeDomain.ProcessingTime) _collector.Flush();
    }

    private sealed class Ctx : KeyedCoProcessFunction<TKey, T1, T2, TOut>.OnTimerContext
    {
        private readonly KeyedTimerScope<TKey> _scope;
        public Ctx(KeyedTimerScope<TKey> scope) => _scope = scope;
        public override long? Timestamp => _scope.TimestampOrNull;
        public override TKey CurrentKey => _scope.Key;
        public override ITimerService TimerService => _scope;
        public override TimeDomain TimeDomain => _scope.Domain;
        public override void Output<T>(OutputTag<T> tag, T value) => _scope.Output(tag, value);
    }
}
