using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Tests.Connectors;

namespace PyFlow.Engine.Tests.Checkpointing;

/// <summary>Real threads, real files: a job that fails mid-run restarts from its last checkpoint and its committed output equals a failure-free run.</summary>
public class CheckpointRecoveryTests
{
    private const long Count = 12_000;
    private const double Rate = 12_000; // about one second of input: several checkpoints before and after the failure

    [TestCase("heap")]
    [TestCase("rocksdb")]
    public async Task KeyedWindowJobFailingMidRunRestartsFromACheckpointAndCommitsExactlyTheFailureFreeOutput(string backend)
    {
        using var dir = new TempDir();
        var log = new LogLines();
        var env = CheckpointedJob.Env(Path.Combine(dir.Path, "chk"), backend, Path.Combine(dir.Path, "rocks"));
        env.Options.Checkpointing.Log = log.Add;
        env.SetRestartStrategy(RestartStrategy.FixedDelayRestart(2, TimeSpan.FromMilliseconds(50)));
        var failer = new FailOnce(Count / 2);
        var output = Path.Combine(dir.Path, "out");
        CheckpointedJob.Build(env, Count, Rate, failer, output);

        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(failer.HasFailed, Is.True);
        Assert.That(log.All.Any(l => l.Contains("restart 1") && l.Contains("from checkpoint")), Is.True, $"restarted from a checkpoint, not from the start:\n{log}");
        Assert.That(CheckpointedJob.Committed(output), Is.EqualTo(CheckpointedJob.Expected(Count)));
        Assert.That(Directory.GetFiles(output).Where(f => f.EndsWith(".inprogress")), Is.Empty, "no in-progress file left");
    }

    /// <summary>
    /// Two-phase commit: no part file the newest checkpoint had not yet started is visible under
    /// its final name (the sink's state in the checkpoint begins with its part counter).
    /// </summary>
    private static void AssertOnlyCheckpointedFilesAreCommitted(string checkpoints, string output)
    {
        var newest = CompletedCheckpoint.Load(CheckpointLayout.ListCompleted(checkpoints)[0].Path, CheckpointSigningKey.Open(CheckpointSigningKey.DefaultFile));
        var sinkVertex = newest.Metadata.Vertices.Single(v => v.Name.EndsWith("File Sink"));
        var sinkKey = $"op{sinkVertex.Name.Split(" -> ").Length - 1}"; // the sink is the chain's last node
        for (var s = 0; s < 2; s++)
        {
            var sinkState = newest.StateOf(sinkVertex.Index, s)[sinkKey];
            var counter = BitConverter.ToInt64(sinkState, 0);
            var committed = Directory.GetFiles(output, $"part-{s}-*").Select(f => long.Parse(Path.GetFileName(f).Split('-')[2])).ToList();
            Assert.That(committed, Has.All.LessThan(counter), $"subtask {s}: files after checkpoint {newest.Id} are not committed");
        }
    }

    [Test]
    public async Task ExecuteAndCollectIsExactlyOnceAcrossARestart()
    {
        using var dir = new TempDir();
        var log = new LogLines();
        var env = CheckpointedJob.Env(Path.Combine(dir.Path, "chk"), "heap", null);
        env.Options.Checkpointing.Log = log.Add;
        env.SetRestartStrategy(RestartStrategy.FixedDelayRestart(1, TimeSpan.Zero));
        var failer = new FailOnce(Count / 2);
        var results = new List<string>();
        await foreach (var line in CheckpointedJob.Lines(env, Count, Rate, failer).ExecuteAndCollectAsync()) results.Add(line);

        Assert.That(failer.HasFailed, Is.True);
        Assert.That(log.All.Any(l => l.Contains("restart 1") && l.Contains("from checkpoint")), Is.True, log.ToString());
        Assert.That(results.Order(StringComparer.Ordinal), Is.EqualTo(CheckpointedJob.Expected(Count)));
    }

    [Test]
    public async Task FailureFreeRunWithCheckpointsCommitsTheSameOutput()
    {
        using var dir = new TempDir();
        var env = CheckpointedJob.Env(Path.Combine(dir.Path, "chk"), "heap", null);
        var output = Path.Combine(dir.Path, "out");
        CheckpointedJob.Build(env, 3000, 6000, new FailOnce(long.MaxValue), output);
        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(CheckpointedJob.Committed(output), Is.EqualTo(CheckpointedJob.Expected(3000)));
    }

    [Test]
    public async Task WithoutARestartStrategyTheJobFailsWithTheInjectedError()
    {
        using var dir = new TempDir();
        var env = CheckpointedJob.Env(Path.Combine(dir.Path, "chk"), "heap", null);
        CheckpointedJob.Build(env, 3000, 6000, new FailOnce(1000), Path.Combine(dir.Path, "out"));
        var e = Assert.ThrowsAsync<PyFlow.Engine.Runtime.JobExecutionException>(async () => await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(e!.InnerException!.Message, Does.Contain("injected failure at record 1000"));
    }

    [TestCase("heap")]
    [TestCase("rocksdb")]
    public async Task ANewJobRestoredFromTheCheckpointDirectoryAfterTheFirstDiedCompletesTheOutputExactly(string backend)
    {
        using var dir = new TempDir();
        var checkpoints = Path.Combine(dir.Path, "chk");
        var output = Path.Combine(dir.Path, "out");

        // The first run dies (no restart), as if the host had been killed.
        var first = CheckpointedJob.Env(checkpoints, backend, Path.Combine(dir.Path, "rocks1"));
        CheckpointedJob.Build(first, Count, Rate, new FailOnce(Count / 2), output);
        Assert.ThrowsAsync<PyFlow.Engine.Runtime.JobExecutionException>(async () => await first.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.That(CheckpointLayout.ListCompleted(checkpoints), Is.Not.Empty, "the first run completed checkpoints");
        Assert.That(CheckpointedJob.Committed(output), Has.Count.LessThan(CheckpointedJob.Expected(Count).Count));
        AssertOnlyCheckpointedFilesAreCommitted(checkpoints, output);

        // A new job graph of the same program resumes from the directory.
        var log = new LogLines();
        var second = CheckpointedJob.Env(checkpoints, backend, Path.Combine(dir.Path, "rocks2"));
        second.Options.Checkpointing.Log = log.Add;
        second.Options.RestoreFromCheckpoint = checkpoints;
        CheckpointedJob.Build(second, Count, Rate, new FailOnce(long.MaxValue), output);
        await second.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(log.All.Any(l => l.Contains("restoring the job from checkpoint")), Is.True, log.ToString());
        Assert.That(CheckpointedJob.Committed(output), Is.EqualTo(CheckpointedJob.Expected(Count)));
    }
}
