using PyFlow.Engine.Graph;
using PyFlow.Engine.Operators;
using PyFlow.Engine.Partitioning;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sinks;

namespace PyFlow.Engine.Api;

/// <summary>
/// A stream of <typeparamref name="T"/>. Methods only validate and add a node to the plan;
/// nothing runs until the environment executes.
/// </summary>
public class DataStream<T>
{
    internal DataStream(StreamExecutionEnvironment env, Transformation<T> transformation)
    {
        Environment = env;
        Transformation = transformation;
    }

    public StreamExecutionEnvironment Environment { get; }
    public Transformation<T> Transformation { get; }

    /// <summary>Adds an operator node built by <paramref name="factory"/> (how PyBridge plugs Python operators in).</summary>
    public DataStream<TOut> Transform<TOut>(string name, Func<OperatorContext, IBatchConsumer<TOut>, IBatchConsumer<T>> factory) =>
        new(Environment, new OneInputTransformation<T, TOut>(name, Transformation, factory));

    public DataStream<TOut> Map<TOut>(Func<T, TOut> fn, string name = "Map")
    {
        ArgumentNullException.ThrowIfNull(fn);
        return Transform<TOut>(name, (_, output) => new MapOperator<T, TOut>(fn, output));
    }

    public DataStream<TOut> FlatMap<TOut>(Action<T, ICollector<TOut>> fn, string name = "Flat Map")
    {
        ArgumentNullException.ThrowIfNull(fn);
        return Transform<TOut>(name, (ctx, output) => new FlatMapOperator<T, TOut>(fn, output, ctx.Options.BatchSize));
    }

    public DataStream<T> Filter(Func<T, bool> predicate, string name = "Filter")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Transform<T>(name, (_, output) => new FilterOperator<T>(predicate, output));
    }

    /// <summary>Runs <paramref name="function"/> per record; it may emit to side outputs.</summary>
    public DataStream<TOut> Process<TOut>(Functions.ProcessFunction<T, TOut> function, string name = "Process")
    {
        ArgumentNullException.ThrowIfNull(function);
        return Transform<TOut>(name, (ctx, output) => new ProcessOperator<T, TOut>(function, output, ctx));
    }

    /// <summary>Gives records event timestamps and the stream watermarks, per <paramref name="strategy"/>.</summary>
    public DataStream<T> AssignTimestampsAndWatermarks(WatermarkStrategy<T> strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return Transform<T>("Timestamps/Watermarks", (ctx, output) => new TimestampsAndWatermarksOperator<T>(strategy, output, ctx));
    }

    /// <summary>Partitions by key: records with equal keys (by value) meet in one subtask.</summary>
    public KeyedStream<T, TKey> KeyBy<TKey>(Func<T, TKey> keySelector) where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        var partition = new PartitionTransformation<T>("Key By", Transformation, new KeyGroupPartitioner<T, TKey>(keySelector, Environment.Options.MaxParallelism)) { IsKeyed = true };
        return new KeyedStream<T, TKey>(Environment, partition, keySelector);
    }

    /// <summary>Windows over the whole stream, not per key; runs at parallelism 1 (Flink's windowAll).</summary>
    public WindowedStream<T, byte, W> WindowAll<W>(Windowing.Assigners.WindowAssigner<T, W> assigner) where W : Windowing.Window =>
        KeyBy(_ => (byte)0).WindowAll(assigner);

    /// <summary>This stream and <paramref name="other"/>, processed together by co-functions.</summary>
    public ConnectedStreams<T, T2> Connect<T2>(DataStream<T2> other) => new(this, other ?? throw new ArgumentNullException(nameof(other)));

    /// <summary>This stream and <paramref name="others"/> as one stream of the same type.</summary>
    public DataStream<T> Union(params DataStream<T>[] others)
    {
        if (others.Length == 0) throw new ArgumentException("union needs at least one other stream", nameof(others));
        if (others.Any(o => o.Environment != Environment)) throw new ArgumentException("union of streams from different environments");
        return new DataStream<T>(Environment, new UnionTransformation<T>(new[] { Transformation }.Concat(others.Select(o => o.Transformation)).ToList()));
    }

    /// <summary>Round robin over a subset of the next operator's subtasks (local to each producer).</summary>
    public DataStream<T> Rescale() => Partition(new RescalePartitioner<T>(), "Rescale");

    /// <summary>Each record to a random subtask of the next operator.</summary>
    public DataStream<T> Shuffle() => Partition(new ShufflePartitioner<T>(), "Shuffle");

    /// <summary>Each record to the partition <paramref name="partition"/>(key, numPartitions) chooses.</summary>
    public DataStream<T> PartitionCustom<TKey>(Func<TKey, int, int> partition, Func<T, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(keySelector);
        return Partition(new CustomPartitioner<T, TKey>(partition, keySelector), "Custom Partition");
    }

    /// <summary>Spreads records round robin over the next operator's subtasks.</summary>
    public DataStream<T> Rebalance() => Partition(new RebalancePartitioner<T>(), "Rebalance");

    /// <summary>Sends every record to every subtask of the next operator.</summary>
    public DataStream<T> Broadcast() => Partition(new BroadcastPartitioner<T>(), "Broadcast");

    private DataStream<T> Partition(IPartitioner<T> partitioner, string name) =>
        new(Environment, new PartitionTransformation<T>(name, Transformation, partitioner));

    /// <summary>The records this operator emitted to the side output <paramref name="tag"/>.</summary>
    public DataStream<TSide> GetSideOutput<TSide>(OutputTag<TSide> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return new DataStream<TSide>(Environment, new SideOutputTransformation<TSide>(Transformation, tag));
    }

    /// <summary>Sets this operator's number of subtasks.</summary>
    public DataStream<T> SetParallelism(int parallelism)
    {
        Transformation.Parallelism = parallelism;
        return this;
    }

    public DataStream<T> Name(string name)
    {
        Transformation.Name = name;
        return this;
    }

    /// <summary>Adds a sink that calls <paramref name="write"/> for each record with its timestamp.</summary>
    public void AddSink(Action<T, long> write, string name = "Sink") =>
        Environment.AddSink(new SinkTransformation<T>(name, Transformation, _ => new DelegateSink<T>(write)));

    /// <summary>Adds a sink node built by <paramref name="factory"/>, with <paramref name="parallelism"/> subtasks (-1: the job's).</summary>
    public void SinkTo(string name, Func<OperatorContext, IBatchConsumer<T>> factory, int parallelism = -1) =>
        Environment.AddSink(new SinkTransformation<T>(name, Transformation, factory) { Parallelism = parallelism });

    /// <summary>
    /// Writes each record as a line of UTF-8 text (<paramref name="encoder"/>, or <c>ToString()</c>)
    /// into part files <c>part-{subtask}-{counter}</c> under <paramref name="basePath"/> (Flink's
    /// <c>FileSink.forRowFormat</c>), starting a new file as <paramref name="policy"/> says
    /// (Flink's default rolling policy when null). Files being written are hidden and end in
    /// <c>.inprogress</c> until they are committed.
    /// </summary>
    public void SinkToFiles(string basePath, RollingPolicy? policy = null, Func<T, string>? encoder = null, string partPrefix = "part",
        string partSuffix = "", string name = "File Sink", int parallelism = -1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(basePath);
        var path = Path.GetFullPath(basePath);
        var rolling = policy ?? new RollingPolicy();
        var sink = new SinkTransformation<T>(name, Transformation, ctx => new RollingFileSink<T>(path, rolling, encoder, ctx, partPrefix, partSuffix));
        if (parallelism != -1) sink.Parallelism = parallelism;
        Environment.AddSink(sink);
    }

    /// <summary>Prints each record; with parallelism above 1, prefixed by "subtask&gt; " as Flink does.</summary>
    public void Print(TextWriter? writer = null)
    {
        var output = writer ?? Console.Out;
        SinkTo("Print to Std. Out", ctx =>
        {
            var prefix = ctx.Parallelism > 1 ? $"{ctx.SubtaskIndex + 1}> " : "";
            return new DelegateSink<T>((v, _) => { lock (output) output.WriteLine(prefix + v); });
        });
    }

    /// <summary>Runs the job and streams its results. Leaving the loop early cancels the job.</summary>
    public IAsyncEnumerable<T> ExecuteAndCollectAsync(CancellationToken cancel = default) => Environment.CollectAsync(Transformation, cancel);
}
