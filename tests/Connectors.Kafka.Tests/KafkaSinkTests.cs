using Confluent.Kafka;
using PyFlow.Connectors.Kafka.Testing;
using PyFlow.Engine.Api;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;

namespace PyFlow.Connectors.Kafka.Tests;

/// <summary>KafkaSink against librdkafka's mock cluster, run by the real engine; what was written is read back with a plain consumer.</summary>
public class KafkaSinkTests
{
    private static KafkaSink<string> Sink(MockKafkaCluster cluster, string topic, DeliveryGuarantee guarantee, string prefix = "job") =>
        KafkaSink<string>.Builder().SetBootstrapServers(cluster.BootstrapServers)
            .SetRecordSerializer(topic, s => (null, KafkaTestKit.Utf8(s)))
            .SetDeliveryGuarantee(guarantee).SetTransactionalIdPrefix(prefix).SetRequestTimeout(TimeSpan.FromSeconds(20)).Build();

    [TestCase(DeliveryGuarantee.None)]
    [TestCase(DeliveryGuarantee.AtLeastOnce)]
    public async Task EveryRecordIsWritten(DeliveryGuarantee guarantee)
    {
        using var cluster = new MockKafkaCluster(brokers: 2);
        cluster.CreateTopic("out", partitions: 3);
        var values = Enumerable.Range(0, 5_000).Select(i => $"v{i}").ToList();
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.FromCollection(values).Rebalance().SinkTo(Sink(cluster, "out", guarantee));

        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(KafkaTestKit.ReadAll(cluster, "out", 3).Order(StringComparer.Ordinal), Is.EqualTo(values.Order(StringComparer.Ordinal)));
    }

    [Test]
    public async Task ExactlyOnceAcrossAFailureWritesEveryRecordOnceForReadCommittedReaders()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("out", partitions: 2);
        cluster.CreateTopic("pyflow-sink-markers"); // the mock cluster does not answer CreateTopics requests
        using var dir = new TempDir();
        const long count = 20_000;
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.Options.BatchSize = 100;
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(200));
        env.Options.Checkpointing.Directory = dir.Path;
        env.SetRestartStrategy(RestartStrategy.FixedDelayRestart(2, TimeSpan.FromMilliseconds(20)));
        var log = new List<string>();
        env.Options.Checkpointing.Log = l => { lock (log) log.Add(l); };
        var failer = new FailOnce(count * 2 / 3);
        // Two seconds of input: several checkpoints complete before the failure.
        env.FromGenerator(n => n, count, recordsPerSecond: 10_000).Map(n => failer.Pass($"v{n}"))
            .SinkTo(Sink(cluster, "out", DeliveryGuarantee.ExactlyOnce, prefix: "eos-job"));

        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(90));

        Assert.That(failer.HasFailed, Is.True);
        Assert.That(log.Any(l => l.Contains("from checkpoint")), Is.True, string.Join("\n", log));
        var written = KafkaTestKit.ReadAll(cluster, "out", 2);
        Assert.That(written.Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(0, (int)count).Select(i => $"v{i}").Order(StringComparer.Ordinal)),
            "each record committed exactly once");
    }

    [Test]
    public void ExactlyOnceWithoutCheckpointingIsRefusedSayingWhy()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("out");
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.FromCollection(new[] { "a" }).SinkTo(Sink(cluster, "out", DeliveryGuarantee.ExactlyOnce));
        var e = Assert.ThrowsAsync<JobExecutionException>(async () => await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(e!.ToString(), Does.Contain("checkpointing is off").And.Contain("AtLeastOnce"));
    }

    [Test]
    public async Task RetriableBrokerErrorsAreRetriedAndNothingIsLost()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("out", partitions: 1);
        cluster.FailNextRequests(apiKey: 0, ErrorCode.NotEnoughReplicas, count: 3); // Produce fails three times, retriably
        var values = Enumerable.Range(0, 500).Select(i => $"v{i}").ToList();
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.FromCollection(values).SinkTo(Sink(cluster, "out", DeliveryGuarantee.AtLeastOnce));

        await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(KafkaTestKit.ReadAll(cluster, "out", 1), Is.EqualTo(values), "one partition, idempotent producer: in order, none twice");
    }

    [Test]
    public void AFatalBrokerErrorFailsTheJobNamingTheTopicAndTheError()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("secret", partitions: 1);
        cluster.FailNextRequests(apiKey: 0, ErrorCode.TopicAuthorizationFailed, count: 50);
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.FromCollection(Enumerable.Range(0, 100).Select(i => $"v{i}")).SinkTo(Sink(cluster, "secret", DeliveryGuarantee.AtLeastOnce));

        var e = Assert.ThrowsAsync<JobExecutionException>(async () => await env.ExecuteAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.That(e!.ToString(), Does.Contain("secret").And.Contain("TopicAuthorizationFailed"));
    }
}
