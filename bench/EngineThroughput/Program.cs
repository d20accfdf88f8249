// Engine throughput, C# only (issue 3): generator -> map -> filter -> keyBy -> 1-second
// tumbling event-time window sum -> discarding sink, at parallelism 1 and 2, plus the same
// pipeline as a plain C# loop in one thread as the baseline measured in the same run.
//   dotnet run -c Release --project bench/EngineThroughput [records]
using System.Diagnostics;
using PyFlow.Engine.Api;
using PyFlow.Engine.State;
using PyFlow.Engine.Windowing.Assigners;

var records = args.Length > 0 ? long.Parse(args[0]) : 50_000_000L;
const int Keys = 1000;
const long RecordsPerMs = 100; // event time advances 1 ms every 100 records: 100k records per 1-second window

static (int Key, long Ts, long Value) Make(long i) => ((int)(i % Keys), i / RecordsPerMs, i);

double Run(int parallelism)
{
    var env = new StreamExecutionEnvironment { Parallelism = parallelism };
    env.Options.BatchSize = 4096;
    long windows = 0, sum = 0;
    var sinkLock = new object();
    env.FromGenerator(Make, records).SetParallelism(parallelism)
        .AssignTimestampsAndWatermarks(WatermarkStrategy<(int Key, long Ts, long Value)>.ForMonotonousTimestamps().WithTimestampAssigner(e => e.Ts))
        .Map(e => e with { Value = e.Value * 2 })
        .Filter(e => e.Value % 3 != 1)
        .KeyBy(e => e.Key)
        .Window(TumblingWindows<(int Key, long Ts, long Value)>.OfEventTime(TimeSpan.FromSeconds(1)))
        .Aggregate(new SumValues())
        .AddSink((v, _) => { lock (sinkLock) { windows++; sum += v; } });
    var clock = Stopwatch.StartNew();
    env.ExecuteAsync().GetAwaiter().GetResult();
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"engine p={parallelism}: {records / seconds / 1e6,6:0.00} M records/s ({seconds:0.00} s, {windows} window results, checksum {sum})");
    return records / seconds;
}

double Baseline()
{
    var clock = Stopwatch.StartNew();
    var sums = new Dictionary<(int, long), long>();
    for (long i = 0; i < records; i++)
    {
        var e = Make(i);
        e = e with { Value = e.Value * 2 };
        if (e.Value % 3 == 1) continue;
        var window = e.Ts / 1000;
        sums[(e.Key, window)] = sums.GetValueOrDefault((e.Key, window)) + e.Value;
    }
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"plain C# loop (one thread, one dictionary): {records / seconds / 1e6,6:0.00} M records/s ({seconds:0.00} s, {sums.Count} window results, checksum {sums.Values.Sum()})");
    return records / seconds;
}

Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd} | {Environment.ProcessorCount} cores | .NET {Environment.Version} | {records:N0} records, {Keys} keys");
var baseline = Baseline();
var p1 = Run(1);
var p2 = Run(2);
Console.WriteLine($"p1 / plain loop: {p1 / baseline:0.00}   scaling p2 / p1: {p2 / p1:0.00}  (targets: >= 5 M records/s at p1, >= 1.6x at p2)");

sealed class SumValues : IAggregateFunction<(int Key, long Ts, long Value), long, long>
{
    public long CreateAccumulator() => 0;
    public long Add((int Key, long Ts, long Value) value, long acc) => acc + value.Value;
    public long GetResult(long acc) => acc;
    public long Merge(long a, long b) => a + b;
}
