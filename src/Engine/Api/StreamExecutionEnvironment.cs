using PyFlow.Engine.Graph;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sinks;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Api;

/// <summary>
/// Where a C# job is built and run (Flink's StreamExecutionEnvironment).
/// <example><code>
/// var env = new StreamExecutionEnvironment { Parallelism = 2 };
/// var counts = env.FromCollection(new[] { "a b", "b" })
///     .FlatMap&lt;string&gt;((line, o) =&gt; { foreach (var w in line.Split(' ')) o.Collect(w); })
///     .Map(w =&gt; (w, 1)).KeyBy(t =&gt; t.Item1).Reduce((a, b) =&gt; (a.Item1, a.Item2 + b.Item2));
/// await foreach (var c in counts.ExecuteAndCollectAsync()) Console.WriteLine(c);
/// </code></example>
/// </summary>
public sealed class StreamExecutionEnvironment
{
    private readonly List<Transformation> _sinks = new();
    private int _parallelism = Environment.ProcessorCount;

    public JobOptions Options { get; } = new();

    /// <summary>Default number of subtasks of each operator.</summary>
    public int Parallelism
    {
        get => _parallelism;
        set => _parallelism = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Parallelism), value, "parallelism must be at least 1");
    }

    public RuntimeExecutionMode RuntimeMode
    {
        get => Options.RuntimeMode;
        set => Options.RuntimeMode = value;
    }

    /// <summary>
    /// Takes a checkpoint every <paramref name="interval"/> (Flink's <c>enableCheckpointing</c>).
    /// Set <c>Options.Checkpointing.Directory</c> too; see <see cref="Checkpointing.CheckpointConfig"/>.
    /// </summary>
    public StreamExecutionEnvironment EnableCheckpointing(TimeSpan interval, Checkpointing.CheckpointingMode mode = Checkpointing.CheckpointingMode.ExactlyOnce)
    {
        Options.Checkpointing.Interval = interval;
        Options.Checkpointing.Mode = mode;
        return this;
    }

    /// <summary>What a task failure does (Flink's <c>setRestartStrategy</c>).</summary>
    public void SetRestartStrategy(Checkpointing.RestartStrategy strategy) =>
        Options.RestartStrategy = strategy ?? throw new ArgumentNullException(nameof(strategy));

    public DataStream<T> FromCollection<T>(IEnumerable<T> items, string name = "Collection Source") =>
        FromSource(new CollectionSource<T>(items.ToList()), name);

    public DataStream<T> FromSource<T>(ISource<T> source, string name) =>
        new(this, new SourceTransformation<T>(name, source));

    /// <summary>
    /// A source with event time (Flink's <c>fromSource(source, watermarkStrategy, name)</c>). A source that makes
    /// watermarks per split (<see cref="IWatermarkingSource{T}"/>, e.g. Kafka's per partition) applies the strategy
    /// in its readers; any other source is followed by <c>AssignTimestampsAndWatermarks(strategy)</c>.
    /// </summary>
    public DataStream<T> FromSource<T>(ISource<T> source, WatermarkStrategy<T> strategy, string name)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (source is IWatermarkingSource<T>)
            return new(this, new SourceTransformation<T>(name, source) { Watermarking = (strategy, Options) });
        return FromSource(source, name).AssignTimestampsAndWatermarks(strategy);
    }

    /// <summary>
    /// The lines of a text file, or of every file of a directory, as strings (Flink's
    /// <c>readTextFile</c>). Bounded; UTF-8; lines carry no terminator. Files are split over the
    /// subtasks (subtask i of p reads files i, i + p, ... in name order); see <see cref="FileLineSource{T}"/>.
    /// Invalid UTF-8 and lines over 64 MiB fail the job unless <paramref name="lineOptions"/> says otherwise.
    /// </summary>
    public DataStream<string> ReadTextFile(string path, LineReadOptions? lineOptions = null) =>
        FromSource(new FileLineSource<string>(path, static line => line, lineOptions: lineOptions), "Text File Source");

    /// <summary>
    /// Records parsed from the lines of a CSV file or directory: each line is split into fields
    /// (RFC 4180 quoting, see <see cref="CsvOptions"/>) and handed to <paramref name="parse"/>.
    /// A line that does not split, or that <paramref name="parse"/> throws on, is handled by
    /// <paramref name="onError"/> (by default the job fails naming the file and line). Invalid UTF-8
    /// and lines over 64 MiB fail the job unless <paramref name="lineOptions"/> says otherwise.
    /// </summary>
    public DataStream<T> ReadCsvFile<T>(string path, Func<string[], T> parse, CsvOptions? options = null, ParseErrorPolicy? onError = null,
        LineReadOptions? lineOptions = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var csv = options ?? new CsvOptions();
        csv.Validate();
        Func<string, bool>? skip = csv.SkipEmptyLines ? static line => line.Length == 0 : null;
        return FromSource(new FileLineSource<T>(path, CsvLine.Parser(parse, csv), onError, csv.SkipHeader ? 1 : 0, skip, lineOptions), "CSV File Source");
    }

    /// <summary>
    /// Records deserialized with System.Text.Json from a file or directory holding one JSON
    /// document per line. Blank lines are skipped. A line that does not deserialize (or is JSON
    /// <c>null</c>) is handled by <paramref name="onError"/> (by default the job fails naming the
    /// file and line). With <paramref name="options"/> null, System.Text.Json's defaults apply
    /// (property names match case-sensitively; pass <c>new JsonSerializerOptions(JsonSerializerDefaults.Web)</c> for camelCase JSON).
    /// </summary>
    public DataStream<T> ReadJsonLines<T>(string path, System.Text.Json.JsonSerializerOptions? options = null, ParseErrorPolicy? onError = null,
        LineReadOptions? lineOptions = null) =>
        FromSource(new FileLineSource<T>(path, JsonLines.Parser<T>(options), onError, skip: JsonLines.IsBlank, lineOptions: lineOptions), "JSON Lines File Source");

    /// <summary>
    /// Records <c>generator(0)</c>, <c>generator(1)</c>, ... (Flink's <c>DataGeneratorSource</c>):
    /// <paramref name="count"/> of them, or without end when it is null or <see cref="long.MaxValue"/>;
    /// at most <paramref name="recordsPerSecond"/> per second over all subtasks (0: no limit),
    /// measured with the <see cref="JobOptions.Clock"/> set when this is called. Subtask i of p
    /// generates indices i, i + p, ...; the rate is split evenly over them. See <see cref="GeneratorSource{T}"/>.
    /// </summary>
    public DataStream<T> FromGenerator<T>(Func<long, T> generator, long? count, double recordsPerSecond = 0) =>
        FromSource(new GeneratorSource<T>(generator, count, recordsPerSecond, Options.Clock), "Generator Source");

    /// <summary>
    /// The lines a TCP server at <paramref name="host"/>:<paramref name="port"/> sends (Flink's
    /// <c>socketTextStream</c>): UTF-8, split at <c>\n</c>, ending when the server closes the
    /// connection. Non-parallel. A connection that cannot be made fails the job, and so do invalid
    /// UTF-8 and a line over 64 MiB unless <paramref name="lineOptions"/> says otherwise.
    /// </summary>
    public DataStream<string> SocketTextStream(string host, int port, LineReadOptions? lineOptions = null) =>
        FromSource(new SocketTextSource(host, port, lineOptions: lineOptions), "Socket Stream");

    internal void AddSink(Transformation sink) => _sinks.Add(sink);

    /// <summary>Builds the physical plan of everything added so far.</summary>
    public JobGraph BuildJobGraph() => JobGraph.Build(_sinks, Parallelism, Options.OperatorChaining);

    /// <summary>Runs the job to its end. The sinks added so far are consumed: the next job starts empty.</summary>
    public Task ExecuteAsync(CancellationToken cancel = default) => ExecuteAsync(null, cancel);

    /// <summary>
    /// Runs the job to its end, counting every operator's records in and out into
    /// <paramref name="metrics"/> (read it with <see cref="Metrics.JobMetrics.Snapshot"/> while the job runs).
    /// </summary>
    public Task ExecuteAsync(Metrics.JobMetrics? metrics, CancellationToken cancel = default)
    {
        var graph = BuildJobGraph();
        _sinks.Clear();
        return new JobExecutor(graph, Options, metrics).RunAsync(cancel);
    }

    internal async IAsyncEnumerable<T> CollectAsync<T>(Transformation<T> input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel = default)
    {
        var channel = new CollectChannel<T>();
        // One subtask, as Flink's collect sink: results of a non-parallel stream come back in order.
        AddSink(new SinkTransformation<T>("Collect Sink", input, ctx => new CollectSink<T>(channel, ctx.Cancellation, ctx.Options.Checkpointing.Enabled, ctx.SubtaskIndex)) { Parallelism = 1 });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var job = ExecuteAsync(stop.Token);
        _ = job.ContinueWith(t => channel.Complete(t.Exception?.InnerException ?? (t.IsCanceled ? new OperationCanceledException("the job was cancelled") : null)), TaskScheduler.Default);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancel))
                for (var i = 0; i < batch.Count; i++)
                    yield return batch.Values[i];
        }
        finally
        {
            // Leaving early (break, dispose) cancels the job and waits for it to stop.
            stop.Cancel();
            try { await job.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }
}
