using PyFlow.Engine.Operators;
using PyFlow.Engine.Windowing;

namespace PyFlow.Engine.Api.Functions;

/// <summary>
/// Computes a window's result from its contents (Flink's ProcessWindowFunction). After a
/// windowed reduce or aggregate, the contents are the single pre-aggregated value.
/// </summary>
public abstract class ProcessWindowFunction<TIn, TOut, TKey, W> : RichFunction where W : Window
{
    public abstract void Process(TKey key, Context ctx, IEnumerable<TIn> elements, ICollector<TOut> output);

    /// <summary>Called when the window is purged (its state is deleted).</summary>
    public virtual void Clear(Context ctx) { }

    public abstract class Context
    {
        public abstract W Window { get; }
        public abstract long CurrentWatermark { get; }
        public abstract long CurrentProcessingTime { get; }
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }
}
