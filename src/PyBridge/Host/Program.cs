using System.Diagnostics;
using System.IO.Pipelines;
using PyFlow.Engine.Api;
using PyFlow.Host;
using PyFlow.PyBridge.Wire;

// The engine host a Python driver launches: gateway protocol frames on stdin/stdout
// (docs/ARCHITECTURE.md). stdout carries frames only: StdoutGuard moves everything else to stderr.
var stdout = StdoutGuard.TakeStdout();
Console.SetOut(Console.Error);
var connection = new GatewayConnection(stdout);
var stdin = PipeReader.Create(Console.OpenStandardInput());
var version = typeof(GatewayConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
connection.Send(GatewayConnection.Hello, Msg.Pack(new Dictionary<string, object> { ["protocol"] = GatewayConnection.Protocol, ["engine"] = version }));

CancellationTokenSource? running = null;
Task? job = null;
try
{
    while (true)
    {
        // The plan, which sets the frame limit, comes in the first frame: the driver checked it against that limit.
        var frame = await Frames.ReadAsync(stdin, "gateway stdin", CancellationToken.None, Frames.Ceiling);
        if (frame is not { } f) break; // the driver is gone: stop everything
        switch (f.Kind)
        {
            case GatewayConnection.Submit when job is { IsCompleted: false }:
                connection.Send(GatewayConnection.Failed, ErrorReport.Pack(new PlanException(null, "a job is already running in this engine host")));
                break;
            case GatewayConnection.Submit:
                running = new CancellationTokenSource();
                job = RunJob(f.Payload, running.Token);
                break;
            case GatewayConnection.Cancel:
                running?.Cancel();
                break;
            default:
                throw new ProtocolException($"gateway stdin: unknown frame kind 0x{f.Kind:x2}");
        }
    }
}
catch (ProtocolException e)
{
    connection.Send(GatewayConnection.Failed, ErrorReport.Pack(e));
}
running?.Cancel();
if (job != null) await Task.WhenAny(job, Task.Delay(TimeSpan.FromSeconds(10)));
if (PyFlow.PyBridge.Workers.EmbeddedPython.HasAbandonedCalls)
{
    // A thread-mode call that could not be stopped (a hung function) would keep Python's finalization, run at
    // process exit, waiting forever: the driver then had to kill the host after its grace period.
    Console.Error.Flush();
    ImmediateExit.Now(0);
}
return 0;

async Task RunJob(byte[] payload, CancellationToken cancel)
{
    await Task.Yield();
    var clock = Stopwatch.StartNew();
    ProgressReporter? progress = null;
    try
    {
        var submit = Msg.Unpack(payload, "SUBMIT");
        var plan = JobPlan.Parse(submit);
        try { connection.MaxFrame = FrameLimit.FromConfig(plan.Config); }
        catch (ArgumentException e) { throw new PlanException(null, e.Message); }
        var env = new StreamExecutionEnvironment();
        // restarts > 0: the driver resubmits after a host died, and has shown what the old host released.
        var restartedHost = submit.ContainsKey("restarts") && submit.Int("restarts") > 0;
        new PlanTranslator(plan, env, connection) { RestoredResultsShown = restartedHost }.Translate();
        if (submit.ContainsKey("restarts"))
        {
            // The driver restarts the job on a new host when one dies: it says how many restarts the job used
            // already and learns of every restart here, so one budget covers both kinds (docs, "Recovery").
            var prior = submit.Int("restarts");
            if (prior < 0) throw new PlanException(null, $"SUBMIT 'restarts' must be >= 0, not {prior}");
            env.Options.PriorRestarts = (int)prior;
            env.Options.Restarting = n => connection.Send(GatewayConnection.Restarting, Msg.Pack(new Dictionary<string, object> { ["restart"] = n }));
        }
        var metrics = new PyFlow.Engine.Metrics.JobMetrics();
        progress = ProgressReporter.Start(submit, connection, metrics, clock);
        await env.ExecuteAsync(metrics, cancel);
        if (progress != null) await progress.StopAsync(); // the final counts go before FINISHED
        connection.Send(GatewayConnection.Finished, Msg.Pack(new Dictionary<string, object> { ["duration_ms"] = clock.ElapsedMilliseconds }));
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        if (progress != null) await progress.StopAsync();
        connection.Send(GatewayConnection.Failed, ErrorReport.Pack(new OperationCanceledException("the job was cancelled")));
    }
    catch (Exception e)
    {
        if (progress != null) await progress.StopAsync();
        connection.Send(GatewayConnection.Failed, ErrorReport.Pack(e));
    }
}
