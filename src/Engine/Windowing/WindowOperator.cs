using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Operators;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;
using PyFlow.Engine.Timers;
using PyFlow.Engine.Windowing.Assigners;
using PyFlow.Engine.Windowing.Triggers;

namespace PyFlow.Engine.Windowing;

/// <summary>
/// Keyed windows (Flink's WindowOperator). Each record goes to the windows its assigner gives;
/// the window's accumulator lives in keyed state under the window as namespace; the trigger
/// decides when it fires and purges. Results carry the window's end − 1 and are emitted before
/// the watermark that fired them moves on. A window's state is deleted at its cleanup time
/// (end − 1 + allowed lateness). Records whose every window is past cleanup are late: they go to
/// the late-data side output if one is set, otherwise they are dropped and counted
/// (<see cref="LateRecordsDropped"/>).
/// </summary>
internal sealed class WindowOperator<TKey, TIn, TAcc, TOut, W> : IBatchConsumer<TIn>, IOperatorLifecycle, IDisposable, Checkpointing.ICheckpointedOperator
    where TKey : notnull where W : Window
{
    private readonly Func<TIn, TKey> _keySelector;
    private readonly WindowAssigner<TIn, W> _assigner;
    private readonly Trigger<TIn, W> _trigger;
    private readonly WindowContents<TKey, TIn, TAcc, TOut, W> _contents;
    private readonly long _lateness;
    private readonly OutputTag<TIn>? _lateTag;
    private readonly IBatchConsumer<TOut> _out;
    private readonly OperatorContext _ctx;
    private readonly IKeyedStateBackend<TKey> _state;
    private readonly IValueState<TAcc> _acc;
    private readonly SessionMerger<TKey, TIn, TAcc, TOut, W>? _sessions;
    private readonly InternalTimerService<TKey> _timers;
    private readonly BatchCollector<TOut> _collector;
    private readonly Context _window;

    public WindowOperator(Func<TIn, TKey> keySelector, WindowAssigner<TIn, W> assigner, Trigger<TIn, W> trigger,
        WindowContents<TKey, TIn, TAcc, TOut, W> contents, TimeSpan allowedLateness, OutputTag<TIn>? lateTag,
        IBatchConsumer<TOut> output, OperatorContext context)
    {
        _keySelector = keySelector;
        _assigner = assigner;
        _trigger = trigger;
        _contents = contents;
        _lateness = (long)allowedLateness.TotalMilliseconds;
        _lateTag = lateTag;
        _out = output;
        _ctx = context;
        _state = context.Options.StateBackend.Create<TKey>(context.OperatorName, context.SubtaskIndex, context.Options.Clock);
        _acc = _state.GetValueState(new ValueStateDescriptor<TAcc>("window-contents"));
        _timers = new InternalTimerService<TKey>(context.Timers, OnTimer);
        _collector = new BatchCollector<TOut>(output, context.Options.BatchSize);
        _window = new Context(this);
        if (assigner.IsMerging)
            _sessions = new SessionMerger<TKey, TIn, TAcc, TOut, W>(_state, _acc, contents.Accumulate, this);
    }

    /// <summary>Late records dropped because no late-data side output was set (Flink's numLateRecordsDropped).</summary>
    public long LateRecordsDropped { get; private set; }

    public void Open()
    {
        if (_contents.Function is { } fn)
        {
            fn.RuntimeContext = new RuntimeContext(_ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, d => StateFactory.Create(_state, d));
            fn.Open();
        }
    }

    /// <summary>Window contents, trigger state and sessions are keyed state; the timers fire the windows.</summary>
    public void SnapshotState(long checkpointId, Stream output) => Checkpointing.KeyedOperatorState.Write(output, _state, _timers);

    public void RestoreState(Stream input) => Checkpointing.KeyedOperatorState.Read(input, _state, _timers);

    public void Push(Batch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++) ProcessElement(values[i], timestamps[i]);
        _contents.AfterFirings?.Invoke(_collector);
        _collector.Flush();
    }

    private void ProcessElement(TIn value, long recordTimestamp)
    {
        var key = _keySelector(value);
        _state.SetCurrentKey(key);
        _window.Key = key;
        long ts;
        if (_assigner.IsEventTime)
        {
            if (recordTimestamp == Batch<TIn>.NoTimestamp)
                throw new InvalidOperationException($"'{_ctx.OperatorName}': an event-time window got a record without a timestamp; call AssignTimestampsAndWatermarks before the window, or use a processing-time window");
            ts = recordTimestamp;
        }
        else
        {
            ts = _ctx.Timers.Now;
        }

        var placed = false;
        foreach (var assigned in _assigner.AssignWindows(value, ts))
        {
            var w = _sessions != null ? (W)(object)_sessions.AddWindow((TimeWindow)(object)assigned) : assigned;
            if (IsLate(w)) continue;
            placed = true;
            _state.SetCurrentNamespace(w);
            _acc.Update(_contents.Accumulate.Add(value, _acc.TryGetValue(out var acc) ? acc : _contents.Accumulate.CreateAccumulator()));
            RegisterCleanup(w);
            _window.CurrentWindow = w;
            Act(_trigger.OnElement(value, ts, w, _window), w);
        }
        if (!placed && _assigner.IsEventTime && ts + _lateness <= _timers.CurrentWatermark)
        {
            if (_lateTag != null) _ctx.SideOutputs.Emit(_lateTag, value, recordTimestamp);
            else LateRecordsDropped++;
        }
    }

    public void Watermark(long watermark)
    {
        _timers.AdvanceWatermark(watermark); // fires windows first: results go out before the watermark
        _contents.AfterFirings?.Invoke(_collector);
        _collector.Flush();
        _out.Watermark(watermark);
    }

    public void WatermarkStatus(bool idle) => _out.WatermarkStatus(idle);

    public void EndOfInput()
    {
        _contents.Function?.Close();
        _out.EndOfInput();
    }

    public void Dispose()
    {
        (_contents.Function as IDisposable)?.Dispose();
        _state.Dispose();
    }

    private void OnTimer(InternalTimerService<TKey>.TimerEntry timer, TimeDomain domain)
    {
        var w = (W)timer.Namespace;
        _state.SetCurrentKey(timer.Key);
        _state.SetCurrentNamespace(w);
        _window.Key = timer.Key;
        _window.CurrentWindow = w;
        var result = domain == TimeDomain.EventTime
            ? _trigger.OnEventTime(timer.Time, w, _window)
            : _trigger.OnProcessingTime(timer.Time, w, _window);
        Act(result, w);
        if (timer.Time == CleanupTime(w) && (domain == TimeDomain.EventTime) == _assigner.IsEventTime) ClearAll(w);
        if (domain == TimeDomain.ProcessingTime)
        {
            _contents.AfterFirings?.Invoke(_collector);
            _collector.Flush();
        }
    }

    private void Act(TriggerResult result, W w)
    {
        if (result is TriggerResult.Fire or TriggerResult.FireAndPurge && _acc.TryGetValue(out var acc))
        {
            _collector.Timestamp = w.MaxTimestamp;
            _contents.Emit(_window.Key, acc, _window, _collector);
        }
        if (result is TriggerResult.Purge or TriggerResult.FireAndPurge) _acc.Clear();
    }

    /// <summary>Deletes everything of a window: contents, trigger state and timers, the function's per-window state.</summary>
    internal void ClearAll(W w)
    {
        _state.SetCurrentNamespace(w);
        _window.CurrentWindow = w;
        _acc.Clear();
        _trigger.Clear(w, _window);
        _contents.Clear?.Invoke(_window);
        _sessions?.Forget((TimeWindow)(object)w);
    }

    private long CleanupTime(W w) => _assigner.IsEventTime
        ? (w.MaxTimestamp > long.MaxValue - _lateness ? long.MaxValue : w.MaxTimestamp + _lateness)
        : w.MaxTimestamp;

    private bool IsLate(W w) => _assigner.IsEventTime && CleanupTime(w) <= _timers.CurrentWatermark;

    private void RegisterCleanup(W w)
    {
        if (w is GlobalWindow) return;
        if (_assigner.IsEventTime) _timers.RegisterEventTimeTimer(_window.Key, w, CleanupTime(w));
        else _timers.RegisterProcessingTimeTimer(_window.Key, w, CleanupTime(w));
    }

    internal void DeleteCleanup(W w)
    {
        if (_assigner.IsEventTime) _timers.DeleteEventTimeTimer(_window.Key, w, CleanupTime(w));
        else _timers.DeleteProcessingTimeTimer(_window.Key, w, CleanupTime(w));
    }

    internal void ClearTrigger(W w)
    {
        _window.CurrentWindow = w;
        _trigger.Clear(w, _window);
    }

    internal void MergedInto(W w)
    {
        _window.CurrentWindow = w;
        _trigger.OnMerge(w, _window);
    }

    /// <summary>The trigger's and the window function's view of the current key and window.</summary>
    private sealed class Context : ProcessWindowFunction<TIn, TOut, TKey, W>.Context, ITriggerContext
    {
        private readonly WindowOperator<TKey, TIn, TAcc, TOut, W> _op;
        public Context(WindowOperator<TKey, TIn, TAcc, TOut, W> op) => _op = op;
        public TKey Key = default!;
        public W CurrentWindow = default!;
        public override W Window => CurrentWindow;
        public override long CurrentWatermark => _op._timers.CurrentWatermark;
        public override long CurrentProcessingTime => _op._timers.CurrentProcessingTime;
        public override void Output<T>(OutputTag<T> tag, T value) => _op._ctx.SideOutputs.Emit(tag, value, CurrentWindow.MaxTimestamp);
        public void RegisterEventTimeTimer(long time) => _op._timers.RegisterEventTimeTimer(Key, CurrentWindow, time);
        public void RegisterProcessingTimeTimer(long time) => _op._timers.RegisterProcessingTimeTimer(Key, CurrentWindow, time);
        public void DeleteEventTimeTimer(long time) => _op._timers.DeleteEventTimeTimer(Key, CurrentWindow, time);
        public void DeleteProcessingTimeTimer(long time) => _op._timers.DeleteProcessingTimeTimer(Key, CurrentWindow, time);

        public IReducingState<TS> GetReducingState<TS>(ReducingStateDescriptor<TS> descriptor)
        {
            _op._state.SetCurrentNamespace(CurrentWindow);
            return new WindowScoped<TS>(_op._state, _op._state.GetReducingState(descriptor), CurrentWindow);
        }
    }

    /// <summary>Reducing state that always reads and writes the window it was taken for.</summary>
    private sealed class WindowScoped<TS> : IReducingState<TS>
    {
        private readonly IKeyedStateBackend<TKey> _backend;
        private readonly IReducingState<TS> _inner;
        private readonly W _window;
        public WindowScoped(IKeyedStateBackend<TKey> backend, IReducingState<TS> inner, W window) { _backend = backend; _inner = inner; _window = window; }
        public bool TryGet(out TS value) { _backend.SetCurrentNamespace(_window); return _inner.TryGet(out value); }
        public void Add(TS value) { _backend.SetCurrentNamespace(_window); _inner.Add(value); }
        public void Clear() { _backend.SetCurrentNamespace(_window); _inner.Clear(); }
    }
}
