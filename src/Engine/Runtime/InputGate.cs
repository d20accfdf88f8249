namespace PyFlow.Engine.Runtime;

/// <summary>
/// The inbox of one subtask: data from the producing subtasks (bounded, for backpressure)
/// and mail from the subtask's own helpers, such as results read back from a Python worker
/// (not bounded here: whoever posts mail bounds how much can be in flight).
/// </summary>
/// <remarks>
/// Invariant: every wait is under <see cref="_lock"/> and is woken by a Pulse when data,
/// mail, space or cancellation arrives, so no wait can miss its wake-up. The data bound is
/// in batches, not records: <see cref="Capacity"/> batches of at most the batch size each.
/// Two batches per producer lets a producer fill one while the consumer drains the other.
/// </remarks>
internal sealed class InputGate
{
    private readonly object _lock = new();
    private readonly Queue<StreamMessage> _data = new();
    private readonly Queue<Action> _mail = new();
    private readonly CancellationToken _cancel;

    public InputGate(int numChannels, CancellationToken cancel)
    {
        NumChannels = numChannels;
        Capacity = Math.Max(4, 2 * numChannels);
        _cancel = cancel;
        cancel.Register(() => { lock (_lock) Monitor.PulseAll(_lock); });
    }

    public int NumChannels { get; }
    public int Capacity { get; }

    /// <summary>Enqueues a message, blocking while the gate is full (backpressure).</summary>
    public void Write(StreamMessage message)
    {
        lock (_lock)
        {
            while (_data.Count >= Capacity)
            {
                _cancel.ThrowIfCancellationRequested();
                Monitor.Wait(_lock);
            }
            _cancel.ThrowIfCancellationRequested();
            _data.Enqueue(message);
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Posts mail to be run on the subtask's thread. Never blocks.</summary>
    public void Post(Action mail)
    {
        lock (_lock)
        {
            _mail.Enqueue(mail);
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>
    /// Takes the next mail (preferred) or data message. Waits at most <paramref name="timeout"/>;
    /// returns false when nothing came in time. Throws when the job is cancelled.
    /// </summary>
    public bool TryTake(TimeSpan timeout, out StreamMessage? message, out Action? mail)
    {
        lock (_lock)
        {
            var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (true)
            {
                _cancel.ThrowIfCancellationRequested();
                if (_mail.Count > 0)
                {
                    mail = _mail.Dequeue();
                    message = null;
                    return true;
                }
                if (_data.Count > 0)
                {
                    message = _data.Dequeue();
                    mail = null;
                    Monitor.PulseAll(_lock);
                    return true;
                }
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    message = null;
                    mail = null;
                    return false;
                }
                Monitor.Wait(_lock, (int)Math.Min(left, int.MaxValue));
            }
        }
    }

    /// <summary>Takes only mail, waiting at most <paramref name="timeout"/>. Used while an operator waits for its helper.</summary>
    public Action? TakeMail(TimeSpan timeout)
    {
        lock (_lock)
        {
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (true)
            {
                _cancel.ThrowIfCancellationRequested();
                if (_mail.Count > 0) return _mail.Dequeue();
                var left = deadline - Environment.TickCount64;
                if (left <= 0) return null;
                Monitor.Wait(_lock, (int)left);
            }
        }
    }
}
