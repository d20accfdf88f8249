using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Operators;
using PyFlow.Engine.State;
using PyFlow.Engine.Windowing;
using PyFlow.Engine.Windowing.Assigners;
using PyFlow.Engine.Windowing.Triggers;

namespace PyFlow.Engine.Api;

/// <summary>
/// A keyed stream cut into windows (Flink's WindowedStream). Choose the trigger, allowed
/// lateness and late-data side output, then how a window becomes results: reduce, aggregate or
/// a process function.
/// </summary>
public sealed class WindowedStream<T, TKey, W> where TKey : notnull where W : Window
{
    private readonly KeyedStream<T, TKey> _input;
    private readonly WindowAssigner<T, W> _assigner;
    private readonly bool _nonParallel;
    private Trigger<T, W>? _trigger;
    private TimeSpan _lateness = TimeSpan.Zero;
    private OutputTag<T>? _lateTag;

    internal WindowedStream(KeyedStream<T, TKey> input, WindowAssigner<T, W> assigner, bool nonParallel)
    {
        _input = input;
        _assigner = assigner;
        _nonParallel = nonParallel;
    }

    public WindowedStream<T, TKey, W> Trigger(Trigger<T, W> trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (_assigner.IsMerging && !trigger.CanMerge)
            throw new ArgumentException($"{trigger.GetType().Name} cannot be used with merging (session) windows; use an event-time or processing-time trigger");
        _trigger = trigger;
        return this;
    }

    /// <summary>How long after the watermark passes a window's end late records still update it (and fire it again).</summary>
    public WindowedStream<T, TKey, W> AllowedLateness(TimeSpan lateness)
    {
        if (lateness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lateness), lateness, "allowed lateness cannot be negative");
        _lateness = lateness;
        return this;
    }

    /// <summary>Records too late for every window go to this side output instead of being dropped.</summary>
    public WindowedStream<T, TKey, W> SideOutputLateData(OutputTag<T> tag)
    {
        _lateTag = tag ?? throw new ArgumentNullException(nameof(tag));
        return this;
    }

    public DataStream<T> Reduce(Func<T, T, T> reduce, string name = "Window Reduce") =>
        Build(name, () => new WindowContents<TKey, T, Reduced<T>, T, W>
        {
            Accumulate = new Accumulators.Reducing<T>(reduce),
            Emit = (_, acc, _, output) => output.Collect(acc.Value),
        });

    /// <summary>Reduce, then <paramref name="function"/> sees the single reduced value per window.</summary>
    public DataStream<TOut> Reduce<TOut>(Func<T, T, T> reduce, ProcessWindowFunction<T, TOut, TKey, W> function, string name = "Window Reduce") =>
        Build(name, () =>
        {
            var fn = function.CopyForSubtask<ProcessWindowFunction<T, TOut, TKey, W>>();
            return new WindowContents<TKey, T, Reduced<T>, TOut, W>
            {
                Accumulate = new Accumulators.Reducing<T>(reduce),
                Emit = (key, acc, ctx, output) => fn.Process(key, ctx, new[] { acc.Value }, output),
                Clear = fn.Clear,
                Function = fn,
            };
        });

    public DataStream<TOut> Aggregate<TAcc, TOut>(IAggregateFunction<T, TAcc, TOut> aggregate, string name = "Window Aggregate") =>
        Build(name, () => new WindowContents<TKey, T, TAcc, TOut, W>
        {
            Accumulate = new Accumulators.Aggregating<T, TAcc, TOut>(aggregate),
            Emit = (_, acc, _, output) => output.Collect(aggregate.GetResult(acc)),
        });

    /// <summary>Aggregate, then <paramref name="function"/> sees the single aggregate per window.</summary>
    public DataStream<TOut> Aggregate<TAcc, TValue, TOut>(IAggregateFunction<T, TAcc, TValue> aggregate, ProcessWindowFunction<TValue, TOut, TKey, W> function, string name = "Window Aggregate") =>
        Build(name, () =>
        {
            var fn = function.CopyForSubtask<ProcessWindowFunction<TValue, TOut, TKey, W>>();
            return new WindowContents<TKey, T, TAcc, TOut, W>
            {
                Accumulate = new Accumulators.Aggregating<T, TAcc, TValue>(aggregate),
                Emit = (key, acc, ctx, output) => fn.Process(key, new ContextAdapter<TValue, TOut>(ctx), new[] { aggregate.GetResult(acc) }, output),
                Clear = ctx => fn.Clear(new ContextAdapter<TValue, TOut>(ctx)),
                Function = fn,
            };
        });

    /// <summary><paramref name="function"/> sees every record of the window.</summary>
    public DataStream<TOut> Process<TOut>(ProcessWindowFunction<T, TOut, TKey, W> function, string name = "Window Process") =>
        Build(name, () =>
        {
            var fn = function.CopyForSubtask<ProcessWindowFunction<T, TOut, TKey, W>>();
            return new WindowContents<TKey, T, List<T>, TOut, W>
            {
                Accumulate = new Accumulators.All<T>(),
                Emit = (key, all, ctx, output) => fn.Process(key, ctx, all, output),
                Clear = fn.Clear,
                Function = fn,
            };
        });

    private DataStream<TOut> Build<TAcc, TOut>(string name, Func<WindowContents<TKey, T, TAcc, TOut, W>> contents)
    {
        var trigger = _trigger ?? _assigner.DefaultTrigger;
        var stream = _input.Transform<TOut>(name, (ctx, output) =>
            new WindowOperator<TKey, T, TAcc, TOut, W>(_input.KeySelector, _assigner, trigger, contents(), _lateness, _lateTag, output, ctx));
        if (_nonParallel) stream.SetParallelism(1); // window_all runs at parallelism 1, as in Flink
        return stream;
    }

    /// <summary>Presents the window context of the contents' type to a function over the aggregate's type.</summary>
    private sealed class ContextAdapter<TIn2, TOut2> : ProcessWindowFunction<TIn2, TOut2, TKey, W>.Context
    {
        private readonly ProcessWindowFunction<T, TOut2, TKey, W>.Context _inner;
        public ContextAdapter(object inner) => _inner = (ProcessWindowFunction<T, TOut2, TKey, W>.Context)inner;
        public override W Window => _inner.Window;
        public override long CurrentWatermark => _inner.CurrentWatermark;
        public override long CurrentProcessingTime => _inner.CurrentProcessingTime;
        public override void Output<TSide>(OutputTag<TSide> tag, TSide value) => _inner.Output(tag, value);
    }
}
