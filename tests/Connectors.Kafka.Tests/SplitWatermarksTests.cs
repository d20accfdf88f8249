namespace PyFlow.Connectors.Kafka.Tests;

/// <summary>Per-partition watermarks: the minimum over active partitions, idle ones left out, never backwards.</summary>
public class SplitWatermarksTests
{
    private sealed class Clock : TimeProvider
    {
        private long _ticks = 1_000 * TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private static (SplitWatermarks<int> Marks, Clock Clock, List<string> Out) Make(long outOfOrdernessMs, TimeSpan? idleness)
    {
        var clock = new Clock();
        return (new SplitWatermarks<int>(outOfOrdernessMs, true, idleness, TimeSpan.FromMilliseconds(200), clock), clock, new List<string>());
    }

    private static void Emit(SplitWatermarks<int> marks, Clock clock, List<string> output)
    {
        clock.Advance(TimeSpan.FromMilliseconds(200));
        marks.MaybeEmit(w => output.Add($"wm {w}"), idle => output.Add(idle ? "idle" : "active"));
    }

    [Test]
    public void TheWatermarkIsTheMinimumOverPartitionsOfMaxMinusBoundMinusOne()
    {
        var (marks, clock, output) = Make(outOfOrdernessMs: 10, idleness: null);
        marks.AddSplit(0);
        marks.AddSplit(1);
        marks.OnRecord(0, 5_000);
        Emit(marks, clock, output);
        Assert.That(output, Is.Empty, "partition 1 has no record yet: it holds the watermark at the start of time");
        marks.OnRecord(1, 1_000);
        marks.OnRecord(1, 800); // out of order within the partition: the max counts
        Emit(marks, clock, output);
        Assert.That(output, Is.EqualTo(new[] { "wm 989" }), "min(5000, 1000) - 10 - 1");
        marks.OnRecord(1, 9_000);
        Emit(marks, clock, output);
        Assert.That(output.Last(), Is.EqualTo("wm 4989"), "now partition 0 is behind");
    }

    [Test]
    public void AnIdlePartitionIsLeftOutAndAllIdleMakesTheReaderIdle()
    {
        var (marks, clock, output) = Make(outOfOrdernessMs: 0, idleness: TimeSpan.FromSeconds(1));
        marks.AddSplit(0);
        marks.AddSplit(1);
        marks.OnRecord(0, 2_000);
        Emit(marks, clock, output);
        Assert.That(output, Is.Empty);
        for (var i = 0; i < 5; i++)
        {
            marks.OnRecord(0, 3_000 + i); // partition 0 keeps going, partition 1 has gone quiet
            Emit(marks, clock, output);
        }
        Assert.That(output.Last(), Is.EqualTo("wm 3003"), "partition 1 is idle after 1 s and no longer holds the watermark back");
        for (var i = 0; i < 6; i++) Emit(marks, clock, output);
        Assert.That(output.Last(), Is.EqualTo("idle"));
        marks.OnRecord(1, 100); // a late record on a partition that was idle: active again, watermark does not go back
        Emit(marks, clock, output);
        Assert.That(output.Last(), Is.EqualTo("active"));
        Assert.That(marks.Current, Is.EqualTo(3003));
    }

    [Test]
    public void AReaderWithoutPartitionsIsIdleAndAFinishedPartitionStopsHoldingBack()
    {
        var (marks, clock, output) = Make(outOfOrdernessMs: 0, idleness: null);
        Emit(marks, clock, output);
        Assert.That(output, Is.EqualTo(new[] { "idle" }), "owning no partition, the reader must not stall downstream watermarks");
        marks.AddSplit(0);
        marks.AddSplit(1);
        marks.OnRecord(0, 500);
        Emit(marks, clock, output);
        Assert.That(output.Last(), Is.EqualTo("active"));
        marks.RemoveSplit(1);
        Emit(marks, clock, output);
        Assert.That(output.Last(), Is.EqualTo("wm 499"));
    }

    [Test]
    public void NothingIsEmittedBeforeTheIntervalPasses()
    {
        var clock = new Clock();
        var marks = new SplitWatermarks<int>(0, true, null, TimeSpan.FromSeconds(1), clock);
        var output = new List<string>();
        marks.AddSplit(0);
        marks.OnRecord(0, 100);
        marks.MaybeEmit(w => output.Add($"wm {w}"), _ => { });
        marks.OnRecord(0, 200);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        marks.MaybeEmit(w => output.Add($"wm {w}"), _ => { });
        Assert.That(output, Is.EqualTo(new[] { "wm 99" }));
        clock.Advance(TimeSpan.FromMilliseconds(600));
        marks.MaybeEmit(w => output.Add($"wm {w}"), _ => { });
        Assert.That(output, Is.EqualTo(new[] { "wm 99", "wm 199" }));
    }
}
