using System.Diagnostics;
using PyFlow.Engine.Metrics;
using PyFlow.PyBridge.Wire;

namespace PyFlow.Host;

/// <summary>
/// Sends PROGRESS frames while a job runs (docs/ARCHITECTURE.md, "Gateway protocol"): every
/// interval, each operator's records in and out summed over its subtasks, and the job's elapsed
/// time; one last frame, with the final counts, when stopped. Runs on a timer task; reads the
/// counters only (<see cref="JobMetrics.Snapshot"/>), never an operator.
/// </summary>
internal sealed class ProgressReporter
{
    /// <summary>Shortest interval a driver may ask for, so progress cannot crowd out results.</summary>
    public const int MinIntervalMs = 50;

    private readonly GatewayConnection _connection;
    private readonly JobMetrics _metrics;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProgressReporter(GatewayConnection connection, JobMetrics metrics, Stopwatch clock, TimeSpan interval)
    {
        _connection = connection;
        _metrics = metrics;
        _clock = clock;
        _loop = Loop(interval);
    }

    /// <summary>
    /// Starts reporting when the SUBMIT map asks for it with <c>progress_ms</c> &gt; 0; null otherwise
    /// (drivers that do not ask never receive PROGRESS).
    /// </summary>
    public static ProgressReporter? Start(IReadOnlyDictionary<object, object?> submit, GatewayConnection connection, JobMetrics metrics, Stopwatch clock)
    {
        if (!submit.ContainsKey("progress_ms")) return null;
        var ms = submit.Int("progress_ms");
        if (ms == 0) return null;
        if (ms < MinIntervalMs)
            throw new PlanException(null, $"progress_ms must be 0 (no progress) or at least {MinIntervalMs}, not {ms}");
        return new ProgressReporter(connection, metrics, clock, TimeSpan.FromMilliseconds(ms));
    }

    private async Task Loop(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) Send();
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Stops the timer and sends the final counts; call before FINISHED or FAILED.</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        Send();
    }

    private void Send()
    {
        var operators = _metrics.Snapshot().Select(o => (object)new Dictionary<string, object>
        {
            ["name"] = o.Name,
            ["parallelism"] = o.Parallelism,
            ["records_in"] = o.RecordsIn,
            ["records_out"] = o.RecordsOut,
        }).ToList();
        _connection.Send(GatewayConnection.Progress, Msg.Pack(new Dictionary<string, object>
        {
            ["elapsed_ms"] = _clock.ElapsedMilliseconds,
            ["operators"] = operators,
        }));
    }
}
