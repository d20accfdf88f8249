using PyFlow.Engine.Sources;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// Reads Kafka topics (Flink's <c>KafkaSource</c>). Each partition is read by one subtask
/// (<see cref="SplitOwner"/>); its position is part of every checkpoint, so a job restored from a
/// checkpoint reads each record once more only if it came after the checkpoint (exactly-once with the
/// engine's checkpoints). Records carry the Kafka timestamp as their event time (or the strategy's
/// assigner's, given <c>env.FromSource(source, strategy, name)</c>, which also makes watermarks per
/// partition: <see cref="SplitWatermarks{TSplit}"/>). With a group id, the
/// positions read are also committed to the group (at least once, for monitoring and
/// <see cref="OffsetsInitializer.Committed"/>); the checkpoint, not the group, is what a restore uses.
/// Unbounded unless <see cref="KafkaSourceBuilder{T}.SetBounded"/>; new partitions are discovered every
/// <c>partition.discovery.interval.ms</c> (30 s by default, negative: never) and read from their start.
/// </summary>
public sealed class KafkaSource<T> : IWatermarkingSource<T>
{
    private readonly KafkaSourceOptions<T> _options;

    internal KafkaSource(KafkaSourceOptions<T> options) => _options = options;

    /// <summary>Starts a builder with Flink's names.</summary>
    public static KafkaSourceBuilder<T> Builder() => new();

    public bool IsBounded => _options.StoppingOffsets is not null;

    public int MaxParallelism => int.MaxValue;

    public ISourceReader<T> CreateReader(int subtaskIndex, int parallelism) => new KafkaSourceReader<T>(_options, subtaskIndex, parallelism, null);

    /// <summary>A reader with per-partition watermarks (<c>env.FromSource(source, strategy, name)</c>).</summary>
    public ISourceReader<T> CreateReader(int subtaskIndex, int parallelism, SourceWatermarking<T> watermarking) =>
        new KafkaSourceReader<T>(_options, subtaskIndex, parallelism, watermarking);
}
