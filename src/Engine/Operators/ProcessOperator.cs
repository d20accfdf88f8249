using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Operators;

/// <summary>Runs a <see cref="ProcessFunction{TIn,TOut}"/>: records in, records and side outputs out.</summary>
internal sealed class ProcessOperator<TIn, TOut> : IBatchConsumer<TIn>, IOperatorLifecycle
{
    private readonly ProcessFunction<TIn, TOut> _fn;
    private readonly IBatchConsumer<TOut> _out;
    private readonly OperatorContext _ctx;
    private readonly BatchCollector<TOut> _collector;
    private readonly ElementContext _element;
    private long _watermark = Watermarks.Initial;

    public ProcessOperator(ProcessFunction<TIn, TOut> fn, IBatchConsumer<TOut> output, OperatorContext context)
    {
        _fn = fn.CopyForSubtask<ProcessFunction<TIn, TOut>>();
        _out = output;
        _ctx = context;
        _collector = new BatchCollector<TOut>(output, context.Options.BatchSize);
        _element = new ElementContext(this);
    }

    public void Open()
    {
        _fn.RuntimeContext = new RuntimeContext(_ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, state: null);
        _fn.Open();
    }

    public void Push(Batch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            _element.Ts = timestamps[i];
            _collector.Timestamp = timestamps[i];
            _fn.ProcessElement(values[i], _element, _collector);
        }
        _collector.Flush();
    }

    public void Watermark(long watermark)
    {
        _watermark = watermark;
        _out.Watermark(watermark);
    }

    public void WatermarkStatus(bool idle) => _out.WatermarkStatus(idle);

    public void EndOfInput()
    {
        _fn.Close();
        _out.EndOfInput();
    }

    private sealed class ElementContext : ProcessFunction<TIn, TOut>.Context
    {
        private readonly ProcessOperator<TIn, TOut> _op;
        public ElementContext(ProcessOperator<TIn, TOut> op) => _op = op;
        public long Ts;
        public override long? Timestamp => Ts == Batch<TIn>.NoTimestamp ? null : Ts;
        public override long CurrentWatermark => _op._watermark;
        public override long CurrentProcessingTime => _op._ctx.Timers.Now;
        public override void Output<T>(OutputTag<T> tag, T value) => _op._ctx.SideOutputs.Emit(tag, value, Ts);
    }
}
