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

    public DataStream<T> FromCollection<T>(IEnumerable<T> items, string name = "Collection Source") =>
        FromSource(new CollectionSource<T>(items.ToList()), name);

    public DataStream<T> FromSource<T>(ISource<T> source, string name) =>
        new(this, new SourceTransformation<T>(name, source));

    internal void AddSink(Transformation sink) => _sinks.Add(sink);

    /// <summary>Builds the physical plan of everything added so far.</summary>
    public JobGraph BuildJobGraph() => JobGraph.Build(_sinks, Parallelism);

    /// <summary>Runs the job to its end. The sinks added so far are consumed: the next job starts empty.</summary>
    public Task ExecuteAsync(CancellationToken cancel = default)
    {
        var graph = BuildJobGraph();
        _sinks.Clear();
        return new JobExecutor(graph, Options).RunAsync(cancel);
    }

    internal async IAsyncEnumerable<T> CollectAsync<T>(Transformation<T> input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel = default)
    {
        var channel = new CollectChannel<T>();
        AddSink(new SinkTransformation<T>("Collect Sink", input, ctx => new CollectSink<T>(channel, ctx.Cancellation)));
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
