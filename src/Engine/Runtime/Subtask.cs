namespace PyFlow.Engine.Runtime;

/// <summary>
/// One parallel instance of a chain, run on its own thread. The thread owns every operator
/// of the chain: input, processing-time callbacks and mail all run on it, one at a time, so
/// operators need no locks. It waits only on its gate, always with a bound.
/// </summary>
internal sealed class Subtask : IMailbox
{
    private static readonly TimeSpan MaxIdleWait = TimeSpan.FromMilliseconds(100);
    private readonly List<IDisposable> _resources = new();

    public Subtask(string name, int index, InputGate gate, ProcessingTimers timers, CancellationToken cancel)
    {
        Name = name;
        Index = index;
        Gate = gate;
        Timers = timers;
        Cancel = cancel;
    }

    public string Name { get; }
    public int Index { get; }
    public InputGate Gate { get; }
    public ProcessingTimers Timers { get; }
    public CancellationToken Cancel { get; }
    public ISubtaskInput? Input { get; set; }

    /// <summary>The subtask's checkpoint side; null when the job neither checkpoints nor restores.</summary>
    public Checkpointing.SubtaskCheckpointer? Checkpointer { get; set; }

    /// <summary>Operators of the chain that hold resources, disposed when the subtask ends however it ends.</summary>
    public void Own(object consumer)
    {
        if (consumer is IDisposable d) _resources.Add(d);
    }

    public void Run(IReadOnlyList<object> operatorsHeadFirst)
    {
        try
        {
            Checkpointer?.Restore();
            // Open tail first, as Flink does, so an operator's consumer is ready before it emits.
            for (var i = operatorsHeadFirst.Count - 1; i >= 0; i--)
                if (operatorsHeadFirst[i] is IOperatorLifecycle op) op.Open();
            var input = Input ?? throw new InvalidOperationException($"subtask {Name} has no input");
            while (true)
            {
                Cancel.ThrowIfCancellationRequested();
                Checkpointer?.RunSafePoint();
                Timers.RunDue();
                var untilTimer = Timers.MillisUntilNext();
                var wait = untilTimer is { } ms && ms < MaxIdleWait.TotalMilliseconds ? TimeSpan.FromMilliseconds(ms) : MaxIdleWait;
                if (!input.Step(Gate, wait)) break;
            }
            Checkpointer?.Finished();
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Disposes the input and every operator resource; safe to call for a subtask that never ran.</summary>
    public void Release()
    {
        try { Input?.Dispose(); }
        catch { /* a failure while cleaning up must not hide the one that ended the subtask */ }
        foreach (var r in _resources)
        {
            try { r.Dispose(); }
            catch { /* as above */ }
        }
        _resources.Clear();
    }

    public void Post(Action mail) => Gate.Post(mail);

    public void RunUntil(Func<bool> done, TimeSpan bound, string what)
    {
        var deadline = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        while (!done())
        {
            var left = deadline - Environment.TickCount64;
            if (left <= 0)
                throw new TimeoutException($"{Name}: gave up after {bound.TotalSeconds:0.#} s waiting for {what}");
            Gate.TakeMail(TimeSpan.FromMilliseconds(Math.Min(left, 100)))?.Invoke();
            Timers.RunDue();
        }
    }
}

/// <summary>Operators that acquire resources when their subtask starts (a Python worker, a file).</summary>
public interface IOperatorLifecycle
{
    void Open();
}
