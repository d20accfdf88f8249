using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Tests;

public class WordCountTests
{
    private static readonly string[] Lines =
    {
        "to be or not to be", "that is the question", "to be is to do", "do be do be do",
    };

    private static Dictionary<string, int> ExpectedCounts() =>
        Lines.SelectMany(l => l.Split(' ')).GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());

    private static DataStream<(string Word, int Count)> WordCount(StreamExecutionEnvironment env) =>
        env.FromCollection(Lines)
            .FlatMap<string>((line, o) => { foreach (var w in line.Split(' ')) o.Collect(w); })
            .Map(w => (Word: w, Count: 1))
            .KeyBy(t => t.Word)
            .Reduce((a, b) => (a.Word, a.Count + b.Count));

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public async Task StreamingReduceEmitsEveryUpdateInOrderPerKey(int parallelism)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        var results = new List<(string Word, int Count)>();
        await foreach (var r in WordCount(env).ExecuteAndCollectAsync()) results.Add(r);

        var expected = ExpectedCounts();
        Assert.That(results, Has.Count.EqualTo(expected.Values.Sum()), "one update per word occurrence");
        foreach (var g in results.GroupBy(r => r.Word))
            Assert.That(g.Select(r => r.Count), Is.EqualTo(Enumerable.Range(1, expected[g.Key])), $"updates of '{g.Key}' in arrival order");
    }

    [TestCase(1)]
    [TestCase(3)]
    public async Task BatchModeEmitsOnlyTheFinalValuePerKey(int parallelism)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism, RuntimeMode = RuntimeExecutionMode.Batch };
        var results = new List<(string Word, int Count)>();
        await foreach (var r in WordCount(env).ExecuteAndCollectAsync()) results.Add(r);
        Assert.That(results.ToDictionary(r => r.Word, r => r.Count), Is.EqualTo(ExpectedCounts()));
    }

    [Test]
    public void AFailingFunctionFailsTheJobWithItsException()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.FromCollection(Enumerable.Range(0, 10_000))
            .Map(x => x == 5_000 ? throw new ArithmeticException("boom at 5000") : x, "Exploding Map")
            .AddSink((_, _) => { });
        var e = Assert.ThrowsAsync<JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(e!.InnerException, Is.TypeOf<ArithmeticException>());
        Assert.That(e.Message, Does.Contain("Exploding Map").And.Contain("boom at 5000"));
    }

    [Test]
    public async Task ManyRecordsThroughAShuffleArriveExactlyOnce()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.Options.BatchSize = 100;
        long sum = 0, count = 0;
        var n = 200_000;
        await foreach (var x in env.FromCollection(Enumerable.Range(0, n).Select(i => (long)i)).Rebalance().Map(x => x * 2).ExecuteAndCollectAsync())
        {
            sum += x;
            count++;
        }
        Assert.That(count, Is.EqualTo(n));
        Assert.That(sum, Is.EqualTo(2L * n * (n - 1) / 2));
    }
}
