using PyFlow.Engine.Graph;
using PyFlow.Engine.Operators;

namespace PyFlow.Engine.Api;

/// <summary>A stream partitioned by key; keyed operators see one key at a time.</summary>
public sealed class KeyedStream<T, TKey> : DataStream<T> where TKey : notnull
{
    internal KeyedStream(StreamExecutionEnvironment env, PartitionTransformation<T> partition, Func<T, TKey> keySelector)
        : base(env, partition) => KeySelector = keySelector;

    public Func<T, TKey> KeySelector { get; }

    /// <summary>Cuts each key's records into the windows of <paramref name="assigner"/>.</summary>
    public WindowedStream<T, TKey, W> Window<W>(Windowing.Assigners.WindowAssigner<T, W> assigner) where W : Windowing.Window =>
        new(this, assigner ?? throw new ArgumentNullException(nameof(assigner)), nonParallel: false);

    /// <summary>Windows of <paramref name="size"/> records per key (global windows, a purging count trigger).</summary>
    public WindowedStream<T, TKey, Windowing.GlobalWindow> CountWindow(long size) =>
        Window(Windowing.Assigners.GlobalWindows<T>.Create())
            .Trigger(Windowing.Triggers.PurgingTrigger<T, Windowing.GlobalWindow>.Of(Windowing.Triggers.CountTrigger<T, Windowing.GlobalWindow>.Of(size)));

    internal WindowedStream<T, TKey, W> WindowAll<W>(Windowing.Assigners.WindowAssigner<T, W> assigner) where W : Windowing.Window =>
        new(this, assigner ?? throw new ArgumentNullException(nameof(assigner)), nonParallel: true);

    /// <summary>Runs <paramref name="function"/> per record with keyed state and timers.</summary>
    public DataStream<TOut> Process<TOut>(Functions.KeyedProcessFunction<TKey, T, TOut> function, string name = "Keyed Process")
    {
        ArgumentNullException.ThrowIfNull(function);
        return Transform<TOut>(name, (ctx, output) => new KeyedProcessOperator<TKey, T, TOut>(function, KeySelector, output, ctx));
    }

    /// <summary>
    /// Rolling reduce. STREAMING emits every updated value; BATCH only the final value per key.
    /// </summary>
    public DataStream<T> Reduce(Func<T, T, T> reduce, string name = "Keyed Reduce")
    {
        ArgumentNullException.ThrowIfNull(reduce);
        return Transform<T>(name, (ctx, output) => new KeyedReduceOperator<T, TKey>(KeySelector, reduce, output, ctx));
    }
}
