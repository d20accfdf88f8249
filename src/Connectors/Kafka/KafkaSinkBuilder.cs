using Confluent.Kafka;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// Builds a <see cref="KafkaSink{T}"/> with Flink's <c>KafkaSink.builder()</c> names.
/// <example><code>
/// var sink = KafkaSink&lt;string&gt;.Builder()
///     .SetBootstrapServers("localhost:9092")
///     .SetRecordSerializer("output", s => (null, Encoding.UTF8.GetBytes(s)))
///     .SetDeliveryGuarantee(DeliveryGuarantee.ExactlyOnce).SetTransactionalIdPrefix("my-job")
///     .Build();
/// stream.SinkTo(sink);
/// </code></example>
/// </summary>
public sealed class KafkaSinkBuilder<T>
{
    private string? _servers;
    private string? _topic;
    private Func<T, (byte[]? Key, byte[] Value)>? _serializer;
    private DeliveryGuarantee _guarantee = DeliveryGuarantee.None;
    private string? _transactionalIdPrefix;
    private readonly Dictionary<string, string> _properties = new();
    private TimeSpan _timeout = TimeSpan.FromSeconds(60);
    private string _markerTopic = "pyflow-sink-markers";

    internal KafkaSinkBuilder() { }

    public KafkaSinkBuilder<T> SetBootstrapServers(string servers)
    {
        _servers = servers;
        return this;
    }

    /// <summary>The topic every record goes to, and how a record becomes a Kafka key (null: none) and value.</summary>
    public KafkaSinkBuilder<T> SetRecordSerializer(string topic, Func<T, (byte[]? Key, byte[] Value)> serializer)
    {
        _topic = topic;
        _serializer = serializer;
        return this;
    }

    public KafkaSinkBuilder<T> SetDeliveryGuarantee(DeliveryGuarantee guarantee)
    {
        _guarantee = guarantee;
        return this;
    }

    /// <summary>Prefix of the transactional ids (one per subtask); required for exactly-once, unique per job writing to the same cluster.</summary>
    public KafkaSinkBuilder<T> SetTransactionalIdPrefix(string prefix)
    {
        _transactionalIdPrefix = prefix;
        return this;
    }

    /// <summary>
    /// The topic where exactly-once commits leave their marker (one compacted partition, made when missing;
    /// "pyflow-sink-markers" by default): what a restore reads to know whether its transaction committed.
    /// </summary>
    public KafkaSinkBuilder<T> SetTransactionMarkerTopic(string topic)
    {
        _markerTopic = topic;
        return this;
    }

    /// <summary>A producer property, librdkafka's names (e.g. <c>compression.type</c>, <c>linger.ms</c>).</summary>
    public KafkaSinkBuilder<T> SetProperty(string key, string value)
    {
        _properties[key] = value;
        return this;
    }

    /// <summary>How long a flush, or a transaction step, may take before the job fails (60 s by default).</summary>
    public KafkaSinkBuilder<T> SetRequestTimeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    public KafkaSink<T> Build()
    {
        if (string.IsNullOrWhiteSpace(_servers))
            throw new ArgumentException("KafkaSink: bootstrap servers are required: call SetBootstrapServers(\"host:port\")");
        if (string.IsNullOrWhiteSpace(_topic) || _serializer is null)
            throw new ArgumentException("KafkaSink: call SetRecordSerializer(topic, record => (key, value)) to say where and how records are written");
        if (_guarantee == DeliveryGuarantee.ExactlyOnce && string.IsNullOrWhiteSpace(_transactionalIdPrefix))
            throw new ArgumentException("KafkaSink: exactly-once writes Kafka transactions, whose ids need a prefix unique to this job: call SetTransactionalIdPrefix(\"...\")");
        if (_timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(_timeout), "KafkaSink: the request timeout must be positive");
        return new KafkaSink<T>(new KafkaSinkOptions<T>(_servers, _topic, _serializer, _guarantee, _transactionalIdPrefix,
            new Dictionary<string, string>(_properties), _timeout, _markerTopic));
    }
}

internal sealed record KafkaSinkOptions<T>(
    string BootstrapServers,
    string Topic,
    Func<T, (byte[]? Key, byte[] Value)> Serializer,
    DeliveryGuarantee Guarantee,
    string? TransactionalIdPrefix,
    IReadOnlyDictionary<string, string> Properties,
    TimeSpan Timeout,
    string MarkerTopic)
{
    public ProducerConfig ProducerConfig(int subtaskIndex) => new(Properties.ToDictionary(p => p.Key, p => p.Value))
    {
        BootstrapServers = BootstrapServers,
        ClientId = $"pyflow-kafka-sink-{subtaskIndex}",
        EnableIdempotence = Guarantee != DeliveryGuarantee.None ? true : null,
        TransactionalId = Guarantee == DeliveryGuarantee.ExactlyOnce ? $"{TransactionalIdPrefix}-{subtaskIndex}" : null,
    };
}
