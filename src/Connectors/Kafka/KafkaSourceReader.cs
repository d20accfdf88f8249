using System.Diagnostics;
using Confluent.Kafka;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Sources;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// One subtask's reader: assigns itself the partitions it owns (no group rebalancing, as Flink's
/// KafkaSource), polls the consumer without blocking, and keeps the next offset of every partition
/// for checkpoints. Clients are made at the first poll, so a restored position is in place first.
/// </summary>
internal sealed class KafkaSourceReader<T> : ISourceReader<T>, ICheckpointedSourceReader
{
    private const byte StateVersion = 1;

    private readonly KafkaSourceOptions<T> _options;
    private readonly int _subtask;
    private readonly int _parallelism;
    private readonly Dictionary<TopicPartition, long> _positions = new(); // next offset to read
    private readonly Dictionary<TopicPartition, long> _stops = new();     // bounded: end offset (exclusive)
    private readonly HashSet<TopicPartition> _finished = new();
    private Dictionary<TopicPartition, long>? _restored;
    private KafkaClients? _clients;
    private long _nextDiscovery;
    private readonly SplitWatermarks<TopicPartition>? _watermarks;
    private readonly Func<T, long, long>? _assigner;

    public KafkaSourceReader(KafkaSourceOptions<T> options, int subtask, int parallelism, SourceWatermarking<T>? watermarking)
    {
        _options = options;
        _subtask = subtask;
        _parallelism = parallelism;
        if (watermarking is null) return;
        _watermarks = SplitWatermarks<TopicPartition>.For(watermarking.Strategy, watermarking.Interval, watermarking.Clock);
        _assigner = watermarking.Strategy.TimestampAssigner;
    }

    public SourceStatus Poll(SourceOutput<T> output)
    {
        _clients ??= Start();
        if (_options.PartitionDiscoveryInterval is { } every && Stopwatch.GetTimestamp() >= _nextDiscovery)
        {
            Discover(_clients, fromStart: false);
            _nextDiscovery = Stopwatch.GetTimestamp() + (long)(every.TotalSeconds * Stopwatch.Frequency);
        }
        var emitted = 0;
        var room = output.Room;
        while (emitted < room)
        {
            ConsumeResult<byte[], byte[]>? record;
            try { record = _clients.Consumer.Consume(TimeSpan.Zero); }
            catch (ConsumeException e)
            {
                throw new KafkaConnectorException(
                    $"Kafka source: reading {e.ConsumerRecord?.TopicPartitionOffset.ToString() ?? "a partition"} from {_options.BootstrapServers} failed: {e.Error.Reason} ({e.Error.Code})", e);
            }
            if (record is null) break;
            var tp = record.TopicPartition;
            if (record.IsPartitionEOF)
            {
                // The fetch position is past any transaction markers; a bounded partition may end here.
                _positions[tp] = Math.Max(_positions.GetValueOrDefault(tp), record.Offset.Value);
                CheckFinished(tp);
                continue;
            }
            var offset = record.Offset.Value;
            if (_stops.TryGetValue(tp, out var stop) && offset >= stop)
            {
                _positions[tp] = stop;
                CheckFinished(tp);
                continue;
            }
            T value;
            bool keep;
            try { keep = _options.Deserializer(record, out value); }
            catch (Exception e)
            {
                throw new KafkaConnectorException($"Kafka source: the deserializer failed on the record of topic '{record.Topic}', partition {record.Partition.Value}, offset {record.Offset.Value}: {e.Message}", e);
            }
            _positions[tp] = offset + 1;
            if (!keep)
            {
                if (_options.GroupId is not null) _clients.Consumer.StoreOffset(new TopicPartitionOffset(tp, offset + 1));
                CheckFinished(tp);
                continue;
            }
            var timestamp = record.Message.Timestamp.UnixTimestampMs;
            if (_assigner is not null) timestamp = _assigner(value, timestamp);
            _watermarks?.OnRecord(tp, timestamp);
            output.Collect(value, timestamp);
            if (_options.GroupId is not null) _clients.Consumer.StoreOffset(new TopicPartitionOffset(tp, offset + 1));
            emitted++;
            CheckFinished(tp);
        }
        _watermarks?.MaybeEmit(output.EmitWatermark, output.EmitWatermarkStatus);
        if (emitted > 0) return SourceStatus.MoreAvailable;
        return _options.StoppingOffsets is not null && _finished.Count == _positions.Count ? SourceStatus.End : SourceStatus.NothingAvailable;
    }

    private KafkaClients Start()
    {
        var consumerConfig = _options.ConsumerConfig(_subtask);
        var consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig).Build();
        var admin = new AdminClientBuilder(new AdminClientConfig(_options.Properties.ToDictionary(p => p.Key, p => p.Value))
        {
            BootstrapServers = _options.BootstrapServers,
        }).Build();
        var clients = new KafkaClients(consumer, admin, _options.RequestTimeout, _options.BootstrapServers);
        Discover(clients, fromStart: true);
        return clients;
    }

    /// <summary>Assigns the owned partitions not yet assigned: at their restored, starting or (new since the start) earliest offset.</summary>
    private void Discover(KafkaClients clients, bool fromStart)
    {
        var owned = clients.Partitions(_options.Topics)
            .Where(tp => SplitOwner.Of(tp.Topic, tp.Partition.Value, _parallelism) == _subtask && !_positions.ContainsKey(tp))
            .ToList();
        if (owned.Count == 0) return;
        var fresh = owned.Where(tp => _restored is null || !_restored.ContainsKey(tp)).ToList();
        // A partition that appears after the job started is read from its start (Flink's rule); so is one
        // missing from a restored checkpoint.
        var initializer = fromStart && _restored is null ? _options.StartingOffsets : OffsetsInitializer.Earliest();
        var starts = initializer.Resolve(fresh, clients);
        if (_options.StoppingOffsets is { } stopping)
            foreach (var (tp, end) in stopping.Resolve(owned, clients)) _stops[tp] = end;
        var assignment = new List<TopicPartitionOffset>();
        foreach (var tp in owned)
        {
            var position = _restored is not null && _restored.TryGetValue(tp, out var r) ? r : starts[tp];
            _positions[tp] = position;
            _watermarks?.AddSplit(tp);
            assignment.Add(new TopicPartitionOffset(tp, position));
        }
        clients.Consumer.IncrementalAssign(assignment);
        foreach (var tp in owned) CheckFinished(tp);
    }

    private void CheckFinished(TopicPartition tp)
    {
        if (_finished.Contains(tp) || !_stops.TryGetValue(tp, out var stop) || _positions[tp] < stop) return;
        _finished.Add(tp);
        _watermarks?.RemoveSplit(tp);
        _clients?.Consumer.IncrementalUnassign(new[] { tp });
    }

    public void SnapshotPosition(Stream output)
    {
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(StateVersion);
        var positions = _clients is null && _restored is not null ? _restored : _positions;
        w.Write(positions.Count);
        foreach (var (tp, offset) in positions)
        {
            w.Write(tp.Topic);
            w.Write(tp.Partition.Value);
            w.Write(offset);
        }
    }

    public void RestorePosition(Stream input)
    {
        using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        var version = r.ReadByte();
        if (version != StateVersion)
            throw new InvalidDataException($"Kafka source position of version {version} in the checkpoint; this PyFlow reads version {StateVersion}");
        var count = r.ReadInt32();
        _restored = new Dictionary<TopicPartition, long>(count);
        for (var i = 0; i < count; i++) _restored[new TopicPartition(r.ReadString(), r.ReadInt32())] = r.ReadInt64();
    }

    public void Dispose() => _clients?.Dispose();
}
