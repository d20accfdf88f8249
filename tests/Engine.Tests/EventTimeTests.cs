using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Operators;
using PyFlow.Engine.State;
using PyFlow.Engine.Timers;

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
