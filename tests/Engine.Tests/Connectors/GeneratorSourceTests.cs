using System.Diagnostics;
using PyFlow.Engine.Api;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

public class GeneratorSourceTests
{
    [TestCase(1, 10_000)]
    [TestCase(3, 10_000)]
    [TestCase(3, 10_001)]
    [TestCase(4, 2)] // more subtasks than records
    [TestCase(2, 0)]
    public async Task BoundedGeneratorEmitsEveryIndexOnce(int parallelism, long count)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        env.Options.BatchSize = 256;
        var results = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var x in env.FromGenerator(i => $"v{i}", count).ExecuteAndCollectAsync(timeout.Token)) results.Add(x);

        var expected = Enumerable.Range(0, (int)count).Select(i => $"v{i}");
        if (parallelism == 1) Assert.That(results, Is.EqualTo(expected), "in index order");
        else Assert.That(results.Order(StringComparer.Ordinal), Is.EqualTo(expected.Order(StringComparer.Ordinal)));
    }

    [Test]
    public async Task UnboundedGeneratorRunsUntilTheReaderStops()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var results = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var x in env.FromGenerator(i => i, count: null).ExecuteAndCollectAsync(timeout.Token))
        {
            results.Add(x);
            if (results.Count == 5000) break; // leaving the loop cancels the job
        }
        Assert.That(results, Is.EqualTo(Enumerable.Range(0, 5000).Select(i => (long)i)));
    }

    [Test]
    public void TheRateIsKeptOnAControlledClockWithoutEmittingAhead()
    {
        var clock = new SteppedClock();
        var source = new GeneratorSource<long>(i => i, count: 100, recordsPerSecond: 10, clock);
        using var reader = source.CreateReader(0, 1);
        var sink = new ListConsumer<long>();
        var (_, poll) = sink.Output();

        Assert.That(poll(reader), Is.EqualTo(SourceStatus.MoreAvailable));
        Assert.That(sink.Values, Is.EqualTo(new[] { 0L }), "the first record is due at once");
        Assert.That(poll(reader), Is.EqualTo(SourceStatus.NothingAvailable), "ahead of schedule: nothing, so the subtask waits");

        clock.Advance(TimeSpan.FromMilliseconds(250)); // records 1 and 2 are due at 100 and 200 ms
        poll(reader);
        Assert.That(sink.Values, Is.EqualTo(new[] { 0L, 1, 2 }));
        Assert.That(poll(reader), Is.EqualTo(SourceStatus.NothingAvailable));

        clock.Advance(TimeSpan.FromMilliseconds(750)); // at 1 s, records 0..10 are due
        poll(reader);
        Assert.That(sink.Values, Is.EqualTo(Enumerable.Range(0, 11).Select(i => (long)i)));

        clock.Advance(TimeSpan.FromSeconds(100)); // far behind: catches up, and ends after the 100th
        Assert.That(poll(reader), Is.EqualTo(SourceStatus.End));
        Assert.That(sink.Values, Is.EqualTo(Enumerable.Range(0, 100).Select(i => (long)i)));
    }

    [Test]
    public void TheRateIsSplitEvenlyOverSubtasks()
    {
        var clock = new SteppedClock();
        var source = new GeneratorSource<long>(i => i, count: null, recordsPerSecond: 10, clock);
        var subtasks = Enumerable.Range(0, 2).Select(i => (Reader: source.CreateReader(i, 2), Sink: new ListConsumer<long>())).ToList();
        var polls = subtasks.Select(s => s.Sink.Output().Poll).ToList();
        for (var i = 0; i < 2; i++) polls[i](subtasks[i].Reader);

        clock.Advance(TimeSpan.FromSeconds(1)); // 5 per second each: 6 records due since the first poll
        for (var i = 0; i < 2; i++) polls[i](subtasks[i].Reader);

        Assert.That(subtasks[0].Sink.Values, Is.EqualTo(new long[] { 0, 2, 4, 6, 8, 10 }));
        Assert.That(subtasks[1].Sink.Values, Is.EqualTo(new long[] { 1, 3, 5, 7, 9, 11 }));
        foreach (var s in subtasks) s.Reader.Dispose();
    }

    [Test]
    public async Task TheRateHoldsInRealTime()
    {
        // 500 records at 1000/s: the last is due 0.499 s after the first. A loose lower bound only.
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var watch = Stopwatch.StartNew();
        var count = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var _ in env.FromGenerator(i => i, 500, recordsPerSecond: 1000).ExecuteAndCollectAsync(timeout.Token)) count++;
        Assert.That(count, Is.EqualTo(500));
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.4)));
    }

    [Test]
    public void RefusesANegativeCountOrRate()
    {
        var env = new StreamExecutionEnvironment();
        Assert.Throws<ArgumentOutOfRangeException>(() => env.FromGenerator(i => i, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.FromGenerator(i => i, 10, -5));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.FromGenerator(i => i, 10, double.NaN));
    }
}
