using PyFlow.Engine.Api;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Tests.Connectors;

namespace PyFlow.Engine.Tests.Checkpointing;

/// <summary>Timeouts, damaged checkpoints, retention, file modes and option validation.</summary>
public class CheckpointStorageTests
{
    /// <summary>Passes records on; its first snapshot takes longer than the checkpoint timeout.</summary>
    private sealed class SlowFirstSnapshot<T> : IBatchConsumer<T>, ICheckpointedOperator
    {
        private static int _slowed;
        private readonly IBatchConsumer<T> _out;
        private readonly TimeSpan _delay;
        public SlowFirstSnapshot(IBatchConsumer<T> output, TimeSpan delay) { _out = output; _delay = delay; }
        public static void Reset() => _slowed = 0;
        public void Push(Batch<T> batch) => _out.Push(batch);
        public void Watermark(long watermark) => _out.Watermark(watermark);
        public void EndOfInput() => _out.EndOfInput();
        public void SnapshotState(long checkpointId, Stream output)
        {
            if (Interlocked.Exchange(ref _slowed, 1) == 0) Thread.Sleep(_delay);
        }
        public void RestoreState(Stream input) { }
    }

    [Test]
    public async Task ACheckpointThatTimesOutIsAbandonedCleanlyAndTheNextOneCompletes()
    {
        using var dir = new TempDir();
        var checkpoints = Path.Combine(dir.Path, "chk");
        var log = new LogLines();
        var env = CheckpointedJob.Env(checkpoints, "heap", null);
        env.Options.Checkpointing.Timeout = TimeSpan.FromMilliseconds(300);
        env.Options.Checkpointing.Log = log.Add;
        SlowFirstSnapshot<long>.Reset();
        var output = Path.Combine(dir.Path, "out");
        env.FromGenerator(n => n, 12_000, 8000)
            .Transform<long>("Slow Snapshot", (ctx, o) => new SlowFirstSnapshot<long>(o, TimeSpan.FromMilliseconds(800)))
            .SinkToFiles(output);
        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(log.All.Any(l => l.StartsWith("checkpoint 1 abandoned: not complete after 300 ms")), Is.True, log.ToString());
        var completed = CheckpointLayout.ListCompleted(checkpoints);
        Assert.That(completed, Is.Not.Empty, "a later checkpoint completed");
        Assert.That(completed.Select(c => c.Id), Has.None.EqualTo(1L));
        Assert.That(Directory.GetDirectories(checkpoints).Select(Path.GetFileName), Has.None.StartsWith("."), "the abandoned checkpoint's files are gone");
        Assert.That(CompletedCheckpoint.Load(completed[0].Path, CheckpointSigningKey.Open(CheckpointSigningKey.DefaultFile)).Id, Is.EqualTo(completed[0].Id));
        Assert.That(CheckpointedJob.Committed(output).Select(long.Parse).Order(), Is.EqualTo(Enumerable.Range(0, 12_000).Select(i => (long)i)));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are POSIX
    public async Task KeepsTheLastNCheckpointsOwnerOnlyAndDeletesOlderOnes()
    {
        using var dir = new TempDir();
        var checkpoints = Path.Combine(dir.Path, "chk");
        var env = CheckpointedJob.Env(checkpoints, "heap", null, retained: 2);
        CheckpointedJob.Build(env, 6000, 6000, new FailOnce(long.MaxValue), Path.Combine(dir.Path, "out"));
        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var completed = CheckpointLayout.ListCompleted(checkpoints);
        Assert.That(completed, Has.Count.EqualTo(2));
        Assert.That(completed[0].Id, Is.GreaterThan(2), "older checkpoints were taken and deleted");
        Assert.That(completed[1].Id, Is.EqualTo(completed[0].Id - 1));
        foreach (var (_, path) in completed)
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            foreach (var f in Directory.GetFiles(path))
                Assert.That(File.GetUnixFileMode(f), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), f);
            Assert.That(Directory.GetFiles(path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "_metadata", "_metadata.hmac", "v0-s0.state", "v0-s1.state", "v1-s0.state", "v1-s1.state" }));
        }
    }

    [Test]
    public async Task ADamagedNewestCheckpointIsRefusedWithAClearReasonAndTheOlderOneIsUsed()
    {
        using var dir = new TempDir();
        var checkpoints = Path.Combine(dir.Path, "chk");
        var output = Path.Combine(dir.Path, "out");
        const long count = 12_000;
        var first = CheckpointedJob.Env(checkpoints, "heap", null, retained: 3);
        CheckpointedJob.Build(first, count, 12_000, new FailOnce(count / 2), output);
        Assert.ThrowsAsync<JobExecutionException>(async () => await first.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        var completed = CheckpointLayout.ListCompleted(checkpoints);
        Assert.That(completed, Has.Count.GreaterThanOrEqualTo(2));

        // Damage the newest: one state file loses its last bytes.
        var part = Path.Combine(completed[0].Path, "v1-s0.state");
        File.WriteAllBytes(part, File.ReadAllBytes(part)[..^3]);
        var e = Assert.Throws<CorruptCheckpointException>(() => CompletedCheckpoint.Load(completed[0].Path, CheckpointSigningKey.Open(CheckpointSigningKey.DefaultFile)));
        Assert.That(e!.Message, Does.Contain("v1-s0.state").And.Contain("does not match its checksum"));

        var log = new LogLines();
        var second = CheckpointedJob.Env(checkpoints, "heap", null, retained: 3);
        second.Options.Checkpointing.Log = log.Add;
        second.Options.RestoreFromCheckpoint = checkpoints;
        CheckpointedJob.Build(second, count, 12_000, new FailOnce(long.MaxValue), output);
        await second.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(log.All.Any(l => l.Contains("checkpoint refused") && l.Contains(completed[0].Path)), Is.True, log.ToString());
        Assert.That(log.All.Any(l => l.Contains($"restoring the job from checkpoint '{completed[1].Path}'")), Is.True, log.ToString());
        Assert.That(CheckpointedJob.Committed(output), Is.EqualTo(CheckpointedJob.Expected(count)));
    }

    [Test]
    public void RestoringFromADamagedCheckpointNamedExplicitlyFailsNamingIt()
    {
        using var dir = new TempDir();
        var chk = Path.Combine(dir.Path, "chk-4");
        Directory.CreateDirectory(chk);
        var env = CheckpointedJob.Env(Path.Combine(dir.Path, "chk2"), "heap", null);
        env.Options.RestoreFromCheckpoint = chk;
        CheckpointedJob.Build(env, 10, 0, new FailOnce(long.MaxValue), Path.Combine(dir.Path, "out"));
        var e = Assert.ThrowsAsync<CorruptCheckpointException>(async () => await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(e!.Message, Does.Contain(chk).And.Contain("no _metadata file"));
    }

    [Test]
    public async Task AtLeastOnceModeTakesCheckpointsWithoutHoldingChannelsBack()
    {
        using var dir = new TempDir();
        var checkpoints = Path.Combine(dir.Path, "chk");
        var env = CheckpointedJob.Env(checkpoints, "heap", null);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(100), CheckpointingMode.AtLeastOnce);
        var output = Path.Combine(dir.Path, "out");
        CheckpointedJob.Build(env, 4000, 8000, new FailOnce(long.MaxValue), output);
        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(CheckpointLayout.ListCompleted(checkpoints), Is.Not.Empty);
        Assert.That(CheckpointedJob.Committed(output), Is.EqualTo(CheckpointedJob.Expected(4000)));
    }

    [Test]
    public void OptionsAreValidatedWithMessagesThatSayWhatToSet()
    {
        var options = new JobOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Checkpointing.Interval = TimeSpan.FromMilliseconds(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Checkpointing.Timeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Checkpointing.MinPause = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Checkpointing.RetainedCheckpoints = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => RestartStrategy.FixedDelayRestart(0, TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => options.Checkpointing.SigningKeyFile = " ");
    }

    [Test]
    public void ASourceThatCannotRewindIsRefusedWhenCheckpointing()
    {
        using var dir = new TempDir();
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.EnableCheckpointing(TimeSpan.FromSeconds(1));
        env.Options.Checkpointing.Directory = dir.Path;
        env.SocketTextStream("localhost", 1).Print();
        var e = Assert.ThrowsAsync<JobExecutionException>(async () => await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(e!.InnerException!.Message, Does.Contain("cannot rewind"));
    }
}
