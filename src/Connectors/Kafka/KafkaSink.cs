using PyFlow.Engine.Runtime;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// Writes a stream to a Kafka topic (Flink's <c>KafkaSink</c>), with the <see cref="DeliveryGuarantee"/>
/// asked for. Attach it with <c>stream.SinkTo(sink)</c>; see <see cref="KafkaSinkWriter{T}"/> for how
/// exactly-once is kept across failures.
/// </summary>
public sealed class KafkaSink<T>
{
    internal KafkaSink(KafkaSinkOptions<T> options) => Options = options;

    internal KafkaSinkOptions<T> Options { get; }

    /// <summary>Starts a builder with Flink's names.</summary>
    public static KafkaSinkBuilder<T> Builder() => new();

    /// <summary>The writer of one subtask.</summary>
    public IBatchConsumer<T> CreateWriter(OperatorContext context) => new KafkaSinkWriter<T>(Options, context);
}

/// <summary>Attaches Kafka sinks to streams.</summary>
public static class KafkaSinkExtensions
{
    /// <summary>Writes <paramref name="stream"/> to Kafka through <paramref name="sink"/>.</summary>
    public static void SinkTo<T>(this PyFlow.Engine.Api.DataStream<T> stream, KafkaSink<T> sink, string name = "Kafka Sink") =>
        stream.SinkTo(name, sink.CreateWriter);
}
