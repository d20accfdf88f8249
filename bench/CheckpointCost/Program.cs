// Throughput cost of checkpoints (issue 7), C# only: generator -> keyBy (1000 keys) -> 1-second
// tumbling event-time window sum -> discarding sink, heap state, parallelism 2, run without
// checkpoints and with a checkpoint every second (exactly-once, aligned), each twice, alternating.
//   dotnet run -c Release --project bench/CheckpointCost [records]
using System.Diagnostics;
using PyFlow.Engine.Api;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.State;
using PyFlow.Engine.Windowing.Assigners;

var records = args.Length > 0 ? long.Parse(args[0]) : 30_000_000L;
const int Keys = 1000;
const long RecordsPerMs = 100;

static (int Key, long Ts, long Value) Make(long i) => ((int)(i % Keys), i / RecordsPerMs, i);

double Run(bool checkpoints)
{
    var env = new StreamExecutionEnvironment { Parallelism = 2 };
    env.Options.BatchSize = 4096;
    var dir = Path.Combine(Path.GetTempPath(), "pyflow-bench-checkpoints", Guid.NewGuid().ToString("N"));
    var completed = 0;
    if (checkpoints)
    {
        env.EnableCheckpointing(TimeSpan.FromSeconds(1));
        env.Options.Checkpointing.Directory = dir;
        env.Options.Checkpointing.Log = line => Console.WriteLine($"  {line}");
    }
    long windows = 0, sum = 0;
    var sinkLock = new object();
    env.FromGenerator(Make, records)
        .AssignTimestampsAndWatermarks(WatermarkStrategy<(int Key, long Ts, long Value)>.ForMonotonousTimestamps().WithTimestampAssigner(e => e.Ts))
        .KeyBy(e => e.Key)
        .Window(TumblingWindows<(int Key, long Ts, long Value)>.OfEventTime(TimeSpan.FromSeconds(1)))
        .Aggregate(new SumValues())
        .AddSink((v, _) => { lock (sinkLock) { windows++; sum += v; } });
    var clock = Stopwatch.StartNew();
    env.ExecuteAsync().GetAwaiter().GetResult();
    var seconds = clock.Elapsed.TotalSeconds;
    if (checkpoints)
    {
        // Retained: the newest; its id is the number of checkpoints started.
        completed = Directory.GetDirectories(dir, "chk-*").Select(d => int.Parse(Path.GetFileName(d)[4..])).DefaultIfEmpty(0).Max();
        Directory.Delete(dir, recursive: true);
    }
    Console.WriteLine($"{(checkpoints ? "checkpoint every 1 s" : "no checkpoints      ")}: {records / seconds / 1e6,6:0.00} M records/s ({seconds:0.00} s, {windows} window results, checksum {sum}{(checkpoints ? $", last checkpoint chk-{completed}" : "")})");
    return records / seconds;
}

Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd} | {Environment.ProcessorCount} cores | .NET {Environment.Version} | {records:N0} records, {Keys} keys, p=2");
Run(false); // warm-up (JIT), not counted
var none = new List<double>();
var with = new List<double>();
const int Rounds = 3;
for (var i = 0; i < Rounds; i++)
{
    none.Add(Run(false));
    with.Add(Run(true));
}
Console.WriteLine($"best of {Rounds}: none {none.Max() / 1e6:0.00} M/s, 1 s checkpoints {with.Max() / 1e6:0.00} M/s, ratio {with.Max() / none.Max():0.00} (target: at most 15% slower, ratio >= 0.85)");

sealed class SumValues : IAggregateFunction<(int Key, long Ts, long Value), long, long>
{
    public long CreateAccumulator() => 0;
    public long Add((int Key, long Ts, long Value) value, long acc) => acc + value.Value;
    public long GetResult(long acc) => acc;
    public long Merge(long a, long b) => a + b;
}
