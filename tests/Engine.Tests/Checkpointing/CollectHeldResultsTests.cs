using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Tests.Connectors;

namespace PyFlow.Engine.Tests.Checkpointing;

/// <summary>
/// The failure the collect sink's held results must survive, made exact: an operator chained right
/// before the sink fails while the completion of a checkpoint is being passed down the chain, after
/// the checkpoint is durable and before the sink released the results it held for it.
/// </summary>
public class CollectHeldResultsTests
{
    private const long Count = 12_000;
    private const double Rate = 12_000;

    /// <summary>Passes records on; fails once, at the completion of the first checkpoint whose epoch had records.</summary>
    private sealed class FailAtCompletion : IBatchConsumer<string>, ICheckpointedOperator
    {
        private readonly IBatchConsumer<string> _next;
        private readonly Failed _failed;
        private readonly HashSet<long> _epochsWithRecords = new();
        private long _records;

        public FailAtCompletion(IBatchConsumer<string> next, Failed failed)
        {
            _next = next;
            _failed = failed;
        }

        public void Push(Batch<string> batch)
        {
            _records += batch.Count;
            _next.Push(batch);
        }

        public void Watermark(long watermark) => _next.Watermark(watermark);
        public void EndOfInput() => _next.EndOfInput();

        public void SnapshotState(long checkpointId, Stream output)
        {
            if (_records > 0) _epochsWithRecords.Add(checkpointId);
            _records = 0;
        }

        public void NotifyCheckpointComplete(long checkpointId)
        {
            if (_epochsWithRecords.Contains(checkpointId) && Interlocked.Exchange(ref _failed.Value, 1) == 0)
                throw new InvalidOperationException($"injected failure at the completion of checkpoint {checkpointId}");
        }

        public void RestoreState(Stream input) { }
    }

    private sealed class Failed
    {
        public int Value;
    }

    [Test]
    public async Task ResultsHeldForACompletedCheckpointSurviveAFailureBeforeTheirRelease()
    {
        using var dir = new TempDir();
        var log = new LogLines();
        var env = CheckpointedJob.Env(Path.Combine(dir.Path, "chk"), "heap", null);
        env.Options.Checkpointing.Log = log.Add;
        env.SetRestartStrategy(RestartStrategy.FixedDelayRestart(1, TimeSpan.Zero));
        var failed = new Failed();
        var lines = CheckpointedJob.Lines(env, Count, Rate, new FailOnce(long.MaxValue))
            .Rebalance()
            .Transform<string>("Fail At Completion", (_, next) => new FailAtCompletion(next, failed))
            .SetParallelism(1); // chained with the collect sink, which runs at parallelism 1
        var results = new List<string>();
        await foreach (var line in lines.ExecuteAndCollectAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token)) results.Add(line);

        Assert.That(failed.Value, Is.EqualTo(1), "the injected failure never ran: the test would prove nothing");
        Assert.That(log.All.Any(l => l.Contains("restart 1") && l.Contains("from checkpoint")), Is.True, log.ToString());
        Assert.That(results.Order(StringComparer.Ordinal), Is.EqualTo(CheckpointedJob.Expected(Count)));
    }
}
