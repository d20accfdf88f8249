using Confluent.Kafka;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// The Kafka clients of one source reader: its consumer (records, offsets, the group's committed offsets)
/// and an admin client (topic metadata for partition discovery). Every broker request is bounded by
/// <see cref="Timeout"/>; a broker that does not answer fails the job naming the request, never hangs it.
/// </summary>
internal sealed class KafkaClients : IDisposable
{
    private readonly IAdminClient _admin;

    public KafkaClients(IConsumer<byte[], byte[]> consumer, IAdminClient admin, TimeSpan timeout, string servers)
    {
        Consumer = consumer;
        _admin = admin;
        Timeout = timeout;
        Servers = servers;
    }

    public IConsumer<byte[], byte[]> Consumer { get; }
    public TimeSpan Timeout { get; }
    public string Servers { get; }

    /// <summary>The partitions of <paramref name="topics"/> now; a topic that does not exist is an error naming it.</summary>
    public List<TopicPartition> Partitions(IReadOnlyList<string> topics)
    {
        var result = new List<TopicPartition>();
        foreach (var topic in topics)
        {
            var metadata = Call(() => _admin.GetMetadata(topic, Timeout), $"reading the metadata of topic '{topic}'");
            var t = metadata.Topics.SingleOrDefault(m => m.Topic == topic);
            if (t is null || t.Error.IsError || t.Partitions.Count == 0)
                throw new KafkaConnectorException(
                    $"Kafka topic '{topic}' does not exist on {Servers} ({t?.Error.Reason ?? "not in the metadata"}); create it, or check the topic name and bootstrap servers");
            result.AddRange(t.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)));
        }
        return result;
    }

    public WatermarkOffsets WatermarkOffsets(TopicPartition tp) =>
        Call(() => Consumer.QueryWatermarkOffsets(tp, Timeout), $"reading the offsets of {tp}");

    public Dictionary<TopicPartition, long> Committed(IReadOnlyList<TopicPartition> partitions) =>
        Call(() => Consumer.Committed(partitions, Timeout), "reading the group's committed offsets")
            .ToDictionary(o => o.TopicPartition, o => o.Offset.Value);

    public Dictionary<TopicPartition, long> OffsetsForTimestamp(IReadOnlyList<TopicPartition> partitions, long timestampMs) =>
        Call(() => Consumer.OffsetsForTimes(partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(timestampMs, TimestampType.CreateTime))), Timeout),
                $"finding offsets at timestamp {timestampMs}")
            .ToDictionary(o => o.TopicPartition, o => o.Offset.Value);

    private T Call<T>(Func<T> request, string what)
    {
        try { return request(); }
        catch (KafkaException e)
        {
            throw new KafkaConnectorException($"Kafka source: {what} on {Servers} failed: {e.Error.Reason} ({e.Error.Code}); check that the brokers are reachable", e);
        }
    }

    public void Dispose()
    {
        Consumer.Close();
        Consumer.Dispose();
        _admin.Dispose();
    }
}

/// <summary>A Kafka connector failed; the message names the request, the topic or partition, and the brokers.</summary>
public sealed class KafkaConnectorException : Exception
{
    public KafkaConnectorException(string message, Exception? inner = null) : base(message, inner) { }
}
