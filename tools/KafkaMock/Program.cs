using System.Text;
using Confluent.Kafka;
using PyFlow.Connectors.Kafka.Testing;

// The Python tests' Kafka: librdkafka's mock cluster in this process, and a client to put records in and read them out.
//   serve [--brokers N] [--topic NAME[:PARTITIONS]]...   prints the bootstrap servers, runs until stdin closes
//   produce --bootstrap S --topic T [--partition P]      one record per stdin line (the UTF-8 value)
//   consume --bootstrap S --topic T [--read-committed] [--timeout-ms MS]
//                                                        every record now in the topic, one value per line,
//                                                        partition by partition
// Exit code 2 and a message on stderr for a bad command line; 1 when Kafka fails or a wait runs out.
try
{
    return args.FirstOrDefault() switch
    {
        "serve" => Serve(Options(args)),
        "produce" => Produce(Options(args)),
        "consume" => Consume(Options(args)),
        _ => Usage("the first argument is serve, produce or consume"),
    };
}
catch (ArgumentException e)
{
    return Usage(e.Message);
}
catch (KafkaException e)
{
    Console.Error.WriteLine($"KafkaMock {args[0]}: {e.Error.Reason} ({e.Error.Code})");
    return 1;
}
catch (TimeoutException e)
{
    Console.Error.WriteLine($"KafkaMock {args[0]}: {e.Message}");
    return 1;
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"KafkaMock: {problem}. Usage: serve [--brokers N] [--topic NAME[:PARTITIONS]]... | " +
                            "produce --bootstrap S --topic T [--partition P] | consume --bootstrap S --topic T [--read-committed] [--timeout-ms MS]");
    return 2;
}

static ILookup<string, string> Options(string[] args)
{
    var pairs = new List<(string, string)>();
    for (var i = 1; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--")) throw new ArgumentException($"unexpected argument '{args[i]}'");
        var flag = args[i][2..];
        if (flag == "read-committed") { pairs.Add((flag, "true")); continue; }
        if (i + 1 >= args.Length) throw new ArgumentException($"--{flag} needs a value");
        pairs.Add((flag, args[++i]));
    }
    return pairs.ToLookup(p => p.Item1, p => p.Item2);
}

static string Required(ILookup<string, string> o, string name) =>
    o[name].LastOrDefault() ?? throw new ArgumentException($"--{name} is required");

static int Serve(ILookup<string, string> o)
{
    using var cluster = new MockKafkaCluster(int.Parse(o["brokers"].LastOrDefault() ?? "1"));
    foreach (var topic in o["topic"])
    {
        var parts = topic.Split(':');
        cluster.CreateTopic(parts[0], parts.Length > 1 ? int.Parse(parts[1]) : 1);
    }
    Console.Out.WriteLine(cluster.BootstrapServers);
    Console.Out.Flush();
    // Stdin closing (the test ending, or its process dying) stops the cluster: it never outlives its test.
    Console.In.ReadToEnd();
    return 0;
}

static int Produce(ILookup<string, string> o)
{
    var topic = Required(o, "topic");
    var partition = o["partition"].LastOrDefault() is { } p ? new Partition(int.Parse(p)) : Partition.Any;
    using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = Required(o, "bootstrap"), EnableIdempotence = true }).Build();
    string? line;
    var failure = (Error?)null;
    while ((line = Console.In.ReadLine()) != null)
        producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes(line) },
            r => { if (r.Error.IsError) failure ??= r.Error; });
    if (producer.Flush(TimeSpan.FromSeconds(30)) > 0) throw new TimeoutException("records still unsent after 30 s");
    if (failure is not null) throw new KafkaException(failure);
    return 0;
}

static int Consume(ILookup<string, string> o)
{
    var servers = Required(o, "bootstrap");
    var topic = Required(o, "topic");
    var timeout = TimeSpan.FromMilliseconds(int.Parse(o["timeout-ms"].LastOrDefault() ?? "30000"));
    var deadline = DateTime.UtcNow + timeout;
    using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers }).Build();
    var partitions = admin.GetMetadata(topic, timeout).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
    if (partitions.Count == 0) throw new ArgumentException($"topic '{topic}' has no partitions (does it exist?)");
    using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
    {
        BootstrapServers = servers,
        GroupId = $"kafka-mock-consume-{Guid.NewGuid():N}",
        EnableAutoCommit = false,
        EnablePartitionEof = true,
        IsolationLevel = o["read-committed"].Any() ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
    }).Build();
    var values = partitions.ToDictionary(tp => tp.Partition.Value, _ => new List<string>());
    var open = partitions.Select(tp => tp.Partition.Value).ToHashSet();
    consumer.Assign(partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
    while (open.Count > 0)
    {
        if (DateTime.UtcNow > deadline) throw new TimeoutException($"partitions {string.Join(", ", open)} of '{topic}' did not reach their end within {timeout.TotalSeconds} s");
        var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
        if (r is null) continue;
        if (r.IsPartitionEOF) { open.Remove(r.Partition.Value); continue; }
        values[r.Partition.Value].Add(Encoding.UTF8.GetString(r.Message.Value ?? Array.Empty<byte>()));
    }
    foreach (var v in values.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value)) Console.Out.WriteLine(v);
    return 0;
}
