using Confluent.Kafka;
using PyFlow.Connectors.Kafka;
using PyFlow.Host.Kafka;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Wire;

namespace PyFlow.Host;

/// <summary>
/// Plan nodes <c>source.kafka</c> and <c>sink.kafka</c> (PyFlink's KafkaSource and KafkaSink): the Python
/// objects only describe the connector; here they become the C# <see cref="KafkaSource{T}"/> and
/// <see cref="KafkaSink{T}"/> over <see cref="PyRecord"/>s, values parsed and written by a <see cref="KafkaFormat"/>.
/// </summary>
internal sealed partial class PlanTranslator
{
    private void AddKafkaSource(PlanNode node)
    {
        KafkaSource<PyRecord> source;
        try
        {
            var format = KafkaFormat.FromSpec(node.Fields.Map("format"), node.Type);
            var builder = KafkaSource<PyRecord>.Builder()
                .SetBootstrapServers(node.Fields.Str("bootstrap_servers"))
                .SetTopics(node.Fields.List("topics").Select(t => (string)t!).ToArray())
                .SetStartingOffsets(Offsets(node.Fields.Map("starting_offsets")))
                .SetDeserializer(format.TryDeserialize);
            if (node.Fields.OptStr("group_id") is { } group) builder.SetGroupId(group);
            if (node.Fields.TryGetValue("stopping_offsets", out var stop) && stop is IReadOnlyDictionary<object, object?> stopping)
                builder.SetBounded(Offsets(stopping));
            foreach (var (key, value) in node.Fields.Map("properties")) builder.SetProperty((string)key, (string)value!);
            source = builder.Build();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new PlanException(node.Name, $"KafkaSource: {e.Message}");
        }
        var stream = _env.FromSource(source, node.Name);
        if (node.Parallelism != -1) stream.SetParallelism(node.Parallelism);
        _outputs[node.Id] = new Pending { Base = stream, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = stream };
    }

    private static OffsetsInitializer Offsets(IReadOnlyDictionary<object, object?> spec)
    {
        var reset = spec.OptStr("reset") == "latest" ? OffsetResetStrategy.Latest : OffsetResetStrategy.Earliest;
        return spec.Str("kind") switch
        {
            "earliest" => OffsetsInitializer.Earliest(),
            "latest" => OffsetsInitializer.Latest(),
            "committed" => OffsetsInitializer.Committed(reset),
            "timestamp" => OffsetsInitializer.Timestamp(spec.Int("timestamp_ms")),
            "offsets" => OffsetsInitializer.Offsets(spec.List("offsets").Cast<object?[]>().ToDictionary(
                o => new TopicPartition((string)o[0]!, new Partition(Convert.ToInt32(o[1]))), o => Convert.ToInt64(o[2])), reset),
            var other => throw new ArgumentException($"unknown offsets initializer '{other}'; PyFlow has earliest, latest, committed_offsets, timestamp and offsets"),
        };
    }

    private void AddKafkaSink(PlanNode node)
    {
        var input = SingleInput(node);
        KafkaSink<PyRecord> sink;
        try
        {
            var format = KafkaFormat.FromSpec(node.Fields.Map("format"), input.Type);
            var builder = KafkaSink<PyRecord>.Builder()
                .SetBootstrapServers(node.Fields.Str("bootstrap_servers"))
                .SetRecordSerializer(node.Fields.Str("topic"), format.Serialize)
                .SetDeliveryGuarantee(node.Fields.Str("delivery_guarantee") switch
                {
                    "none" => DeliveryGuarantee.None,
                    "at-least-once" => DeliveryGuarantee.AtLeastOnce,
                    "exactly-once" => DeliveryGuarantee.ExactlyOnce,
                    var other => throw new ArgumentException($"unknown delivery guarantee '{other}'; use DeliveryGuarantee.NONE, AT_LEAST_ONCE or EXACTLY_ONCE"),
                });
            if (node.Fields.OptStr("transactional_id_prefix") is { } prefix) builder.SetTransactionalIdPrefix(prefix);
            foreach (var (key, value) in node.Fields.Map("properties")) builder.SetProperty((string)key, (string)value!);
            sink = builder.Build();
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException)
        {
            throw new PlanException(node.Name, $"KafkaSink: {e.Message}");
        }
        Materialize(input).SinkTo(node.Name, sink.CreateWriter, node.Parallelism);
    }
}
