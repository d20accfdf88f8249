using PyFlow.Engine.State;

namespace PyFlow.Engine.Windowing;

/// <summary>
/// Keeps each key's open sessions and merges a new record's window into them: windows that
/// intersect or touch become their cover, their accumulators are merged (with the contents'
/// merge function) under the cover, and the old windows' triggers and cleanup timers are
/// dropped while the trigger re-registers for the cover.
/// </summary>
internal sealed class SessionMerger<TKey, TIn, TAcc, TOut, W> where TKey : notnull where W : Window
{
    private readonly IKeyedStateBackend<TKey> _state;
    private readonly IValueState<TAcc> _acc;
    private readonly IAggregateFunction<TIn, TAcc, TAcc> _merge;
    private readonly WindowOperator<TKey, TIn, TAcc, TOut, W> _op;
    private readonly IValueState<List<TimeWindow>> _sessions;

    public SessionMerger(IKeyedStateBackend<TKey> state, IValueState<TAcc> acc, IAggregateFunction<TIn, TAcc, TAcc> merge, WindowOperator<TKey, TIn, TAcc, TOut, W> op)
    {
        _state = state;
        _acc = acc;
        _merge = merge;
        _op = op;
        _sessions = state.GetValueState(new ValueStateDescriptor<List<TimeWindow>>("session-windows"));
    }

    /// <summary>The session the new window belongs to after merging (the current key must be set).</summary>
    public TimeWindow AddWindow(TimeWindow window)
    {
        _state.SetCurrentNamespace(VoidNamespace.Instance);
        var sessions = _sessions.TryGetValue(out var s) ? s : new List<TimeWindow>();
        var overlapping = sessions.Where(w => w.IntersectsOrTouches(window)).ToList();
        var cover = overlapping.Aggregate(window, (a, b) => a.Cover(b));
        if (overlapping.Count == 1 && overlapping[0] == cover) return cover; // inside an open session

        var merged = default(TAcc);
        var hasMerged = false;
        foreach (var old in overlapping)
        {
            _state.SetCurrentNamespace(old);
            if (_acc.TryGetValue(out var acc))
            {
                merged = hasMerged ? _merge.Merge(merged!, acc) : acc;
                hasMerged = true;
                _acc.Clear();
            }
            _op.ClearTrigger((W)(object)old);
            _op.DeleteCleanup((W)(object)old);
        }
        sessions.RemoveAll(w => overlapping.Contains(w));
        sessions.Add(cover);
        _state.SetCurrentNamespace(VoidNamespace.Instance);
        _sessions.Update(sessions);
        if (hasMerged)
        {
            _state.SetCurrentNamespace(cover);
            _acc.Update(merged!);
        }
        if (overlapping.Count > 0) _op.MergedInto((W)(object)cover);
        return cover;
    }

    /// <summary>Drops a session whose state was cleaned up.</summary>
    public void Forget(TimeWindow window)
    {
        _state.SetCurrentNamespace(VoidNamespace.Instance);
        if (!_sessions.TryGetValue(out var sessions)) return;
        sessions.Remove(window);
        if (sessions.Count == 0) _sessions.Clear();
        else _sessions.Update(sessions);
    }
}
