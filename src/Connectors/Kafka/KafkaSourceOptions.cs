using Confluent.Kafka;

namespace PyFlow.Connectors.Kafka;

/// <summary>Everything a <see cref="KafkaSource{T}"/> is built from; made by <see cref="KafkaSourceBuilder{T}"/>.</summary>
internal sealed record KafkaSourceOptions<T>(
    string BootstrapServers,
    IReadOnlyList<string> Topics,
    string? GroupId,
    OffsetsInitializer StartingOffsets,
    OffsetsInitializer? StoppingOffsets,
    TryDeserializer<T> Deserializer,
    IReadOnlyDictionary<string, string> Properties,
    TimeSpan? PartitionDiscoveryInterval,
    TimeSpan RequestTimeout)
{
    public ConsumerConfig ConsumerConfig(int subtaskIndex)
    {
        var config = new ConsumerConfig(Properties.ToDictionary(p => p.Key, p => p.Value))
        {
            BootstrapServers = BootstrapServers,
            // Offsets live in checkpoints, assignment is the source's own (Flink's KafkaSource does the same):
            // the group id only names where committed offsets are read and written.
            GroupId = GroupId ?? $"pyflow-source-{Guid.NewGuid():N}",
            EnableAutoCommit = GroupId is not null,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Error,
            ClientId = $"pyflow-kafka-source-{subtaskIndex}",
        };
        return config;
    }
}
