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

    /// <summary>Adds a sink node built by <paramref name="factory"/>.</summary>
    public void SinkTo(string name, Func<OperatorContext, IBatchConsumer<T>> factory) =>
        Environment.AddSink(new SinkTransformation<T>(name, Transformation, factory));

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
