using System.Text;
using Confluent.Kafka;
using PyFlow.Connectors.Kafka.Testing;

namespace PyFlow.Connectors.Kafka.Tests;

/// <summary>Writing and reading a mock cluster's topics directly, with plain Confluent.Kafka clients and bounded waits.</summary>
internal static class KafkaTestKit
{
    public static void Produce(MockKafkaCluster cluster, string topic, IEnumerable<(int Partition, string Value, long Timestamp)> records)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        foreach (var (partition, value, ts) in records)
            producer.Produce(new TopicPartition(topic, partition), new Message<Null, string> { Value = value, Timestamp = new Timestamp(ts, TimestampType.CreateTime) });
        Assert.That(producer.Flush(TimeSpan.FromSeconds(30)), Is.EqualTo(0), "every test record acknowledged");
    }

    /// <summary>Every committed record of <paramref name="topic"/> (read_committed), read until the end of each partition.</summary>
    public static List<string> ReadAll(MockKafkaCluster cluster, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers, GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnablePartitionEof = true, IsolationLevel = IsolationLevel.ReadCommitted, EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<string>();
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ended.Count < partitions)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"reading {topic} did not reach the end of every partition in 30 s");
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null) continue;
            if (r.IsPartitionEOF) ended.Add(r.Partition.Value);
            else values.Add(r.Message.Value);
        }
        return values;
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}

/// <summary>A temporary directory removed afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pyflow-kafka-").FullName;
    public void Dispose() => Directory.Delete(Path, true);
}

/// <summary>Throws on the <see cref="FailAt"/>-th record it sees, once (the first attempt only).</summary>
internal sealed class FailOnce(long failAt)
{
    private long _seen;
    private int _failed;

    public long FailAt { get; } = failAt;
    public bool HasFailed => Volatile.Read(ref _failed) == 1;
    public long Seen => Interlocked.Read(ref _seen);

    public T Pass<T>(T value)
    {
        if (Interlocked.Increment(ref _seen) == FailAt && Interlocked.Exchange(ref _failed, 1) == 0)
            throw new InvalidOperationException($"injected failure at record {FailAt}");
        return value;
    }
}
