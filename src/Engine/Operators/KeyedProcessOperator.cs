using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;
using PyFlow.Engine.Timers;

namespace PyFlow.Engine.Operators;

/// <summary>Runs a <see cref="KeyedProcessFunction{TKey,TIn,TOut}"/>: sets the current key, feeds records and fires timers.</summary>
internal sealed class KeyedProcessOperator<TKey, TIn, TOut> : IBatchConsumer<TIn>, IOperatorLifecycle, IDisposable where TKey : notnull
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
        _element = new ElementContext(this);
        _timer = new TimerContext(this);
    }

    public void Open()
    {
        _fn.RuntimeContext = new RuntimeContext(_ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, d => StateHandle(d));
        _fn.Open();
    }

    public void Push(Batch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            var key = _keySelector(values[i]);
            _state.SetCurrentKey(key);
            _element.Key = key;
            _element.Ts = timestamps[i];
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

    public void EndOfInput()
    {
        _fn.Close();
        _out.EndOfInput();
    }

    public void Dispose() => _state.Dispose();

    private void FireTimer(InternalTimerService<TKey>.TimerEntry timer, TimeDomain domain)
    {
        _state.SetCurrentKey(timer.Key);
        _timer.Key = timer.Key;
        _timer.Ts = timer.Time;
        _timer.Domain = domain;
        _collector.Timestamp = domain == TimeDomain.EventTime ? timer.Time : Batch<TOut>.NoTimestamp;
        _fn.OnTimer(timer.Time, _timer, _collector);
        if (domain == TimeDomain.ProcessingTime) _collector.Flush(); // between records: nothing else will flush it soon
    }

    private object StateHandle(StateDescriptor d) => StateFactory.Create(_state, d);

    private sealed class ElementContext : KeyedProcessFunction<TKey, TIn, TOut>.Context, ITimerService
    {
        private readonly KeyedProcessOperator<TKey, TIn, TOut> _op;
        public ElementContext(KeyedProcessOperator<TKey, TIn, TOut> op) => _op = op;
        public TKey Key = default!;
        public long Ts;
        public override long? Timestamp => Ts == Batch<TIn>.NoTimestamp ? null : Ts;
        public override TKey CurrentKey => Key;
        public override ITimerService TimerService => this;
        public override void Output<T>(OutputTag<T> tag, T value) => _op._ctx.SideOutputs.Emit(tag, value, Ts);
        public long CurrentProcessingTime => _op._timers.CurrentProcessingTime;
        public long CurrentWatermark => _op._timers.CurrentWatermark;
        public void RegisterEventTimeTimer(long time) => _op._timers.RegisterEventTimeTimer(Key, VoidNamespace.Instance, time);
        public void RegisterProcessingTimeTimer(long time) => _op._timers.RegisterProcessingTimeTimer(Key, VoidNamespace.Instance, time);
        public void DeleteEventTimeTimer(long time) => _op._timers.DeleteEventTimeTimer(Key, VoidNamespace.Instance, time);
        public void DeleteProcessingTimeTimer(long time) => _op._timers.DeleteProcessingTimeTimer(Key, VoidNamespace.Instance, time);
    }

    private sealed class TimerContext : KeyedProcessFunction<TKey, TIn, TOut>.OnTimerContext, ITimerService
    {
        private readonly KeyedProcessOperator<TKey, TIn, TOut> _op;
        public TimerContext(KeyedProcessOperator<TKey, TIn, TOut> op) => _op = op;
        public TKey Key = default!;
        public long Ts;
        public TimeDomain Domain;
        public override long? Timestamp => Domain == TimeDomain.EventTime ? Ts : null;
        public override TKey CurrentKey => Key;
        public override TimeDomain TimeDomain => Domain;
        public override ITimerService TimerService => this;
        public override void Output<T>(OutputTag<T> tag, T value) => _op._ctx.SideOutputs.Emit(tag, value, Domain == TimeDomain.EventTime ? Ts : Batch<T>.NoTimestamp);
        public long CurrentProcessingTime => _op._timers.CurrentProcessingTime;
        public long CurrentWatermark => _op._timers.CurrentWatermark;
        public void RegisterEventTimeTimer(long time) => _op._timers.RegisterEventTimeTimer(Key, VoidNamespace.Instance, time);
        public void RegisterProcessingTimeTimer(long time) => _op._timers.RegisterProcessingTimeTimer(Key, VoidNamespace.Instance, time);
        public void DeleteEventTimeTimer(long time) => _op._timers.DeleteEventTimeTimer(Key, VoidNamespace.Instance, time);
        public void DeleteProcessingTimeTimer(long time) => _op._timers.DeleteProcessingTimeTimer(Key, VoidNamespace.Instance, time);
    }
}
