using PyFlow.Engine.Partitioning;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Graph;

/// <summary>A source node.</summary>
public sealed class SourceTransformation<T> : Transformation<T>, ISourceNode
{
    public SourceTransformation(string name, ISource<T> source) : base(name, Array.Empty<Transformation>()) => Source = source;

    public ISource<T> Source { get; }

    public override int MaxParallelism => Source.MaxParallelism;

    ISubtaskInput ISourceNode.CreateInput(object head, int subtaskIndex, int parallelism, int batchSize, SideOutputs sides) =>
        new SourceInput<T>(Source.CreateReader(subtaskIndex, parallelism), (IBatchConsumer<T>)head, batchSize, sides);
}

/// <summary>
/// An operator node: <see cref="Factory"/> makes one operator instance per subtask, given
/// the consumer of its output.
/// </summary>
public sealed class OneInputTransformation<TIn, TOut> : Transformation<TOut>, IOneInputNode
{
    public OneInputTransformation(string name, Transformation<TIn> input, Func<OperatorContext, IBatchConsumer<TOut>, IBatchConsumer<TIn>> factory)
        : base(name, new[] { input }) => Factory = factory;

    public Func<OperatorContext, IBatchConsumer<TOut>, IBatchConsumer<TIn>> Factory { get; }

    public object CreateConsumer(OperatorContext context, object? downstream) =>
        Factory(context, (IBatchConsumer<TOut>)(downstream ?? throw new InvalidOperationException($"operator '{Name}' has no consumer of its output")));

    IInputProcessor IOneInputNode.CreateInputProcessor(object head, int numChannels) => new InputProcessor<TIn>((IBatchConsumer<TIn>)head, numChannels);

    object IOneInputNode.WithSideOutputs(object consumer, SideOutputs sides) => new SideOutputForwarder<TIn>((IBatchConsumer<TIn>)consumer, sides);

    object IOneInputNode.CountingInput(object consumer, Metrics.RecordCounter counter) => new Metrics.CountingConsumer<TIn>((IBatchConsumer<TIn>)consumer, counter);
}

/// <summary>A sink node: consumes its input, produces nothing.</summary>
public sealed class SinkTransformation<T> : Transformation<T>, IOneInputNode
{
    public SinkTransformation(string name, Transformation<T> input, Func<OperatorContext, IBatchConsumer<T>> factory)
        : base(name, new[] { input }) => Factory = factory;

    public Func<OperatorContext, IBatchConsumer<T>> Factory { get; }

    public object CreateConsumer(OperatorContext context, object? downstream) => Factory(context);

    IInputProcessor IOneInputNode.CreateInputProcessor(object head, int numChannels) => new InputProcessor<T>((IBatchConsumer<T>)head, numChannels);

    object IOneInputNode.WithSideOutputs(object consumer, SideOutputs sides) => new SideOutputForwarder<T>((IBatchConsumer<T>)consumer, sides);

    object IOneInputNode.CountingInput(object consumer, Metrics.RecordCounter counter) => new Metrics.CountingConsumer<T>((IBatchConsumer<T>)consumer, counter);
}

/// <summary>Not an operator: the records its input emitted to the side output <see cref="Tag"/>.</summary>
public sealed class SideOutputTransformation<T> : Transformation<T>, ISideOutputNode
{
    public SideOutputTransformation(Transformation input, Api.OutputTag<T> tag)
        : base($"Side Output {tag.Id}", new[] { input }) => Tag = tag;

    public Api.OutputTag<T> Tag { get; }

    object ISideOutputNode.Tag => Tag;
}

internal interface ISideOutputNode
{
    object Tag { get; }
}

/// <summary>Not an operator: says how records of its input are spread over the next node's subtasks.</summary>
public sealed class PartitionTransformation<T> : Transformation<T>, IPartitionNode
{
    public PartitionTransformation(string name, Transformation<T> input, IPartitioner<T> partitioner)
        : base(name, new[] { input }) => Partitioner = partitioner;

    public IPartitioner<T> Partitioner { get; }

    object IPartitionNode.Partitioner => Partitioner;

    /// <summary>True for key_by: the consumer is a keyed operator.</summary>
    public bool IsKeyed { get; init; }
}

internal interface IPartitionNode
{
    object Partitioner { get; }
    bool IsKeyed { get; }
}

internal interface ISourceNode
{
    /// <summary>Runs one subtask of the source: polls its reader into <paramref name="head"/>.</summary>
    ISubtaskInput CreateInput(object head, int subtaskIndex, int parallelism, int batchSize, SideOutputs sides);
}

/// <summary>Not an operator: the records of all its inputs, of one type, as one stream (Flink's union).</summary>
public sealed class UnionTransformation<T> : Transformation<T>, IUnionNode
{
    public UnionTransformation(IReadOnlyList<Transformation<T>> inputs) : base("Union", inputs) { }
}

internal interface IUnionNode
{
}

/// <summary>An operator node with two inputs (connect).</summary>
public sealed class TwoInputTransformation<T1, T2, TOut> : Transformation<TOut>, ITwoInputNode
{
    public TwoInputTransformation(string name, Transformation<T1> first, Transformation<T2> second, Func<OperatorContext, IBatchConsumer<TOut>, ITwoInputConsumer<T1, T2>> factory)
        : base(name, new Transformation[] { first, second }) => Factory = factory;

    public Func<OperatorContext, IBatchConsumer<TOut>, ITwoInputConsumer<T1, T2>> Factory { get; }

    object ITwoInputNode.CreateConsumer(OperatorContext context, object? downstream) =>
        Factory(context, (IBatchConsumer<TOut>)(downstream ?? throw new InvalidOperationException($"operator '{Name}' has no consumer of its output")));

    IInputProcessor ITwoInputNode.CreateInputProcessor(object head, int numChannels, int firstChannels) =>
        new TwoInputProcessor<T1, T2>((ITwoInputConsumer<T1, T2>)head, numChannels, firstChannels);

    object ITwoInputNode.CountingInput(object consumer, Metrics.RecordCounter counter) =>
        new Metrics.CountingTwoInputConsumer<T1, T2>((ITwoInputConsumer<T1, T2>)consumer, counter);
}

internal interface ITwoInputNode
{
    object CreateConsumer(OperatorContext context, object? downstream);
    IInputProcessor CreateInputProcessor(object head, int numChannels, int firstChannels);
    object CountingInput(object consumer, Metrics.RecordCounter counter);
}
