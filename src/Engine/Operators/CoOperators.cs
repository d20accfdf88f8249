using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Operators;

/// <summary>Co-flat-map (and co-map, which emits one record): a function per input, one output; timestamps kept.</summary>
internal sealed class CoFlatMapOperator<T1, T2, TOut> : ITwoInputConsumer<T1, T2>
{
    private readonly Action<T1, ICollector<TOut>> _first;
    private readonly Action<T2, ICollector<TOut>> _second;
    private readonly IBatchConsumer<TOut> _out;
    private readonly BatchCollector<TOut> _collector;

    public CoFlatMapOperator(Action<T1, ICollector<TOut>> first, Action<T2, ICollector<TOut>> second, IBatchConsumer<TOut> output, int batchSize)
    {
        _first = first;
        _second = second;
        _out = output;
        _collector = new BatchCollector<TOut>(output, batchSize);
    }

    public void Push1(Batch<T1> batch) => Run(batch, _first);
    public void Push2(Batch<T2> batch) => Run(batch, _second);

    private void Run<T>(Batch<T> batch, Action<T, ICollector<TOut>> fn)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            _collector.Timestamp = batch.Timestamps[i];
            fn(batch.Values[i], _collector);
        }
        _collector.Flush();
    }

    public void Watermark(long watermark) => _out.Watermark(watermark);
    public void EndOfInput() => _out.EndOfInput();
}

/// <summary>Runs a <see cref="CoProcessFunction{T1,T2,TOut}"/>.</summary>
internal sealed class CoProcessOperator<T1, T2, TOut> : ITwoInputConsumer<T1, T2>, IOperatorLifecycle
{
    private readonly CoProcessFunction<T1, T2, TOut> _fn;
    private readonly IBatchConsumer<TOut> _out;
    private readonly OperatorContext _ctx;
    private readonly BatchCollector<TOut> _collector;
    private readonly Ctx _context;

    public CoProcessOperator(CoProcessFunction<T1, T2, TOut> fn, IBatchConsumer<TOut> output, OperatorContext context)
    {
        _fn = fn.CopyForSubtask<CoProcessFunction<T1, T2, TOut>>();
        _out = output;
        _ctx = context;
        _collector = new BatchCollector<TOut>(output, context.Options.BatchSize);
        _context = new Ctx(context.SideOutputs);
    }

    public void Open()
    {
        _fn.RuntimeContext = new RuntimeContext(_ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, state: null);
        _fn.Open();
    }

    public void Push1(Batch<T1> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            _context.Ts = _collector.Timestamp = batch.Timestamps[i];
            _fn.ProcessElement1(batch.Values[i], _context, _collector);
        }
        _collector.Flush();
    }

    public void Push2(Batch<T2> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            _context.Ts = _collector.Timestamp = batch.Timestamps[i];
            _fn.ProcessElement2(batch.Values[i], _context, _collector);
        }
        _collector.Flush();
    }

    public void Watermark(long watermark)
    {
        _context.Wm = watermark;
        _out.Watermark(watermark);
        _ctx.SideOutputs.Watermark(watermark);
    }

    public void EndOfInput()
    {
        _fn.Close();
        _out.EndOfInput();
        _ctx.SideOutputs.EndOfInput();
    }

    private sealed class Ctx : CoProcessFunction<T1, T2, TOut>.Context
    {
        private readonly SideOutputs _sides;
        public Ctx(SideOutputs sides) => _sides = sides;
        public long Ts;
        public long Wm = Watermarks.Initial;
        public override long? Timestamp => Ts == Batch<TOut>.NoTimestamp ? null : Ts;
        public override long CurrentWatermark => Wm;
        public override void Output<T>(OutputTag<T> tag, T value) => _sides.Emit(tag, value, Ts);
    }
}
