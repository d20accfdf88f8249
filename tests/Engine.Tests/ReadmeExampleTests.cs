using PyFlow.Engine.Api;
using PyFlow.Engine.Windowing.Assigners;

namespace PyFlow.Engine.Tests;

/// <summary>The C# example of the README, as it is there, with its results checked.</summary>
public class ReadmeExampleTests
{
    [Test]
    public async Task TheReadmeWindowExampleSumsPerSensorAndSecond()
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        var sums = env.FromGenerator(i => (Sensor: (int)(i % 10), Ts: i, Value: i), count: 1_000_000)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<(int Sensor, long Ts, long Value)>
                .ForBoundedOutOfOrderness(TimeSpan.FromMilliseconds(50)).WithTimestampAssigner(e => e.Ts))
            .KeyBy(e => e.Sensor)
            .Window(TumblingWindows<(int Sensor, long Ts, long Value)>.OfEventTime(TimeSpan.FromSeconds(1)))
            .Reduce((a, b) => a with { Value = a.Value + b.Value });
        var results = new List<(int Sensor, long Ts, long Value)>();
        await foreach (var s in sums.ExecuteAndCollectAsync()) results.Add(s);

        var expected = Enumerable.Range(0, 1_000_000).GroupBy(i => (Sensor: i % 10, Second: i / 1000))
            .ToDictionary(g => g.Key, g => g.Sum(i => (long)i));
        Assert.That(results, Has.Count.EqualTo(expected.Count));
        foreach (var r in results)
            Assert.That(r.Value, Is.EqualTo(expected[(r.Sensor, (int)(r.Ts / 1000))]), $"sensor {r.Sensor} at {r.Ts}");
    }
}
