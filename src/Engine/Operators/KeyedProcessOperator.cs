using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;
using PyFlow.Engine.Timers;

namespace PyFlow.Engine.Operators;

/// <summary>Runs a <see cref="KeyedProcessFunction{TKey,TIn,TOut}"/>: sets the current key, feeds records and fires timers.</summary>
internal sealed class KeyedProcessOperator<TKey, TIn, TOut> : IBatchConsumer<TIn>, IOperatorLifecycle, IDisposable, Checkpointing.ICheckpointedOperator where TKey : notnull
{
    private readonly KeyedProcessFunction<TKey, TIn, TOut> _fn;
    private readonly Func<TIn, TKey> _keySelector;
    private readonly IBatchConsumer<TOut> _out;
    private readonly OperatorContext _ctx;
    private readonly BatchCollector<TOut> _collector;
    private readonly IKeyedStateBackend<TKey> _state;
    private readonly InternalTimerService<TKey> _timers;
    private readonly ElementContext _element;
    private readonly TimerContext _timer;

    public KeyedProcessOperator(KeyedProcessFunction<TKey, TIn, TOut> fn, Func<TIn, TKey> keySelector, IBatchConsumer<TOut> output, OperatorContext context)
    {
        _fn = fn.CopyForSubtask<KeyedProcessFunction<TKey, TIn, TOut>>();
        _keySelector = keySelector;
        _out = output;
        _ctx = context;
        _collector = new BatchCollector<TOut>(output, context.Options.BatchSize);
        _state = context.Options.StateBackend.Create<TKey>(context.OperatorName, context.SubtaskIndex, context.Options.Clock);
        _timers = new InternalTimerService<TKey>(context.Timers, FireTimer);
        var scope = new KeyedTimerScope<TKey>(_timers, context.SideOutputs);
        _element = new ElementContext(scope);
        _timer = new TimerContext(scope);
    }

    public void Open()
    {
        _fn.RuntimeContext = new RuntimeContext(_ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, d => StateHandle(d));
        _fn.Open();
    }

    public void SnapshotState(long checkpointId, Stream output) => Checkpointing.KeyedOperatorState.Write(output, _state, _timers);

    public void RestoreState(Stream input) => Checkpointing.KeyedOperatorState.Read(input, _state, _timers);

    public void Push(Batch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            var key = _keySelector(values[i]);
            _state.SetCurrentKey(key);
            _element.Scope.Key = key;
            _element.Scope.Timestamp = timestamps[i];
            _collector.Timestamp = timestamps[i];
            _fn.ProcessElement(values[i], _element, _collector);
        }
        _collector.Flush();
    }

    public void Watermark(long watermark)
    {
        _timers.AdvanceWatermark(watermark);
        _collector.Flush();
        _out.Watermark(watermark);
    }

    public void WatermarkStatus(bool idle) => _out.WatermarkStatus(idle);

    public void EndOfInput()
    {
        _fn.Close();
        _out.EndOfInput();
    }

    public void Dispose() => _state.Dispose();

    private void FireTimer(InternalTimerService<TKey>.TimerEntry timer, TimeDomain domain)
    {
        _state.SetCurrentKey(timer.Key);
        _timer.Scope.EnterTimer(timer, domain);
        _collector.Timestamp = _timer.Scope.Timestamp;
        _fn.OnTimer(timer.Time, _timer, _collector);
        if (domain == TimeDomain.ProcessingTime) _collector.Flush(); // between records: nothing else will flush it soon
    }

    private object StateHandle(StateDescriptor d) => StateFactory.Create(_state, d);

    private sealed class ElementContext : KeyedProcessFunction<TKey, TIn, TOut>.Context
    {
        public readonly KeyedTimerScope<TKey> Scope;
        public ElementContext(KeyedTimerScope<TKey> scope) => Scope = scope;
        public override long? Timestamp => Scope.TimestampOrNull;
        public override TKey CurrentKey => Scope.Key;
        public override ITimerService TimerService => Scope;
        public override void Output<T>(OutputTag<T> tag, T value) => Scope.Output(tag, value);
    }

    private sealed class TimerContext : KeyedProcessFunction<TKey, TIn, TOut>.OnTimerContext
    {
        public readonly KeyedTimerScope<TKey> Scope;
        public TimerContext(KeyedTimerScope<TKey> scope) => Scope = scope;
        public override long? Timestamp => Scope.TimestampOrNull;
        public override TKey CurrentKey => Scope.Key;
        public override TimeDomain TimeDomain => Scope.Domain;
        public override ITimerService TimerService => Scope;
        public override void Output<T>(OutputTag<T> tag, T value) => Scope.Output(tag, value);
    }
}
