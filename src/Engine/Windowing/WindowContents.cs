using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Operators;
using PyFlow.Engine.State;

namespace PyFlow.Engine.Windowing;

/// <summary>
/// What a window keeps and what it emits: an accumulator built from its records (merged when
/// sessions merge), and the function that turns it into results when the window fires.
/// </summary>
internal sealed class WindowContents<TKey, TIn, TAcc, TOut, W> where W : Window
{
    public required IAggregateFunction<TIn, TAcc, TAcc> Accumulate { get; init; }
    public required Action<TKey, TAcc, ProcessWindowFunction<TIn, TOut, TKey, W>.Context, ICollector<TOut>> Emit { get; init; }
    public Action<ProcessWindowFunction<TIn, TOut, TKey, W>.Context>? Clear { get; init; }
    public RichFunction? Function { get; init; }

    /// <summary>
    /// Called after each round of firings (a batch of records, a watermark's timers, a processing-time
    /// timer), before the watermark moves on: for window functions that compute all firings of a round
    /// at once (Python's, in one worker call) and emit then.
    /// </summary>
    public Action<ICollector<TOut>>? AfterFirings { get; init; }
}

/// <summary>Accumulators of the window kinds: every record (process), a running reduce, a user aggregate.</summary>
internal static class Accumulators
{
    public sealed class All<T> : IAggregateFunction<T, List<T>, List<T>>
    {
        public List<T> CreateAccumulator() => new();
        public List<T> Add(T value, List<T> acc) { acc.Add(value); return acc; }
        public List<T> GetResult(List<T> acc) => acc;
        public List<T> Merge(List<T> a, List<T> b) { a.AddRange(b); return a; }
    }

    /// <summary>A reduce as an aggregate: the accumulator holds the value once it has one.</summary>
    public sealed class Reducing<T> : IAggregateFunction<T, Reduced<T>, Reduced<T>>
    {
        private readonly Func<T, T, T> _reduce;
        public Reducing(Func<T, T, T> reduce) => _reduce = reduce;
        public Reduced<T> CreateAccumulator() => new(false, default!);
        public Reduced<T> Add(T value, Reduced<T> acc) => acc.Has ? new(true, _reduce(acc.Value, value)) : new(true, value);
        public Reduced<T> GetResult(Reduced<T> acc) => acc;
        public Reduced<T> Merge(Reduced<T> a, Reduced<T> b) => !a.Has ? b : !b.Has ? a : new(true, _reduce(a.Value, b.Value));
    }

    /// <summary>A user aggregate, keeping its accumulator (results are computed on firing).</summary>
    public sealed class Aggregating<TIn, TAcc, TOut> : IAggregateFunction<TIn, TAcc, TAcc>
    {
        private readonly IAggregateFunction<TIn, TAcc, TOut> _fn;
        public Aggregating(IAggregateFunction<TIn, TAcc, TOut> fn) => _fn = fn;
        public TAcc CreateAccumulator() => _fn.CreateAccumulator();
        public TAcc Add(TIn value, TAcc acc) => _fn.Add(value, acc);
        public TAcc GetResult(TAcc acc) => acc;
        public TAcc Merge(TAcc a, TAcc b) => _fn.Merge(a, b);
    }
}

public readonly record struct Reduced<T>(bool Has, T Value);
