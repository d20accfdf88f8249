using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Operators;

/// <summary>
/// Assigns event timestamps and generates watermarks from them (Flink's
/// TimestampsAndWatermarksOperator). Watermarks from upstream are ignored, except the final
/// one at the end of input; the operator's own go out every auto-watermark interval when they
/// advance, and never go backwards.
/// </summary>
internal sealed class TimestampsAndWatermarksOperator<T> : IBatchConsumer<T>, IOperatorLifecycle
{
    private readonly WatermarkStrategy<T> _strategy;
    private readonly IBatchConsumer<T> _out;
    private readonly OperatorContext _ctx;
    private readonly long _intervalMs;
    private long _maxTimestamp = long.MinValue;
    private long _emitted = Watermarks.Initial;
    private long _lastRecordAt;
    private bool _idle;

    public TimestampsAndWatermarksOperator(WatermarkStrategy<T> strategy, IBatchConsumer<T> output, OperatorContext context)
    {
        _strategy = strategy;
        _out = output;
        _ctx = context;
        _intervalMs = (long)context.Options.AutoWatermarkInterval.TotalMilliseconds;
    }

    public void Open()
    {
        _lastRecordAt = _ctx.Timers.Now;
        if (_strategy.EmitsWatermarks && _intervalMs > 0) ScheduleTick();
    }

    public void Push(Batch<T> batch)
    {
        var n = batch.Count;
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        var assigner = _strategy.TimestampAssigner;
        long[] assigned;
        if (assigner == null)
        {
            assigned = timestamps;
        }
        else
        {
            assigned = new long[n];
            for (var i = 0; i < n; i++) assigned[i] = assigner(values[i], timestamps[i]);
        }
        for (var i = 0; i < n; i++)
            if (assigned[i] > _maxTimestamp) _maxTimestamp = assigned[i];
        _lastRecordAt = _ctx.Timers.Now;
        if (_idle)
        {
            _idle = false;
            _out.WatermarkStatus(false); // records again: the stream holds watermarks back again
        }
        _out.Push(ReferenceEquals(assigned, timestamps) ? batch : new Batch<T>(values, assigned, n));
        if (_intervalMs == 0) EmitWatermark(); // an interval of 0 emits after every batch
    }

    public void Watermark(long watermark)
    {
        // Only the final watermark passes: this operator makes its own.
        if (watermark == Watermarks.Max) Emit(Watermarks.Max);
    }

    public void EndOfInput() => _out.EndOfInput();

    /// <summary>This operator decides idleness itself from its records; upstream status is not passed on.</summary>
    public void WatermarkStatus(bool idle) { }

    private void ScheduleTick() => _ctx.Timers.Schedule(_ctx.Timers.Now + _intervalMs, _ =>
    {
        if (_emitted == Watermarks.Max) return;
        if (_strategy.Idleness is { } idle && !_idle && _ctx.Timers.Now - _lastRecordAt >= (long)idle.TotalMilliseconds)
        {
            _idle = true; // no records for the idle timeout: downstream leaves this stream out of its watermark
            _out.WatermarkStatus(true);
        }
        if (!_idle) EmitWatermark();
        ScheduleTick();
    });

    private void EmitWatermark()
    {
        if (!_strategy.EmitsWatermarks || _maxTimestamp == long.MinValue) return;
        Emit(_maxTimestamp - _strategy.OutOfOrdernessMs - 1);
    }

    private void Emit(long watermark)
    {
        if (watermark <= _emitted) return; // never backwards
        _emitted = watermark;
        _out.Watermark(watermark);
    }
}
