using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Operators;
using PyFlow.Engine.State;

namespace PyFlow.Engine.Tests;

/// <summary>Union, connect, co-functions and the partitioners.</summary>
public class StreamShapeTests
{
    private static async Task<List<T>> Collect<T>(DataStream<T> stream)
    {
        var results = new List<T>();
        await foreach (var r in stream.ExecuteAndCollectAsync()) results.Add(r);
        return results;
    }

    [TestCase(1)]
    [TestCase(3)]
    public async Task UnionDeliversEveryRecordOfEveryInputOnce(int parallelism)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        var a = env.FromCollection(Enumerable.Range(0, 1000));
        var b = env.FromCollection(Enumerable.Range(1000, 500)).Map(x => x);
        var c = env.FromCollection(Enumerable.Range(1500, 10));
        var all = await Collect(a.Union(b, c).Map(x => x * 2));
        Assert.That(all.Order(), Is.EqualTo(Enumerable.Range(0, 1510).Select(x => x * 2)));
    }

    [Test]
    public async Task CoMapOfTwoTypesGivesOneStream()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var numbers = env.FromCollection(new[] { 1, 2, 3 });
        var words = env.FromCollection(new[] { "x", "yy" });
        var merged = await Collect(numbers.Connect(words).Map(n => $"n{n}", w => $"w{w.Length}"));
        Assert.That(merged.Order(), Is.EqualTo(new[] { "n1", "n2", "n3", "w1", "w2" }));
    }

    [Test]
    public async Task ConnectingTwoStreamsOfTheSameTypeKeepsTheInputsApart()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var left = env.FromCollection(Enumerable.Range(0, 100));
        var right = env.FromCollection(Enumerable.Range(0, 50));
        var tagged = await Collect(left.Connect(right).Map(l => $"L{l}", r => $"R{r}"));
        Assert.That(tagged.Count(t => t[0] == 'L'), Is.EqualTo(100));
        Assert.That(tagged.Count(t => t[0] == 'R'), Is.EqualTo(50));
    }

    private sealed record Order(string User, int Amount);

    private sealed record Limit(string User, int Max);

    /// <summary>Joins orders with the latest limit per user (keyed state shared by both inputs), buffering orders that arrive first.</summary>
    private sealed class CheckLimits : KeyedCoProcessFunction<string, Order, Limit, string>
    {
        private IValueState<int> _limit = null!;
        private IListState<Order> _waiting = null!;

        public override void Open()
        {
            _limit = RuntimeContext.GetState(new ValueStateDescriptor<int>("limit"));
            _waiting = RuntimeContext.GetListState(new ListStateDescriptor<Order>("waiting"));
        }

        public override void ProcessElement1(Order value, Context ctx, ICollector<string> output)
        {
            if (_limit.TryGetValue(out var max)) output.Collect(Verdict(value, max));
            else _waiting.Add(value);
        }

        public override void ProcessElement2(Limit value, Context ctx, ICollector<string> output)
        {
            _limit.Update(value.Max);
            foreach (var o in _waiting.Get()) output.Collect(Verdict(o, value.Max));
            _waiting.Clear();
        }

        private static string Verdict(Order o, int max) => $"{o.User}:{o.Amount}:{(o.Amount <= max ? "ok" : "over")}";
    }

    [TestCase(1)]
    [TestCase(4)]
    public async Task KeyedCoProcessSharesKeyedStateBetweenItsInputs(int parallelism)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        var orders = env.FromCollection(new[] { new Order("ann", 5), new Order("bob", 50), new Order("ann", 20), new Order("cy", 1) });
        var limits = env.FromCollection(new[] { new Limit("ann", 10), new Limit("bob", 100) });
        var verdicts = await Collect(orders.Connect(limits).KeyBy(o => o.User, l => l.User).Process(new CheckLimits()));
        // cy never gets a limit: its order stays buffered, nothing is emitted for it.
        Assert.That(verdicts.Order(), Is.EqualTo(new[] { "ann:20:over", "ann:5:ok", "bob:50:ok" }));
    }

    [TestCase(1, 2)]
    [TestCase(2, 4)]
    [TestCase(4, 2)]
    public async Task RescaleAndShuffleAndCustomPartitioningDeliverEveryRecordOnce(int upstream, int downstream)
    {
        var env = new StreamExecutionEnvironment { Parallelism = upstream };
        var input = env.FromCollection(Enumerable.Range(0, 3000)).Rebalance().Map(x => x);
        var rescaled = input.Rescale().Map(x => x).SetParallelism(downstream);
        var shuffled = input.Shuffle().Map(x => x + 10_000).SetParallelism(downstream);
        var custom = input.PartitionCustom<int>((k, n) => k % n, x => x).Map(x => x + 20_000).SetParallelism(downstream);
        var all = await Collect(rescaled.Union(shuffled, custom));
        var expected = Enumerable.Range(0, 3000).SelectMany(x => new[] { x, x + 10_000, x + 20_000 });
        Assert.That(all.Order(), Is.EqualTo(expected.Order()));
    }

    [Test]
    public async Task CustomPartitionerPlacesRecordsWhereItSays()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 3 };
        var placed = await Collect(env.FromCollection(Enumerable.Range(0, 30))
            .PartitionCustom<int>((k, n) => k % n, x => x)
            .Process(new WhereAmI()));
        Assert.That(placed.All(p => p.Value % 3 == p.Subtask), Is.True);
        Assert.That(placed, Has.Count.EqualTo(30));
    }

    private sealed class WhereAmI : ProcessFunction<int, (int Value, int Subtask)>
    {
        public override void ProcessElement(int value, Context ctx, ICollector<(int Value, int Subtask)> output) =>
            output.Collect((value, RuntimeContext.IndexOfThisSubtask));
    }

    [Test]
    public void ACustomPartitionerOutOfRangeFailsTheJobNamingThePartition()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.FromCollection(Enumerable.Range(0, 10)).PartitionCustom<int>((_, n) => n, x => x).Map(x => x).AddSink((_, _) => { });
        var e = Assert.ThrowsAsync<Runtime.JobExecutionException>(() => env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.That(e!.Message, Does.Contain("partition 2").And.Contain("[0, 2)"));
    }

    [Test]
    public async Task ASlowSinkBoundsMemoryThroughBackpressure()
    {
        // 500k records of 1 KiB each (500 MiB in all) through a sink that sleeps 1 ms every 256
        // records: without backpressure the queues would fill with most of them; bounded gates
        // keep what is in flight to a few MiB, so the heap stays far below the total.
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.Options.BatchSize = 256;
        long peak = 0, seen = 0;
        const int records = 500_000;
        env.FromSource(new CountingSource(records), "Counting Source")
            .Map(i => (i, new byte[1024]))
            .Rebalance()
            .Map(t => t.i)
            .AddSink((_, _) =>
            {
                if (Interlocked.Increment(ref seen) % 256 == 0)
                {
                    Thread.Sleep(1);
                    var heap = GC.GetTotalMemory(false);
                    if (heap > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, heap);
                }
            });
        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(seen, Is.EqualTo(records));
        Assert.That(peak, Is.LessThan(150L * 1024 * 1024), $"peak managed heap {peak / (1 << 20)} MiB of {records / 1024} MiB produced");
    }

    /// <summary>0, 1, 2, ... generated on demand (not held in memory like a collection).</summary>
    private sealed class CountingSource : Sources.ISource<int>
    {
        private readonly int _count;
        public CountingSource(int count) => _count = count;
        public int MaxParallelism => 1;
        public Sources.ISourceReader<int> CreateReader(int subtaskIndex, int parallelism) => new Reader(_count);

        private sealed class Reader : Sources.ISourceReader<int>
        {
            private readonly int _count;
            private int _next;
            public Reader(int count) => _count = count;
            public Sources.SourceStatus Poll(Sources.SourceOutput<int> output)
            {
                for (var room = output.Room; room > 0 && _next < _count; room--) output.Collect(_next++, Runtime.Batch<int>.NoTimestamp);
                return _next < _count ? Sources.SourceStatus.MoreAvailable : Sources.SourceStatus.End;
            }
            public void Dispose() { }
        }
    }
}
