using Confluent.Kafka;
using PyFlow.Connectors.Kafka.Testing;
using PyFlow.Engine.Api;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Operators;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Windowing.Assigners;

namespace PyFlow.Connectors.Kafka.Tests;

/// <summary>KafkaSource against librdkafka's mock cluster (real Kafka protocol over 127.0.0.1), run by the real engine.</summary>
public class KafkaSourceTests
{
    private static List<(int Partition, string Value, long Timestamp)> Records(int count, int partitions) =>
        Enumerable.Range(0, count).Select(i => (i % partitions, $"r{i}", 1_000_000L + i)).ToList();

    private static KafkaSource<string> Source(MockKafkaCluster cluster, string topic, string? group = null, OffsetsInitializer? start = null) =>
        new Func<KafkaSourceBuilder<string>>(() =>
        {
            var b = KafkaSource<string>.Builder().SetBootstrapServers(cluster.BootstrapServers).SetTopics(topic)
                .SetStartingOffsets(start ?? OffsetsInitializer.Earliest()).SetBounded(OffsetsInitializer.Latest())
                .SetValueOnlyDeserializer(System.Text.Encoding.UTF8.GetString);
            return group is null ? b : b.SetGroupId(group);
        })().Build();

    private sealed class WithTimestamp : ProcessFunction<string, string>
    {
        public override void ProcessElement(string value, Context ctx, ICollector<string> output) => output.Collect($"{value}@{ctx.Timestamp}");
    }

    private static async Task<List<string>> Collect(DataStream<string> stream)
    {
        var all = new List<string>();
        await foreach (var v in stream.ExecuteAndCollectAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token)) all.Add(v);
        return all;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task ABoundedSourceReadsEveryRecordOfEveryPartitionOnceWithItsKafkaTimestamp(int parallelism)
    {
        using var cluster = new MockKafkaCluster(brokers: 3);
        cluster.CreateTopic("events", partitions: 4);
        var records = Records(2_000, 4);
        KafkaTestKit.Produce(cluster, "events", records);
        var env = new StreamExecutionEnvironment { Parallelism = parallelism };

        var got = await Collect(env.FromSource(Source(cluster, "events"), "Kafka Source").Process(new WithTimestamp()));

        Assert.That(got.Order(StringComparer.Ordinal), Is.EqualTo(records.Select(r => $"{r.Value}@{r.Timestamp}").Order(StringComparer.Ordinal)));
    }

    [Test]
    public async Task PartitionsSpreadOverSubtasksByFlinksRule()
    {
        Assert.That(Enumerable.Range(0, 4).Select(p => SplitOwner.Of("events", p, 2)).Distinct().Count(), Is.EqualTo(2));
        // Java's "events".hashCode() is 0xB337B5F3-ish; the rule starts the topic's partitions at ((h * 31) & 0x7FFFFFFF) % n.
        var h = 0;
        foreach (var c in "events") h = unchecked(31 * h + c);
        var start = (h * 31) & 0x7FFFFFFF;
        for (var p = 0; p < 8; p++) Assert.That(SplitOwner.Of("events", p, 3), Is.EqualTo((int)((start + (long)p) % 3)));
        await Task.CompletedTask;
    }

    [Test]
    public async Task AConsumerGroupCommitsWhatItReadAndCommittedOffsetsResumeThere()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("orders", partitions: 2);
        KafkaTestKit.Produce(cluster, "orders", Records(100, 2));
        var first = await Collect(new StreamExecutionEnvironment { Parallelism = 2 }
            .FromSource(Source(cluster, "orders", group: "billing", start: OffsetsInitializer.Committed()), "Kafka Source"));
        Assert.That(first, Has.Count.EqualTo(100));

        KafkaTestKit.Produce(cluster, "orders", Enumerable.Range(100, 20).Select(i => (i % 2, $"r{i}", 2_000_000L + i)));
        var second = await Collect(new StreamExecutionEnvironment { Parallelism = 1 }
            .FromSource(Source(cluster, "orders", group: "billing", start: OffsetsInitializer.Committed()), "Kafka Source"));

        Assert.That(second.Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(100, 20).Select(i => $"r{i}").Order(StringComparer.Ordinal)),
            "the second run starts where the group's committed offsets are");
    }

    [Test]
    public async Task GivenOffsetsStartThereAndUnlistedPartitionsStartAtTheResetPoint()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("ticks", partitions: 2);
        var records = Records(200, 2); // partition p holds r(2k + p) at offset k
        KafkaTestKit.Produce(cluster, "ticks", records);
        var start = OffsetsInitializer.Offsets(new Dictionary<TopicPartition, long> { [new TopicPartition("ticks", 0)] = 60 },
            OffsetResetStrategy.Latest);

        var got = await Collect(new StreamExecutionEnvironment { Parallelism = 1 }.FromSource(Source(cluster, "ticks", start: start), "Kafka Source"));

        Assert.That(got.Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(60, 40).Select(k => $"r{2 * k}").Order(StringComparer.Ordinal)));
    }

    [Test]
    public async Task AJobFailingMidRunRestoresOffsetsFromItsCheckpointAndCollectsEveryRecordOnce()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("clicks", partitions: 3);
        var records = Records(30_000, 3);
        KafkaTestKit.Produce(cluster, "clicks", records);
        using var dir = new TempDir();
        var env = new StreamExecutionEnvironment { Parallelism = 2 };
        env.Options.BatchSize = 50;
        env.EnableCheckpointing(TimeSpan.FromMilliseconds(50));
        env.Options.Checkpointing.Directory = dir.Path;
        env.SetRestartStrategy(RestartStrategy.FixedDelayRestart(2, TimeSpan.FromMilliseconds(20)));
        var log = new List<string>();
        env.Options.Checkpointing.Log = l => { lock (log) log.Add(l); };
        // The failure comes at the first record past 20,000 once a checkpoint has completed, so the restart is from a
        // checkpoint however fast the reading; until one has, records past that point are slowed (1 ms each, between
        // batches the subtask runs the checkpoint's mail) so one completes before the input ends.
        var seen = 0L;
        var failed = 0;
        var stream = env.FromSource(Source(cluster, "clicks"), "Kafka Source").Map(v =>
        {
            if (Interlocked.Increment(ref seen) < 20_000 || Volatile.Read(ref failed) == 1) return v;
            if (!Directory.EnumerateDirectories(dir.Path, "chk-*").Any())
            {
                Thread.Sleep(1);
                return v;
            }
            if (Interlocked.Exchange(ref failed, 1) == 0) throw new InvalidOperationException("injected failure after a checkpoint");
            return v;
        });
        var got = await Collect(stream);

        Assert.That(failed, Is.EqualTo(1));
        Assert.That(log.Any(l => l.Contains("from checkpoint")), Is.True, string.Join("\n", log));
        Assert.That(got.Order(StringComparer.Ordinal), Is.EqualTo(records.Select(r => r.Value).Order(StringComparer.Ordinal)));
    }

    [Test]
    public void AMissingTopicFailsTheJobNamingIt()
    {
        using var cluster = new MockKafkaCluster();
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        var source = KafkaSource<string>.Builder().SetBootstrapServers(cluster.BootstrapServers).SetTopics("nope")
            .SetBounded(OffsetsInitializer.Latest()).SetValueOnlyDeserializer(System.Text.Encoding.UTF8.GetString)
            .SetProperty("allow.auto.create.topics", "false").SetRequestTimeout(TimeSpan.FromSeconds(5)).Build();
        var e = Assert.ThrowsAsync<JobExecutionException>(async () => await Collect(env.FromSource(source, "Kafka Source")));
        Assert.That(e!.ToString(), Does.Contain("'nope'"));
    }

    [Test]
    public void ABuilderWithoutTheEssentialsSaysWhatIsMissing()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => KafkaSource<string>.Builder().SetTopics("t").Build())!.Message, Does.Contain("SetBootstrapServers"));
        Assert.That(Assert.Throws<ArgumentException>(() => KafkaSource<string>.Builder().SetBootstrapServers("x:1").Build())!.Message, Does.Contain("SetTopics"));
        Assert.That(Assert.Throws<ArgumentException>(() => KafkaSource<string>.Builder().SetBootstrapServers("x:1").SetTopics("t").Build())!.Message, Does.Contain("deserializer"));
        Assert.That(Assert.Throws<ArgumentException>(() => KafkaSource<string>.Builder().SetBootstrapServers("x:1").SetTopics("t")
            .SetValueOnlyDeserializer(_ => "").SetStartingOffsets(OffsetsInitializer.Committed()).Build())!.Message, Does.Contain("SetGroupId"));
    }

    private sealed class CountPerWindow : PyFlow.Engine.Api.Functions.ProcessWindowFunction<(int Partition, long Ts), string, int, PyFlow.Engine.Windowing.TimeWindow>
    {
        public override void Process(int key, Context ctx, IEnumerable<(int Partition, long Ts)> elements, ICollector<string> output) =>
            output.Collect($"p{key} [{ctx.Window.Start},{ctx.Window.End}) {elements.Count()}");
    }

    [Test]
    public async Task PerPartitionWatermarksKeepALaggingPartitionsRecordsOnTime()
    {
        // Partition 0 is an hour ahead of partition 1 in event time. One watermark over both (assigned after the
        // source) runs ahead with partition 0 and makes partition 1's records late; per-partition watermarks hold
        // at partition 1's pace, so every record lands in its window.
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("sensors", partitions: 2);
        const long start = 1_700_000_000_000, hour = 3_600_000; // a Kafka timestamp of 0 would mean "now"
        var records = Enumerable.Range(0, 1_000).Select(i => (Partition: 0, Value: $"0,{start + hour + i * 10}", Ts: start + hour + i * 10L))
            .Concat(Enumerable.Range(0, 1_000).Select(i => (Partition: 1, Value: $"1,{start + i * 10}", Ts: start + i * 10L))).ToList();
        KafkaTestKit.Produce(cluster, "sensors", records);
        var source = KafkaSource<(int Partition, long Ts)>.Builder().SetBootstrapServers(cluster.BootstrapServers).SetTopics("sensors")
            .SetBounded(OffsetsInitializer.Latest())
            .SetValueOnlyDeserializer(b => { var f = System.Text.Encoding.UTF8.GetString(b).Split(','); return (int.Parse(f[0]), long.Parse(f[1])); })
            .Build();
        var env = new StreamExecutionEnvironment { Parallelism = 1 };
        env.Options.AutoWatermarkInterval = TimeSpan.FromMilliseconds(1);
        var late = new OutputTag<(int Partition, long Ts)>("late");
        var windows = env.FromSource(source, WatermarkStrategy<(int Partition, long Ts)>.ForMonotonousTimestamps(), "Kafka Source")
            .KeyBy(r => r.Partition)
            .Window(TumblingWindows<(int Partition, long Ts)>.OfEventTime(TimeSpan.FromSeconds(1)))
            .SideOutputLateData(late)
            .Process(new CountPerWindow());
        var lateRecords = windows.GetSideOutput(late);
        var results = new List<string>();
        var lateCount = 0;
        lateRecords.AddSink((_, _) => Interlocked.Increment(ref lateCount));

        await foreach (var r in windows.ExecuteAndCollectAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token)) results.Add(r);

        var expected = records.GroupBy(r => (r.Partition, Start: r.Ts / 1000 * 1000))
            .Select(g => $"p{g.Key.Partition} [{g.Key.Start},{g.Key.Start + 1000}) {g.Count()}").Order(StringComparer.Ordinal);
        Assert.That(lateCount, Is.EqualTo(0), "no record is late");
        Assert.That(results.Order(StringComparer.Ordinal), Is.EqualTo(expected));
    }
}
