using System.Diagnostics;
using PyFlow.Engine.Api;
using PyFlow.Engine.Sources;
using PyFlow.PyBridge.Operators;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Tests;

/// <summary>A partly filled bundle goes to the worker when python.fn-execution.bundle.time passes: latency stays bounded.</summary>
public class BundleTimeTests
{
    /// <summary>One record every 300 ms, each carrying the time it was made; never ends on its own.</summary>
    private sealed class Trickle : ISource<PyRecord>
    {
        public int MaxParallelism => 1;
        public ISourceReader<PyRecord> CreateReader(int subtaskIndex, int parallelism) => new Reader();

        private sealed class Reader : ISourceReader<PyRecord>
        {
            private long _nextAt;
            public SourceStatus Poll(SourceOutput<PyRecord> output)
            {
                var now = Stopwatch.GetTimestamp();
                if (now < _nextAt) return SourceStatus.NothingAvailable;
                _nextAt = now + Stopwatch.Frequency * 3 / 10;
                output.Collect(PyRecord.OfLong(now), Engine.Runtime.Batch<PyRecord>.NoTimestamp);
                return SourceStatus.NothingAvailable;
            }
            public void Dispose() { }
        }
    }

    [Test]
    public async Task ATrickleGetsResultsWithinTheBundleTimeNotWhenTheBundleIsFull()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var chain = new PythonChain("Identity", PyType.FromName("LONG"),
            new[] { new WorkerStage("map", "Identity", Pickles.Of("lambda x: x"), PyType.FromName("LONG")) });
        var options = new PythonOptions { BundleTimeMs = 50, BundleSize = 100_000, ArrowBatchSize = 10_000 };
        var results = env.FromSource(new Trickle(), "Trickle")
            .Transform<PyRecord>("Identity", (ctx, output) => new PythonOperator(ctx, output, chain,
                new PythonInterpreter(Repo.Python, new[] { Repo.PythonPackageDir }), options, false, Console.Error.WriteLine));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var latencies = new List<double>();
        await foreach (var r in results.ExecuteAndCollectAsync(stop.Token))
        {
            latencies.Add((Stopwatch.GetTimestamp() - r.Bits) * 1000.0 / Stopwatch.Frequency);
            if (latencies.Count == 4) break; // leaving the loop cancels the job
        }
        // Each record waits at most bundle.time (50 ms) for the flush, plus the round trip; a
        // bundle of 10,000 records would never fill at this rate.
        Assert.That(latencies.Skip(1).Max(), Is.LessThan(50 + 150), string.Join(", ", latencies.Select(l => $"{l:0} ms")));
    }
}
