using System.Text;
using Confluent.Kafka;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// Builds a <see cref="KafkaSource{T}"/> with Flink's <c>KafkaSource.builder()</c> names.
/// <example><code>
/// var source = KafkaSource&lt;string&gt;.Builder()
///     .SetBootstrapServers("localhost:9092").SetTopics("input").SetGroupId("my-group")
///     .SetStartingOffsets(OffsetsInitializer.Earliest())
///     .SetValueOnlyDeserializer(bytes => Encoding.UTF8.GetString(bytes))
///     .Build();
/// var lines = env.FromSource(source, "Kafka Source");
/// </code></example>
/// </summary>
public sealed class KafkaSourceBuilder<T>
{
    private string? _servers;
    private readonly List<string> _topics = new();
    private string? _groupId;
    private OffsetsInitializer _starting = OffsetsInitializer.Earliest();
    private OffsetsInitializer? _stopping;
    private TryDeserializer<T>? _deserializer;
    private readonly Dictionary<string, string> _properties = new();
    private TimeSpan? _discovery = TimeSpan.FromSeconds(30);
    private TimeSpan _timeout = TimeSpan.FromSeconds(30);

    internal KafkaSourceBuilder() { }

    /// <summary>The brokers to start from, "host:port[,host:port...]".</summary>
    public KafkaSourceBuilder<T> SetBootstrapServers(string servers)
    {
        _servers = servers;
        return this;
    }

    public KafkaSourceBuilder<T> SetTopics(params string[] topics)
    {
        _topics.AddRange(topics);
        return this;
    }

    public KafkaSourceBuilder<T> SetGroupId(string groupId)
    {
        _groupId = groupId;
        return this;
    }

    /// <summary>Where each partition starts when the job does not restore a checkpoint (earliest by default).</summary>
    public KafkaSourceBuilder<T> SetStartingOffsets(OffsetsInitializer offsets)
    {
        _starting = offsets;
        return this;
    }

    /// <summary>Makes the source bounded: each partition ends at these offsets (resolved when the reader starts).</summary>
    public KafkaSourceBuilder<T> SetBounded(OffsetsInitializer stoppingOffsets)
    {
        _stopping = stoppingOffsets;
        return this;
    }

    /// <summary>Turns each record's value bytes into a <typeparamref name="T"/>.</summary>
    public KafkaSourceBuilder<T> SetValueOnlyDeserializer(Func<byte[], T> deserializer)
    {
        ArgumentNullException.ThrowIfNull(deserializer);
        _deserializer = (ConsumeResult<byte[], byte[]> r, out T v) => { v = deserializer(r.Message.Value ?? Array.Empty<byte>()); return true; };
        return this;
    }

    /// <summary>Turns the whole Kafka record (key, value, headers, partition, offset, timestamp) into a <typeparamref name="T"/>.</summary>
    public KafkaSourceBuilder<T> SetDeserializer(Func<ConsumeResult<byte[], byte[]>, T> deserializer)
    {
        ArgumentNullException.ThrowIfNull(deserializer);
        _deserializer = (ConsumeResult<byte[], byte[]> r, out T v) => { v = deserializer(r); return true; };
        return this;
    }

    /// <summary>
    /// Like <see cref="SetDeserializer(Func{ConsumeResult{byte[], byte[]}, T})"/>, but a record may be skipped
    /// (the deserializer returns false), as Flink skips the null a deserialization schema returns; the
    /// record's offset still counts as read.
    /// </summary>
    public KafkaSourceBuilder<T> SetDeserializer(TryDeserializer<T> deserializer)
    {
        _deserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        return this;
    }

    /// <summary>A client property, librdkafka's names (e.g. <c>isolation.level</c>, <c>security.protocol</c>).</summary>
    public KafkaSourceBuilder<T> SetProperty(string key, string value)
    {
        if (key == "partition.discovery.interval.ms")
        {
            var ms = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            _discovery = ms < 0 ? null : TimeSpan.FromMilliseconds(ms);
        }
        else _properties[key] = value;
        return this;
    }

    /// <summary>How long any one request to the brokers may take before the job fails (30 s by default).</summary>
    public KafkaSourceBuilder<T> SetRequestTimeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    public KafkaSource<T> Build()
    {
        if (string.IsNullOrWhiteSpace(_servers))
            throw new ArgumentException("KafkaSource: bootstrap servers are required: call SetBootstrapServers(\"host:port\")");
        if (_topics.Count == 0 || _topics.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("KafkaSource: name at least one topic with SetTopics(...)");
        if (_deserializer is null)
            throw new ArgumentException("KafkaSource: a deserializer is required: call SetValueOnlyDeserializer(bytes => ...) or SetDeserializer(record => ...)");
        if ((_starting.NeedsGroup || _stopping?.NeedsGroup == true) && string.IsNullOrWhiteSpace(_groupId))
            throw new ArgumentException("KafkaSource: OffsetsInitializer.Committed() reads the consumer group's offsets, so the source needs SetGroupId(...)");
        if (_timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(_timeout), "KafkaSource: the request timeout must be positive");
        // A bounded source reads a fixed range: new partitions are not looked for (as in Flink).
        var discovery = _stopping is null ? _discovery : null;
        return new KafkaSource<T>(new KafkaSourceOptions<T>(_servers, _topics.Distinct().ToList(), _groupId, _starting, _stopping,
            _deserializer, new Dictionary<string, string>(_properties), discovery, _timeout));
    }
}
