using PyFlow.Engine.Operators;
using PyFlow.Engine.Timers;

namespace PyFlow.Engine.Api.Functions;

/// <summary>Per-record logic over two connected streams (Flink's CoProcessFunction).</summary>
public abstract class CoProcessFunction<T1, T2, TOut> : RichFunction
{
    public abstract void ProcessElement1(T1 value, Context ctx, ICollector<TOut> output);
    public abstract void ProcessElement2(T2 value, Context ctx, ICollector<TOut> output);

    public abstract class Context
    {
        public abstract long? Timestamp { get; }
        public abstract long CurrentWatermark { get; }
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }
}

/// <summary>Per-record logic over two streams keyed alike, with keyed state shared by both and timers (Flink's KeyedCoProcessFunction).</summary>
public abstract class KeyedCoProcessFunction<TKey, T1, T2, TOut> : RichFunction where TKey : notnull
{
    public abstract void ProcessElement1(T1 value, Context ctx, ICollector<TOut> output);
    public abstract void ProcessElement2(T2 value, Context ctx, ICollector<TOut> output);
    public virtual void OnTimer(long timestamp, OnTimerContext ctx, ICollector<TOut> output) { }

    public abstract class Context
    {
        public abstract long? Timestamp { get; }
        public abstract TKey CurrentKey { get; }
        public abstract ITimerService TimerService { get; }
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }

    public abstract class OnTimerContext : Context
    {
        public abstract TimeDomain TimeDomain { get; }
    }
}
