using System.Collections.Concurrent;
using PyFlow.Engine.Api;
using PyFlow.Engine.Metrics;

namespace PyFlow.Engine.Tests;

/// <summary>Per-operator record counts (progress reports): exact at the end of a job, summed over subtasks.</summary>
public class JobMetricsTests
{
    [TestCase(1)]
    [TestCase(3)]
    public async Task CountsEveryOperatorsRecordsInAndOut(int parallelism)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        var seen = new ConcurrentBag<int>();
        env.FromCollection(Enumerable.Range(0, 1000), "Numbers")
            .Rebalance()
            .Map(x => x * 3, "Triple")
            .Filter(x => x % 2 == 0, "Even")
            .FlatMap<int>((x, o) => { o.Collect(x); o.Collect(x); }, "Twice")
            .AddSink((x, _) => seen.Add(x), "Bag");
        var metrics = new JobMetrics();
        await env.ExecuteAsync(metrics);

        var byName = metrics.Snapshot().ToDictionary(o => o.Name);
        Assert.That(seen, Has.Count.EqualTo(1000));
        Assert.That(metrics.Snapshot().Select(o => o.Name), Is.EqualTo(new[] { "Numbers", "Triple", "Even", "Twice", "Bag" }), "plan order");
        Assert.That(byName["Numbers"], Is.EqualTo(new OperatorCounts("Numbers", 1, 0, 1000)));
        Assert.That(byName["Triple"], Is.EqualTo(new OperatorCounts("Triple", parallelism, 1000, 1000)));
        Assert.That(byName["Even"], Is.EqualTo(new OperatorCounts("Even", parallelism, 1000, 500)));
        Assert.That(byName["Twice"], Is.EqualTo(new OperatorCounts("Twice", parallelism, 500, 1000)));
        Assert.That(byName["Bag"], Is.EqualTo(new OperatorCounts("Bag", parallelism, 1000, 0)));
    }

    [Test]
    public async Task CountsBothInputsOfATwoInputOperator()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var numbers = env.FromCollection(new[] { 1, 2, 3 });
        var words = env.FromCollection(new[] { "x", "yy" });
        numbers.Connect(words).Map(n => $"n{n}", w => $"w{w.Length}").AddSink((_, _) => { }, "Drop");
        var metrics = new JobMetrics();
        await env.ExecuteAsync(metrics);
        var coMap = metrics.Snapshot().Single(o => o.Name != "Drop" && o.Name != "Collection Source");
        Assert.That((coMap.RecordsIn, coMap.RecordsOut), Is.EqualTo((5L, 5L)));
    }

    [Test]
    public void WithoutMetricsNothingIsCounted()
    {
        // The overload without metrics builds no counting wrappers: the job still runs as before.
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var sum = 0;
        env.FromCollection(new[] { 1, 2, 3 }).AddSink((x, _) => sum += x);
        Assert.That(env.ExecuteAsync().Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(sum, Is.EqualTo(6));
    }
}
