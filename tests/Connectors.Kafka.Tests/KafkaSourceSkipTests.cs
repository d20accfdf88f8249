using Confluent.Kafka;
using PyFlow.Connectors.Kafka.Testing;
using PyFlow.Engine.Api;

namespace PyFlow.Connectors.Kafka.Tests;

/// <summary>A deserializer that skips records (a format's ignore-parse-errors): the rest arrive, and skipped offsets count as read.</summary>
public class KafkaSourceSkipTests
{
    private static KafkaSource<string> Source(MockKafkaCluster cluster, TryDeserializer<string> deserializer) =>
        KafkaSource<string>.Builder().SetBootstrapServers(cluster.BootstrapServers).SetTopics("mixed").SetGroupId("skipper")
            .SetStartingOffsets(OffsetsInitializer.Committed()).SetBounded(OffsetsInitializer.Latest())
            .SetDeserializer(deserializer).Build();

    private static bool EvenOnly(ConsumeResult<byte[], byte[]> record, out string value)
    {
        value = System.Text.Encoding.UTF8.GetString(record.Message.Value);
        return int.Parse(value[1..]) % 2 == 0;
    }

    private static bool KeepAll(ConsumeResult<byte[], byte[]> record, out string value)
    {
        value = System.Text.Encoding.UTF8.GetString(record.Message.Value);
        return true;
    }

    private static async Task<List<string>> Collect(KafkaSource<string> source)
    {
        var all = new List<string>();
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        await foreach (var v in env.FromSource(source, "Kafka Source").ExecuteAndCollectAsync()
                           .WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token)) all.Add(v);
        return all;
    }

    [Test]
    public async Task SkippedRecordsAreLeftOutAndTheirOffsetsCommittedAsRead()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("mixed");
        KafkaTestKit.Produce(cluster, "mixed", Enumerable.Range(0, 11).Select(i => (0, $"r{i}", 1_000L + i)));

        var first = await Collect(Source(cluster, EvenOnly));
        Assert.That(first, Is.EqualTo(Enumerable.Range(0, 11).Where(i => i % 2 == 0).Select(i => $"r{i}")));

        // A run that reads only a skipped record must still move the group past it.
        KafkaTestKit.Produce(cluster, "mixed", new[] { (0, "r11", 2_000L) });
        Assert.That(await Collect(Source(cluster, EvenOnly)), Is.Empty);
        KafkaTestKit.Produce(cluster, "mixed", new[] { (0, "r12", 3_000L) });
        Assert.That(await Collect(Source(cluster, KeepAll)), Is.EqualTo(new[] { "r12" }),
            "the group resumes after the skipped r11, not at it");
    }
}
