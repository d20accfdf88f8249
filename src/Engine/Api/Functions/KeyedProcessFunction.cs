using PyFlow.Engine.Operators;
using PyFlow.Engine.Timers;

namespace PyFlow.Engine.Api.Functions;

/// <summary>
/// Per-record logic on a keyed stream, with keyed state and timers (Flink's KeyedProcessFunction).
/// Records emitted in <see cref="ProcessElement"/> keep the input's timestamp; those emitted in
/// <see cref="OnTimer"/> carry the timer's time.
/// </summary>
public abstract class KeyedProcessFunction<TKey, TIn, TOut> : RichFunction where TKey : notnull
{
    public abstract void ProcessElement(TIn value, Context ctx, ICollector<TOut> output);

    public virtual void OnTimer(long timestamp, OnTimerContext ctx, ICollector<TOut> output) { }

    public abstract class Context
    {
        /// <summary>The record's event timestamp, or null when it has none.</summary>
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

/// <summary>Per-record logic on any stream (Flink's ProcessFunction): side outputs and the current time, no keyed state or timers.</summary>
public abstract class ProcessFunction<TIn, TOut> : RichFunction
{
    public abstract void ProcessElement(TIn value, Context ctx, ICollector<TOut> output);

    public abstract class Context
    {
        public abstract long? Timestamp { get; }
        public abstract long CurrentWatermark { get; }
        public abstract long CurrentProcessingTime { get; }
        public abstract void Output<T>(OutputTag<T> tag, T value);
    }
}
