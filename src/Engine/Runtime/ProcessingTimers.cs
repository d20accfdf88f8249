namespace PyFlow.Engine.Runtime;

/// <summary>
/// Processing-time callbacks of one subtask, run on the subtask's own thread between
/// records, so operators never need a lock against them (Flink's mailbox model).
/// The clock is a <see cref="TimeProvider"/> so tests can control processing time.
/// </summary>
public sealed class ProcessingTimers
{
    private readonly PriorityQueue<Action<long>, long> _due = new();
    private readonly TimeProvider _clock;

    public ProcessingTimers(TimeProvider clock) => _clock = clock;

    /// <summary>Current processing time, epoch milliseconds.</summary>
    public long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs <paramref name="callback"/> (given the firing time) once processing time reaches <paramref name="time"/>.</summary>
    public void Schedule(long time, Action<long> callback) => _due.Enqueue(callback, time);

    /// <summary>Milliseconds until the next callback is due, or null when none is scheduled.</summary>
    public long? MillisUntilNext()
    {
        if (!_due.TryPeek(out _, out var time)) return null;
        return Math.Max(0, time - Now);
    }

    /// <summary>Runs every callback that is due now, in time order.</summary>
    public void RunDue()
    {
        var now = Now;
        while (_due.TryPeek(out var callback, out var time) && time <= now)
        {
            _due.Dequeue();
            callback(now);
        }
    }
}
