using PyFlow.Engine.Partitioning;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Graph;

/// <summary>
/// A node of the logical plan, as the API builds it (Flink's Transformation). It knows its
/// element types, so it is also where type-erased plan building turns back into typed runtime
/// objects: consumers, writers and input processors.
/// </summary>
public abstract class Transformation
{
    private static int _nextId;
    private int _parallelism = -1;

    protected Transformation(string name, IReadOnlyList<Transformation> inputs)
    {
        Id = Interlocked.Increment(ref _nextId);
        Name = name;
        Inputs = inputs;
    }

    public int Id { get; }
    public string Name { get; set; }
    public IReadOnlyList<Transformation> Inputs { get; }

    /// <summary>Subtasks for this node; -1 means the job's default.</summary>
    public int Parallelism
    {
        get => _parallelism;
        set => _parallelism = value == -1 || value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Parallelism), value, $"parallelism of '{Name}' must be at least 1");
    }

    /// <summary>Most subtasks the node can have (1 for a non-parallel source).</summary>
    public virtual int MaxParallelism => int.MaxValue;

    public abstract Type OutputType { get; }

    internal abstract object CreateWriterUntyped(object? partitioner, InputGate[] targets, int channelIndex, OperatorContext context);

    internal abstract object CreateFanOutUntyped(IReadOnlyList<object> consumers);

    /// <summary>Wraps a consumer of this node's output so it counts the records that pass (progress metrics).</summary>
    internal abstract object CountingOutput(object consumer, Metrics.RecordCounter counter);

    public override string ToString() => $"{Name}#{Id}";
}

/// <summary>A node producing records of <typeparamref name="T"/>.</summary>
public abstract class Transformation<T> : Transformation
{
    protected Transformation(string name, IReadOnlyList<Transformation> inputs) : base(name, inputs) { }

    public override Type OutputType => typeof(T);

    internal override object CreateWriterUntyped(object? partitioner, InputGate[] targets, int channelIndex, OperatorContext context) =>
        new RecordWriter<T>((IPartitioner<T>?)partitioner ?? new ForwardPartitioner<T>(), targets, channelIndex, context);

    internal override object CreateFanOutUntyped(IReadOnlyList<object> consumers) =>
        new FanOut<T>(consumers.Cast<IBatchConsumer<T>>().ToArray());

    internal override object CountingOutput(object consumer, Metrics.RecordCounter counter) =>
        new Metrics.CountingConsumer<T>((IBatchConsumer<T>)consumer, counter);
}

/// <summary>A node with one input: an operator, or a sink when it has no output.</summary>
internal interface IOneInputNode
{
    /// <summary>The operator instance for one subtask; <paramref name="downstream"/> is its output consumer (null for a sink).</summary>
    object CreateConsumer(OperatorContext context, object? downstream);

    /// <summary>Feeds the given head consumer from a subtask's input gate.</summary>
    IInputProcessor CreateInputProcessor(object head, int numChannels);

    /// <summary>Wraps the operator so its side outputs follow its watermarks and end of input.</summary>
    object WithSideOutputs(object consumer, SideOutputs sides);

    /// <summary>Wraps the operator so it counts the records it takes (progress metrics).</summary>
    object CountingInput(object consumer, Metrics.RecordCounter counter);
}
