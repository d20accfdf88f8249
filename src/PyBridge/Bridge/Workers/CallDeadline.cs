using System.Collections.Concurrent;
using System.Diagnostics;
using PyFlow.PyBridge.Errors;

namespace PyFlow.PyBridge.Workers;

/// <summary>
/// The host's backstop for <c>python.fn-execution.timeout</c>. The Python call watch reports a hung call with its
/// record, but it needs the GIL; a function holding the GIL in native code (a runaway regular expression, a C
/// extension) silences it. So the host notes when each call was sent and fails the job when the oldest one is
/// still unanswered <see cref="Grace"/> after the timeout, saying the record could not be known.
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    /// <summary>Left to the Python watch first, so its exact report wins on a busy machine.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private readonly ConcurrentQueue<long> _sent = new(); // Stopwatch timestamps of calls not yet answered, oldest first
    private readonly Timer? _timer;
    private readonly string _task;
    private readonly string _operator;
    private readonly TimeSpan _timeout;
    private readonly Action<Exception> _onFailure;
    private int _fired;

    public CallDeadline(string task, IReadOnlyList<WorkerStage> stages, TimeSpan? timeout, Action<Exception> onFailure)
    {
        _task = task;
        _operator = string.Join(" -> ", stages.Select(s => s.Name));
        _onFailure = onFailure;
        if (timeout is not { } t) return;
        _timeout = t;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(t.TotalMilliseconds / 4, 50, 1000));
        _timer = new Timer(_ => Check(), null, period, period);
    }

    /// <summary>A frame that gets exactly one answer was sent.</summary>
    public void Sent()
    {
        if (_timer != null) _sent.Enqueue(Stopwatch.GetTimestamp());
    }

    /// <summary>The answer to the oldest call arrived.</summary>
    public void Answered()
    {
        if (_timer != null) _sent.TryDequeue(out _);
    }

    private void Check()
    {
        if (!_sent.TryPeek(out var started)) return;
        var waited = Stopwatch.GetElapsedTime(started);
        if (waited < _timeout + Grace || Interlocked.Exchange(ref _fired, 1) == 1) return;
        _onFailure(new PythonFunctionException(_task, _operator, "TimeoutError",
            $"a call has not returned for {waited.TotalSeconds:F1} s (python.fn-execution.timeout is {_timeout.TotalSeconds:g} s), and the " +
            "function could not say which record it is on: it holds the GIL in native code (a regular expression, a C extension). " +
            "Fix the function, or raise python.fn-execution.timeout", ""));
    }

    public void Dispose() => _timer?.Dispose();
}
