using PyFlow.Engine.Api;
using PyFlow.Engine.Sinks;
using PyFlow.Engine.State;
using PyFlow.Engine.State.RocksDb;
using PyFlow.Engine.Windowing.Assigners;

namespace PyFlow.Engine.Tests.Checkpointing;

/// <summary>
/// The job the checkpoint tests run: a rate-limited generator, event time = index, a failure
/// injector, key by n % 7, tumbling 500 ms event-time windows summing the values, and the
/// exactly-once file sink. Its committed output must always equal <see cref="Expected"/>.
/// </summary>
internal static class CheckpointedJob
{
    public const long WindowMs = 500;

    public static StreamExecutionEnvironment Env(string checkpoints, string backend, string? rocksDir, int retained = 1)
    {
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.Options.BatchSize = 64;
        env.Options.AutoWatermarkInterval = TimeSpan.FromMilliseconds(20);
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(100));
        env.Options.Checkpointing.Directory = checkpoints;
        env.Options.Checkpointing.RetainedCheckpoints = retained;
        env.Options.StateBackend = backend == "rocksdb" ? new RocksDbStateBackendFactory(rocksDir) : HeapStateBackendFactory.Instance;
        return env;
    }

    public static void Build(StreamExecutionEnvironment env, long count, double rate, FailOnce failer, string output) =>
        Lines(env, count, rate, failer).SinkToFiles(output, new RollingPolicy { MaxPartSize = 40 });

    /// <summary>The job up to its sink: one line per window result.</summary>
    public static DataStream<string> Lines(StreamExecutionEnvironment env, long count, double rate, FailOnce failer) =>
        env.FromGenerator(n => n, count, rate)
            .AssignTimestampsAndWatermarks(WatermarkStrategy<long>.ForMonotonousTimestamps().WithTimestampAssigner(n => n))
            .Map(n => failer.Pass(n), "Failure Injector")
            .Map(n => (Key: n % 7, Start: n / WindowMs * WindowMs, Value: n), "To Tuple")
            .KeyBy(t => t.Key)
            .Window(TumblingWindows<(long Key, long Start, long Value)>.OfEventTime(TimeSpan.FromMilliseconds(WindowMs)))
            .Reduce((a, b) => (a.Key, a.Start, a.Value + b.Value))
            .Map(t => $"{t.Key} {t.Start} {t.Value}", "Format");

    /// <summary>The output computed in plain C#, sorted.</summary>
    public static List<string> Expected(long count) =>
        Enumerable.Range(0, (int)count).Select(i => (long)i)
            .GroupBy(n => (Key: n % 7, Start: n / WindowMs * WindowMs))
            .Select(g => $"{g.Key.Key} {g.Key.Start} {g.Sum()}")
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Every line of the committed part files (not hidden ones), sorted; fails on in-progress leftovers.</summary>
    public static List<string> Committed(string output) =>
        Directory.GetFiles(output).Where(f => !Path.GetFileName(f).StartsWith('.'))
            .SelectMany(File.ReadAllLines).Order(StringComparer.Ordinal).ToList();
}

/// <summary>Throws on the <see cref="FailAt"/>-th record it sees, once (the first attempt only), whatever subtask sees it.</summary>
internal sealed class FailOnce
{
    private long _seen;
    private int _failed;

    public FailOnce(long failAt) => FailAt = failAt;

    public long FailAt { get; }
    public bool HasFailed => Volatile.Read(ref _failed) == 1;

    public long Pass(long n)
    {
        if (Interlocked.Increment(ref _seen) == FailAt && Interlocked.Exchange(ref _failed, 1) == 0)
            throw new InvalidOperationException($"injected failure at record {FailAt}");
        return n;
    }
}

/// <summary>Collects the checkpoint log lines, thread-safe.</summary>
internal sealed class LogLines
{
    private readonly List<string> _lines = new();
    public void Add(string line) { lock (_lines) _lines.Add(line); }
    public List<string> All { get { lock (_lines) return _lines.ToList(); } }
    public override string ToString() => string.Join("\n", All);
}
