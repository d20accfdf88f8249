using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Operators;
using PyFlow.Engine.State;
using PyFlow.Engine.Timers;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Tests;

public class EventTimeTests
{
    private sealed record Reading(string Sensor, long Ts, int Value);

    /// <summary>Counts readings per sensor and emits the count from an event-time timer 10 ms after the first reading.</summary>
    private sealed class CountThenFire : KeyedProcessFunction<string, Reading, string>
    {
        private IValueState<int> _count = null!;

        public override void Open() => _count = RuntimeContext.GetState(new ValueStateDescriptor<int>("count"));

        public override void ProcessElement(Reading value, Context ctx, ICollector<string> output)
        {
            if (!_count.TryGetValue(out var n)) ctx.TimerService.RegisterEventTimeTimer(ctx.Timestamp!.Value + 10);
            ctx.TimerService.RegisterEventTimeTimer(ctx.Timestamp!.Value + 1000); // the same timer twice fires once
            _count.Update(n + 1);
        }

        public override void OnTimer(long timestamp, OnTimerContext ctx, ICollector<string> output) =>
            output.Collect($"{ctx.CurrentKey}@{timestamp}:{_count.Value()} wm={ctx.TimerService.CurrentWatermark}");
    }

    private static readonly Reading[] OutOfOrder =
    {
        new("a", 100, 1), new("b", 105, 1), new("a", 95, 1), new("a", 130, 1), new("b", 90, 1), new("a", 1101, 1),
    };

    [TestCase(1)]
    [TestCase(2)]
    public async Task EventTimeTimersFireInTimeOrderIncludingAtTheFinalWatermark(int parallelism)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        env.Options.AutoWatermarkInterval = TimeSpan.Zero; // a watermark after every batch: deterministic
        env.Options.BatchSize = 1;
        var fired = new List<string>();
        var stream = env.FromCollection(OutOfOrder)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<Reading>.ForBoundedOutOfOrderness(TimeSpan.FromMilliseconds(20)).WithTimestampAssigner(r => r.Ts))
            .SetParallelism(1) // chained to the non-parallel source: one watermark sequence, records per key in input order
            .KeyBy(r => r.Sensor)
            .Process(new CountThenFire());
        await foreach (var s in stream.ExecuteAndCollectAsync()) fired.Add(s);

        // Watermark = max ts - 20 - 1. a: first at 100 -> timer 110 fires when wm reaches 110, i.e. after (a,1101) (wm 1080).
        // b: first at 105 -> timer 115, same. The +1000 timers (1095, 1105 for b; 1100, 1095, 1130, 2101 for a) fire
        // at wm 1080 (none) or at the final watermark.
        var a = fired.Where(f => f.StartsWith("a@")).ToList();
        var b = fired.Where(f => f.StartsWith("b@")).ToList();
        Assert.That(a, Is.EqualTo(new[]
        {
            "a@110:4 wm=1080", "a@1095:4 wm=" + long.MaxValue, "a@1100:4 wm=" + long.MaxValue,
            "a@1130:4 wm=" + long.MaxValue, "a@2101:4 wm=" + long.MaxValue,
        }));
        Assert.That(b, Is.EqualTo(new[] { "b@115:2 wm=1080", "b@1090:2 wm=" + long.MaxValue, "b@1105:2 wm=" + long.MaxValue }));
    }

    private sealed class SplitNegatives : ProcessFunction<int, int>
    {
        public static readonly OutputTag<string> Negative = new("negative");

        public override void ProcessElement(int value, Context ctx, ICollector<int> output)
        {
            if (value < 0) ctx.Output(Negative, $"neg:{value}");
            else output.Collect(value);
        }
    }

    [TestCase(1)]
    [TestCase(3)]
    public async Task SideOutputsCarryWhatAProcessFunctionRoutesToThem(int parallelism)
    {
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };
        var input = Enumerable.Range(-50, 200).ToArray();
        var split = env.FromCollection(input).Rebalance().Process(new SplitNegatives());
        var negatives = new List<string>();
        var sideLock = new object();
        split.GetSideOutput(SplitNegatives.Negative).AddSink((s, _) => { lock (sideLock) negatives.Add(s); });
        var positives = new List<int>();
        await foreach (var x in split.ExecuteAndCollectAsync()) positives.Add(x);
        Assert.That(positives.Order(), Is.EqualTo(input.Where(x => x >= 0).Order()));
        Assert.That(negatives.Order(), Is.EqualTo(input.Where(x => x < 0).Select(x => $"neg:{x}").Order()));
    }

    [Test]
    public void MonotonousWatermarksAreMaxTimestampMinusOneAndNeverGoBack()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.Options.AutoWatermarkInterval = TimeSpan.Zero;
        env.Options.BatchSize = 1;
        var seen = new List<long>();
        env.FromCollection(new long[] { 10, 30, 20, 40 })
            .AssignTimestampsAndWatermarks(WatermarkStrategy<long>.ForMonotonousTimestamps().WithTimestampAssigner(x => x))
            .Transform<long>("Watermark Probe", (_, output) => new WatermarkProbe(seen, output))
            .AddSink((_, _) => { });
        env.ExecuteAsync().Wait(TimeSpan.FromSeconds(20));
        Assert.That(seen, Is.EqualTo(new[] { 9L, 29L, 39L, long.MaxValue }));
    }

    private sealed class WatermarkProbe : Runtime.IBatchConsumer<long>
    {
        private readonly List<long> _seen;
        private readonly Runtime.IBatchConsumer<long> _out;
        public WatermarkProbe(List<long> seen, Runtime.IBatchConsumer<long> output) { _seen = seen; _out = output; }
        public void Push(Runtime.Batch<long> batch) => _out.Push(batch);
        public void Watermark(long watermark) { _seen.Add(watermark); _out.Watermark(watermark); }
        public void EndOfInput() => _out.EndOfInput();
    }
}

public class IdlenessTests
{
    private sealed record Tick(string Source, long Ts);

    /// <summary>Emits its records, then nothing (but does not end) until the job is cancelled.</summary>
    private sealed class ThenSilent : Sources.ISource<Tick>
    {
        private readonly Tick[] _ticks;
        public ThenSilent(params Tick[] ticks) => _ticks = ticks;
        public int MaxParallelism => 1;
        public Sources.ISourceReader<Tick> CreateReader(int subtaskIndex, int parallelism) => new Reader(_ticks);

        private sealed class Reader : Sources.ISourceReader<Tick>
        {
            private readonly Tick[] _ticks;
            private int _next;
            public Reader(Tick[] ticks) => _ticks = ticks;
            public Sources.SourceStatus Poll(Sources.SourceOutput<Tick> output)
            {
                if (_next < _ticks.Length) output.Collect(_ticks[_next++], Runtime.Batch<Tick>.NoTimestamp);
                return _next < _ticks.Length ? Sources.SourceStatus.MoreAvailable : Sources.SourceStatus.NothingAvailable;
            }
            public void Dispose() { }
        }
    }

    private sealed class Count : IAggregateFunction<Tick, int, int>
    {
        public int CreateAccumulator() => 0;
        public int Add(Tick value, int acc) => acc + 1;
        public int GetResult(int acc) => acc;
        public int Merge(int a, int b) => a + b;
    }

    private static DataStream<Tick> Watermarked(StreamExecutionEnvironment env, ThenSilent source, TimeSpan? idleness)
    {
        var strategy = WatermarkStrategy<Tick>.ForMonotonousTimestamps().WithTimestampAssigner(t => t.Ts);
        if (idleness is { } idle) strategy = strategy.WithIdleness(idle);
        return env.FromSource(source, "Ticks").AssignTimestampsAndWatermarks(strategy);
    }

    [Test]
    public async Task AnIdleInputStopsHoldingBackTheWatermarkOfTheStreamItJoins()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.Options.AutoWatermarkInterval = TimeSpan.FromMilliseconds(10);
        var busy = Watermarked(env, new ThenSilent(new Tick("busy", 1), new Tick("busy", 5), new Tick("busy", 150)), TimeSpan.FromMilliseconds(50));
        var quiet = Watermarked(env, new ThenSilent(new Tick("quiet", 2)), TimeSpan.FromMilliseconds(50));
        var counts = busy.Union(quiet).KeyBy(_ => 0)
            .Window(Windowing.Assigners.TumblingWindows<Tick>.OfEventTime(TimeSpan.FromMilliseconds(100)))
            .Aggregate(new Count());
        // Neither source ends, so only the watermark can fire window [0,100): once the quiet source
        // is idle, the busy one's watermark (149) alone passes 99.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var n in counts.ExecuteAndCollectAsync(stop.Token))
        {
            Assert.That(n, Is.EqualTo(3));
            return; // leaving the loop cancels the job
        }
        Assert.Fail("window [0,100) never fired");
    }
}

public class ProcessingTimeTests
{
    /// <summary>Emits its records, then waits (without ending) until cancelled.</summary>
    private sealed class ThenWait : Sources.ISource<int>
    {
        public int MaxParallelism => 1;
        public Sources.ISourceReader<int> CreateReader(int subtaskIndex, int parallelism) => new Reader();

        private sealed class Reader : Sources.ISourceReader<int>
        {
            private int _next;
            public Sources.SourceStatus Poll(Sources.SourceOutput<int> output)
            {
                if (_next < 3) output.Collect(++_next, Batch<int>.NoTimestamp);
                return Sources.SourceStatus.NothingAvailable;
            }
            public void Dispose() { }
        }
    }

    [Test]
    public async Task ProcessingTimeWindowsFireWhenTheTestsClockSaysSo()
    {
        var clock = new ManualClock();
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.Options.Clock = clock;
        var sums = env.FromSource(new ThenWait(), "Then Wait").KeyBy(_ => 0)
            .Window(Windowing.Assigners.TumblingWindows<int>.OfProcessingTime(TimeSpan.FromMinutes(1)))
            .Reduce((a, b) => a + b);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var results = sums.ExecuteAndCollectAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = results.MoveNextAsync().AsTask();
        await Task.Delay(300); // the records are in the window, but the (manual) clock has not moved
        Assert.That(next.IsCompleted, Is.False, "no firing before the clock reaches the window's end");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await next, Is.True);
        Assert.That(results.Current, Is.EqualTo(6));
        await results.DisposeAsync();
    }
}
