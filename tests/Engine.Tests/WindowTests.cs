using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Operators;
using PyFlow.Engine.State;
using PyFlow.Engine.Windowing;
using PyFlow.Engine.Windowing.Assigners;

namespace PyFlow.Engine.Tests;

/// <summary>Window semantics pinned with exact outputs (Flink's, as in shared/FLINK_SEMANTICS.md).</summary>
public class WindowTests
{
    private sealed record Event(string Key, long Ts, int Value);

    private static StreamExecutionEnvironment Env(int parallelism)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        env.Options.AutoWatermarkInterval = TimeSpan.Zero; // a watermark after every batch of one record: deterministic
        env.Options.BatchSize = 1;
        return env;
    }

    private static KeyedStream<Event, string> Keyed(StreamExecutionEnvironment env, IEnumerable<Event> events, long outOfOrderness = 0) =>
        env.FromCollection(events)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<Event>.ForBoundedOutOfOrderness(TimeSpan.FromMilliseconds(outOfOrderness)).WithTimestampAssigner(e => e.Ts))
            .SetParallelism(1)
            .KeyBy(e => e.Key);

    private static async Task<List<T>> Collect<T>(DataStream<T> stream)
    {
        var results = new List<T>();
        await foreach (var r in stream.ExecuteAndCollectAsync()) results.Add(r);
        return results;
    }

    /// <summary>Emits "key [start,end) sum@timestamp-of-result" for every firing.</summary>
    private sealed class Describe : ProcessWindowFunction<int, string, string, TimeWindow>
    {
        public override void Process(string key, Context ctx, IEnumerable<int> elements, ICollector<string> output) =>
            output.Collect($"{key} [{ctx.Window.Start},{ctx.Window.End}) {string.Join("+", elements)}");
    }

    private sealed class Sum : IAggregateFunction<Event, int, int>
    {
        public int CreateAccumulator() => 0;
        public int Add(Event value, int acc) => acc + value.Value;
        public int GetResult(int acc) => acc;
        public int Merge(int a, int b) => a + b;
    }

    [TestCase(1)]
    [TestCase(4)]
    public async Task TumblingWindowsOverOutOfOrderInputGiveExactSumsAtEndMinusOne(int parallelism)
    {
        var env = Env(parallelism);
        var events = new[]
        {
            new Event("a", 1, 1), new Event("b", 3, 10), new Event("a", 12, 2), new Event("a", 7, 4),
            new Event("b", 15, 20), new Event("a", -3, 8), new Event("b", 25, 40),
        };
        var results = new List<(string, int, long)>();
        var stream = Keyed(env, events, outOfOrderness: 100)
            .Window(TumblingWindows<Event>.OfEventTime(TimeSpan.FromMilliseconds(10)))
            .Reduce((x, y) => x with { Value = x.Value + y.Value })
            .Map(e => (e.Key, e.Value));
        var withTs = new List<(string Key, int Sum, long Ts)>();
        stream.AddSink((v, ts) => { lock (withTs) withTs.Add((v.Key, v.Value, ts)); });
        await env.ExecuteAsync();
        // a: [-10,0) {-3:8}, [0,10) {1,7: 1+4}, [10,20) {12: 2}; b: [0,10) 10, [10,20) 20, [20,30) 40.
        Assert.That(withTs.OrderBy(r => r.Key).ThenBy(r => r.Ts), Is.EqualTo(new[]
        {
            ("a", 8, -1L), ("a", 5, 9L), ("a", 2, 19L), ("b", 10, 9L), ("b", 20, 19L), ("b", 40, 29L),
        }));
    }

    [Test]
    public async Task LateRecordsAreDroppedOrSentToTheSideOutputAndAllowedLatenessRefires()
    {
        var env = Env(1);
        var late = new OutputTag<Event>("late");
        var events = new[]
        {
            new Event("k", 1, 1),   // window [0,10)
            new Event("k", 15, 1),  // wm 14: [0,10) fires with 1
            new Event("k", 5, 2),   // late but within lateness 10 (9 + 10 > 14): added, fires again with 1+2
            new Event("k", 31, 1),  // wm 30: cleanup of [0,10) at 19 and of [10,20) at 29
            new Event("k", 6, 4),   // too late: 9 + 10 <= 30 -> side output
        };
        var windowed = Keyed(env, events)
            .Window(TumblingWindows<Event>.OfEventTime(TimeSpan.FromMilliseconds(10)))
            .AllowedLateness(TimeSpan.FromMilliseconds(10))
            .SideOutputLateData(late);
        var sums = windowed.Process(new DescribeEvents());
        var lateSeen = new List<Event>();
        sums.GetSideOutput(late).AddSink((e, _) => lateSeen.Add(e));
        var fired = await Collect(sums);
        Assert.That(fired, Is.EqualTo(new[] { "k [0,10) 1", "k [0,10) 1+2", "k [10,20) 1", "k [30,40) 1" }));
        Assert.That(lateSeen, Is.EqualTo(new[] { new Event("k", 6, 4) }));
    }

    private sealed class DescribeEvents : ProcessWindowFunction<Event, string, string, TimeWindow>
    {
        public override void Process(string key, Context ctx, IEnumerable<Event> elements, ICollector<string> output) =>
            output.Collect($"{key} [{ctx.Window.Start},{ctx.Window.End}) {string.Join("+", elements.Select(e => e.Value))}");
    }

    [Test]
    public async Task WithoutALateSideOutputTooLateRecordsAreDroppedNotEmitted()
    {
        var env = Env(1);
        var events = new[] { new Event("k", 1, 1), new Event("k", 25, 1), new Event("k", 2, 7) };
        var fired = await Collect(Keyed(env, events).Window(TumblingWindows<Event>.OfEventTime(TimeSpan.FromMilliseconds(10))).Process(new DescribeEvents()));
        Assert.That(fired, Is.EqualTo(new[] { "k [0,10) 1", "k [20,30) 1" }));
    }

    [Test]
    public async Task SessionsMergeWhenWindowsTouchSoRecordsExactlyAGapApartShareASession()
    {
        var env = Env(1);
        var events = new[]
        {
            new Event("u", 0, 1), new Event("u", 10, 2),   // exactly the gap apart: one session [0,20)
            new Event("u", 40, 3), new Event("u", 25, 4),  // 25 opens [25,35); 40 is 5 after its end: separate [40,50)
            new Event("u", 32, 5),                         // [32,42) bridges [25,35) and [40,50) into [25,50)
            new Event("v", 5, 100),
        };
        var fired = await Collect(Keyed(env, events, outOfOrderness: 100)
            .Window(SessionWindows<Event>.WithGap(TimeSpan.FromMilliseconds(10)))
            .Aggregate(new Sum(), new Label()));
        Assert.That(fired.Order(), Is.EqualTo(new[] { "u [0,20) 3", "u [25,50) 12", "v [5,15) 100" }));
    }

    private sealed class Label : ProcessWindowFunction<int, string, string, TimeWindow>
    {
        public override void Process(string key, Context ctx, IEnumerable<int> elements, ICollector<string> output) =>
            output.Collect($"{key} [{ctx.Window.Start},{ctx.Window.End}) {elements.Single()}");
    }

    [Test]
    public async Task EachRecordIsInSizeOverSlideSlidingWindows()
    {
        var env = Env(1);
        var events = new[] { new Event("k", 7, 1), new Event("k", 13, 2) };
        var fired = await Collect(Keyed(env, events)
            .Window(SlidingWindows<Event>.OfEventTime(TimeSpan.FromMilliseconds(15), TimeSpan.FromMilliseconds(5)))
            .Process(new DescribeEvents()));
        // 7 is in [0,15), [5,20); also [-5,10). 13 is in [0,15), [5,20), [10,25).
        Assert.That(fired.Order(), Is.EqualTo(new[] { "k [-5,10) 1", "k [0,15) 1+2", "k [10,25) 2", "k [5,20) 1+2" }.Order()));
    }

    [Test]
    public async Task CountWindowsFireEveryNRecordsPerKeyAndPurge()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var input = Enumerable.Range(1, 10).Select(i => (Key: i % 2, Value: i)).ToArray();
        var sums = await Collect(env.FromCollection(input).KeyBy(x => x.Key).CountWindow(2).Reduce((a, b) => (a.Key, a.Value + b.Value)));
        // odd: 1+3, 5+7 (9 waits for a partner forever); even: 2+4, 6+8 (10 waits).
        Assert.That(sums.Select(s => s.Value).Order(), Is.EqualTo(new[] { 4, 6, 12, 14 }));
    }

    [Test]
    public async Task NegativeTimestampsAlignLikePositiveOnes()
    {
        var env = Env(1);
        var events = new[] { new Event("k", -1, 1), new Event("k", -10, 2), new Event("k", -11, 4), new Event("k", 0, 8) };
        var fired = await Collect(Keyed(env, events, outOfOrderness: 50).Window(TumblingWindows<Event>.OfEventTime(TimeSpan.FromMilliseconds(10))).Process(new DescribeEvents()));
        Assert.That(fired.Order(), Is.EqualTo(new[] { "k [-10,0) 1+2", "k [-20,-10) 4", "k [0,10) 8" }.Order()));
    }

    [Test]
    public async Task WindowAllRunsAtParallelismOneOverTheWholeStream()
    {
        var env = Env(3);
        var events = Enumerable.Range(0, 30).Select(i => new Event($"k{i % 5}", i, 1)).ToArray();
        var counts = await Collect(env.FromCollection(events)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<Event>.ForMonotonousTimestamps().WithTimestampAssigner(e => e.Ts)).SetParallelism(1)
            .WindowAll(TumblingWindows<Event>.OfEventTime(TimeSpan.FromMilliseconds(10)))
            .Aggregate(new Sum()));
        Assert.That(counts, Is.EqualTo(new[] { 10, 10, 10 }));
    }

    [Test]
    public async Task BatchAndStreamingModesGiveTheSameWindowResults()
    {
        var events = Enumerable.Range(0, 500).Select(i => new Event($"k{i % 7}", (i * 37) % 1000, i)).ToArray();
        async Task<List<string>> Run(RuntimeExecutionMode mode)
        {
            var env = new StreamExecutionEnvironment { Parallelism = 2, RuntimeMode = mode };
            return (await Collect(Keyed(env, events, outOfOrderness: 1000)
                .Window(TumblingWindows<Event>.OfEventTime(TimeSpan.FromMilliseconds(100)))
                .Aggregate(new Sum(), new Label()))).Order().ToList();
        }
        var streaming = await Run(RuntimeExecutionMode.Streaming);
        var batch = await Run(RuntimeExecutionMode.Batch);
        Assert.That(batch, Is.EqualTo(streaming));
        var expected = events.GroupBy(e => (e.Key, Start: e.Ts / 100 * 100))
            .Select(g => $"{g.Key.Key} [{g.Key.Start},{g.Key.Start + 100}) {g.Sum(e => e.Value)}").Order().ToList();
        Assert.That(streaming, Is.EqualTo(expected));
    }
}
