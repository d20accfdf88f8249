namespace PyFlow.PyBridge.Workers;

/// <summary>
/// Forwards a worker's stderr line by line (prefixed with its task) and keeps the last lines,
/// so a worker's death can be reported with what it said last.
/// </summary>
internal sealed class StderrTail
{
    private const int Keep = 20;
    private readonly Queue<string> _last = new();
    private readonly Task _pump;

    public StderrTail(StreamReader stderr, string prefix, Action<string> log)
    {
        _pump = Task.Run(async () =>
        {
            while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_last)
                {
                    _last.Enqueue(line);
                    if (_last.Count > Keep) _last.Dequeue();
                }
                log(prefix + line);
            }
        });
    }

    public void WaitForEnd(TimeSpan bound) => _pump.Wait(bound);

    public string Tail()
    {
        lock (_last) return string.Join("\n", _last);
    }
}
