using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Operators;
using PyFlow.Engine.State;
using PyFlow.Engine.Tests.Connectors;

namespace PyFlow.Engine.Tests.Checkpointing;

/// <summary>Barriers aligned across two inputs from two sources; keyed state and event-time timers restored.</summary>
public class TwoInputRecoveryTests
{
    /// <summary>Sums both inputs per key in value state; a timer at the end of time emits the total.</summary>
    private sealed class SumBoth : KeyedCoProcessFunction<long, long, long, string>
    {
        private IValueState<long> _sum = null!;
        public override void Open() => _sum = RuntimeContext.GetState(new ValueStateDescriptor<long>("sum"));
        public override void ProcessElement1(long value, Context ctx, ICollector<string> output) => Add(value, ctx);
        public override void ProcessElement2(long value, Context ctx, ICollector<string> output) => Add(-value, ctx);

        private void Add(long value, Context ctx)
        {
            _sum.Update(_sum.Value() + value);
            ctx.TimerService.RegisterEventTimeTimer(long.MaxValue - 1);
        }

        public override void OnTimer(long timestamp, OnTimerContext ctx, ICollector<string> output) =>
            output.Collect($"{ctx.CurrentKey} {_sum.Value()}");
    }

    [TestCase("heap")]
    [TestCase("rocksdb")]
    public async Task KeyedCoProcessOverTwoSourcesRecoversItsStateAndTimers(string backend)
    {
        using var dir = new TempDir();
        var log = new LogLines();
        var env = CheckpointedJob.Env(Path.Combine(dir.Path, "chk"), backend, Path.Combine(dir.Path, "rocks"));
        env.Options.Checkpointing.Log = log.Add;
        env.SetRestartStrategy(RestartStrategy.FixedDelayRestart(1, TimeSpan.Zero));
        var failer = new FailOnce(3000);
        var first = env.FromGenerator(n => n, 6000, 6000)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<long>.ForMonotonousTimestamps().WithTimestampAssigner(n => n))
            .Map(n => failer.Pass(n), "Failure Injector");
        var second = env.FromGenerator(n => n * 3, 3000, 3000)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<long>.ForMonotonousTimestamps().WithTimestampAssigner(n => n));
        var output = Path.Combine(dir.Path, "out");
        first.Connect(second).KeyBy(a => a % 5, b => b % 5).Process(new SumBoth()).SinkToFiles(output);

        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var expected = Enumerable.Range(0, 5).Select(k => $"{k} {Enumerable.Range(0, 6000).Where(n => n % 5 == k).Sum(n => (long)n) - Enumerable.Range(0, 3000).Select(n => n * 3L).Where(n => n % 5 == k).Sum()}");
        Assert.That(failer.HasFailed, Is.True);
        Assert.That(log.All.Any(l => l.Contains("restart 1") && l.Contains("from checkpoint")), Is.True, log.ToString());
        Assert.That(CheckpointedJob.Committed(output), Is.EqualTo(expected.Order(StringComparer.Ordinal)));
    }

    [Test]
    public async Task RestoringIntoAJobOfAnotherParallelismIsRefusedClearly()
    {
        using var dir = new TempDir();
        var checkpoints = Path.Combine(dir.Path, "chk");
        var env = CheckpointedJob.Env(checkpoints, "heap", null);
        CheckpointedJob.Build(env, 3000, 6000, new FailOnce(long.MaxValue), Path.Combine(dir.Path, "out"));
        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(CheckpointLayout.ListCompleted(checkpoints), Is.Not.Empty);

        var other = CheckpointedJob.Env(checkpoints, "heap", null);
        other.Parallelism = 1;
        other.Options.RestoreFromCheckpoint = checkpoints;
        CheckpointedJob.Build(other, 3000, 6000, new FailOnce(long.MaxValue), Path.Combine(dir.Path, "out2"));
        var e = Assert.ThrowsAsync<InvalidOperationException>(async () => await other.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(e!.Message, Does.Contain("at parallelism 2, this job at 1").And.Contain("set the same parallelism"));
    }
}
