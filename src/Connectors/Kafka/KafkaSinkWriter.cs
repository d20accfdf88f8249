using Confluent.Kafka;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// One subtask's Kafka writer.
/// </summary>
/// <remarks>
/// <para><b>Exactly-once</b> writes each checkpoint's records in one Kafka transaction, committed when the
/// checkpoint completes (Flink's commit point), with the records of the interval kept in the checkpoint
/// until then (a write-ahead log, as Flink's <c>GenericWriteAheadSink</c>): records are held in memory
/// during the interval; at checkpoint N's barrier they become N's pending records and are written into
/// N's state; when N completes, one transaction writes them, plus a marker record (key: the transactional
/// id <c>prefix-subtask</c>, value: N) in the marker topic (<c>pyflow-sink-markers</c> by default; always
/// partition 0), and commits. Restored from checkpoint C, the writer reads the newest committed marker of
/// its id: pending records of checkpoints at or below it are already visible and are dropped; the rest
/// (C completed, but its commit did not happen) are written and committed with marker C. A checkpoint that
/// is abandoned keeps its pending records; the next completed one commits them too.</para>
/// <para>Why not Flink's open transaction per interval: librdkafka cannot resume a transaction another
/// producer opened (Flink does it by reflection), and the mock cluster this is tested on shows aborted
/// records to read_committed readers, so an aborted transaction must never hold records that will be
/// replayed. Here a transaction is open only while it commits. Kafka's own <c>SendOffsetsToTransaction</c>
/// could carry the marker, but the mock does not keep transactional offsets; a marker topic works on
/// both. The price: one checkpoint interval's records in memory and in the checkpoint, and they reach
/// Kafka at the commit (read_committed readers see them then in either design).</para>
/// <para><b>At-least-once</b> flushes at every barrier; <b>none</b> never waits. The end of input writes,
/// and commits, everything (as the engine's other exactly-once sinks).</para>
/// </remarks>
internal sealed class KafkaSinkWriter<T> : IBatchConsumer<T>, IOperatorLifecycle, ICheckpointedOperator, IDisposable
{
    private const byte StateVersion = 1;

    private readonly KafkaSinkOptions<T> _options;
    private readonly OperatorContext _context;
    private readonly bool _exactlyOnce;
    private IProducer<byte[]?, byte[]>? _producer;
    private IConsumer<byte[], byte[]>? _markerReader; // exactly-once: reads the marker topic at a restore
    private List<(byte[]? Key, byte[] Value)> _interval = new();   // exactly-once: records since the last barrier
    private readonly SortedDictionary<long, List<(byte[]? Key, byte[] Value)>> _pending = new(); // by checkpoint
    private bool _transactionOpen;
    private long _lastSnapshot = -1;
    private long? _restoredCheckpoint;
    private volatile Error? _deliveryError;
    private string? _errorRecordAt;

    public KafkaSinkWriter(KafkaSinkOptions<T> options, OperatorContext context)
    {
        _options = options;
        _context = context;
        _exactlyOnce = options.Guarantee == DeliveryGuarantee.ExactlyOnce;
    }

    private string TransactionalId => $"{_options.TransactionalIdPrefix}-{_context.SubtaskIndex}";
    private TopicPartition MarkerPartition => new(_options.MarkerTopic, 0);

    public void Open()
    {
        if (_exactlyOnce && !_context.Options.Checkpointing.Enabled)
            throw new InvalidOperationException(
                $"Kafka sink '{_context.OperatorName}': exactly-once commits a Kafka transaction when a checkpoint completes, but checkpointing is off; enable checkpointing, or choose DeliveryGuarantee.AtLeastOnce");
        _producer = new ProducerBuilder<byte[]?, byte[]>(_options.ProducerConfig(_context.SubtaskIndex)).Build();
        if (!_exactlyOnce) return;
        _markerReader = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = $"pyflow-marker-reader-{TransactionalId}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        EnsureMarkerTopic();
        Step(() => { _producer.InitTransactions(_options.Timeout); return 0; }, "starting its transactional producer (this also fences a failed attempt's)");
        if (_restoredCheckpoint is { } restored && _pending.Count > 0)
        {
            var committed = LastCommittedMarker();
            foreach (var id in _pending.Keys.Where(id => id <= committed).ToList()) _pending.Remove(id);
            CommitPending(restored);
        }
    }

    public void Push(Batch<T> batch)
    {
        ThrowIfDeliveryFailed();
        for (var i = 0; i < batch.Count; i++)
        {
            var record = _options.Serializer(batch.Values[i]);
            if (_exactlyOnce) _interval.Add(record);
            else Produce(record);
        }
    }

    public void Watermark(long watermark) { }

    public void PrepareSnapshotPreBarrier(long checkpointId)
    {
        if (_options.Guarantee == DeliveryGuarantee.AtLeastOnce) Flush();
    }

    public void SnapshotState(long checkpointId, Stream output)
    {
        _lastSnapshot = checkpointId;
        if (_exactlyOnce && _interval.Count > 0)
        {
            _pending[checkpointId] = _interval;
            _interval = new List<(byte[]? Key, byte[] Value)>();
        }
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(StateVersion);
        w.Write(_pending.Count);
        foreach (var (id, records) in _pending)
        {
            w.Write(id);
            w.Write(records.Count);
            foreach (var (key, value) in records)
            {
                w.Write(key is null ? -1 : key.Length);
                if (key is not null) w.Write(key);
                w.Write(value.Length);
                w.Write(value);
            }
        }
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
        if (_exactlyOnce) CommitPending(checkpointId);
    }

    public void RestoreState(Stream input)
    {
        using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        var version = r.ReadByte();
        if (version != StateVersion)
            throw new InvalidDataException($"Kafka sink state of version {version} in the checkpoint; this PyFlow reads version {StateVersion}");
        _pending.Clear();
        for (var n = r.ReadInt32(); n > 0; n--)
        {
            var id = r.ReadInt64();
            var count = r.ReadInt32();
            var records = new List<(byte[]? Key, byte[] Value)>(count);
            for (var i = 0; i < count; i++)
            {
                var keyLength = r.ReadInt32();
                var key = keyLength < 0 ? null : r.ReadBytes(keyLength);
                records.Add((key, r.ReadBytes(r.ReadInt32())));
            }
            _pending[id] = records;
            _lastSnapshot = Math.Max(_lastSnapshot, id);
        }
        _restoredCheckpoint = _pending.Count > 0 ? _pending.Keys.Max() : null;
    }

    public void EndOfInput()
    {
        if (_producer is null) return;
        if (!_exactlyOnce)
        {
            Flush();
            return;
        }
        if (_interval.Count > 0)
        {
            _pending[_lastSnapshot + 1] = _interval;
            _interval = new List<(byte[]? Key, byte[] Value)>();
        }
        CommitPending(_lastSnapshot + 1);
    }

    /// <summary>Writes every pending record of checkpoints up to <paramref name="checkpoint"/> in one transaction with marker <paramref name="checkpoint"/>.</summary>
    private void CommitPending(long checkpoint)
    {
        var due = _pending.Where(p => p.Key <= checkpoint).ToList();
        if (due.Count == 0) return;
        Step(() => { _producer!.BeginTransaction(); return 0; }, "beginning a transaction");
        _transactionOpen = true;
        foreach (var (_, records) in due)
            foreach (var record in records) Produce(record);
        var marker = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(marker, checkpoint);
        // Always partition 0, whatever the topic's partition count (a broker may have auto-created it with more).
        Step(() =>
        {
            _producer!.Produce(MarkerPartition, new Message<byte[]?, byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(TransactionalId), Value = marker }, OnDelivery);
            return 0;
        }, $"writing the commit marker of checkpoint {checkpoint}");
        Flush();
        Step(() => { _producer!.CommitTransaction(_options.Timeout); return 0; }, $"committing the transaction of checkpoint {checkpoint}");
        _transactionOpen = false;
        foreach (var (id, _) in due) _pending.Remove(id);
    }

    /// <summary>The marker topic exists, or is created (1 partition, compacted); a clear error when neither.</summary>
    private void EnsureMarkerTopic()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _options.BootstrapServers }).Build();
        var metadata = Step(() => admin.GetMetadata(_options.MarkerTopic, _options.Timeout), $"looking up marker topic '{_options.MarkerTopic}'");
        if (metadata.Topics.Any(t => t.Topic == _options.MarkerTopic && !t.Error.IsError && t.Partitions.Count > 0)) return;
        var hint = $"create topic '{_options.MarkerTopic}' (1 partition, cleanup.policy=compact), or name another with SetTransactionMarkerTopic";
        var create = admin.CreateTopicsAsync(new[]
        {
            new Confluent.Kafka.Admin.TopicSpecification
            {
                Name = _options.MarkerTopic, NumPartitions = 1, ReplicationFactor = -1,
                Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
            },
        });
        try
        {
            if (!create.Wait(_options.Timeout))
                throw new KafkaConnectorException($"Kafka sink '{_context.TaskName}': creating marker topic '{_options.MarkerTopic}' on {_options.BootstrapServers} got no answer within {_options.Timeout.TotalSeconds:0.#} s; {hint}");
        }
        catch (AggregateException e) when (e.InnerException is Confluent.Kafka.Admin.CreateTopicsException c
                                            && c.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
            // another subtask made it first
        }
        catch (AggregateException e) when (e.InnerException is Confluent.Kafka.Admin.CreateTopicsException c)
        {
            throw new KafkaConnectorException(
                $"Kafka sink '{_context.TaskName}': creating marker topic '{_options.MarkerTopic}' failed: {c.Results.First(r => r.Error.IsError).Error.Reason}; {hint}", c);
        }
    }

    /// <summary>The newest checkpoint id committed with this subtask's transactional id, or -1.</summary>
    private long LastCommittedMarker()
    {
        var consumer = _markerReader!;
        consumer.Assign(new TopicPartitionOffset(MarkerPartition, Offset.Beginning));
        var id = System.Text.Encoding.UTF8.GetBytes(TransactionalId);
        var last = -1L;
        var deadline = DateTime.UtcNow + _options.Timeout;
        while (true)
        {
            if (DateTime.UtcNow > deadline)
                throw new KafkaConnectorException($"Kafka sink '{_context.TaskName}': reading marker topic '{_options.MarkerTopic}' on {_options.BootstrapServers} did not reach its end within {_options.Timeout.TotalSeconds:0.#} s");
            ConsumeResult<byte[], byte[]>? r;
            try { r = consumer.Consume(TimeSpan.FromMilliseconds(200)); }
            catch (ConsumeException e) { throw Failed($"reading marker topic '{_options.MarkerTopic}'", e.Error, e); }
            if (r is null) continue;
            if (r.IsPartitionEOF) break;
            if (r.Message.Key is { } key && key.AsSpan().SequenceEqual(id) && r.Message.Value is { Length: 8 } value)
                last = Math.Max(last, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(value));
        }
        consumer.Unassign();
        return last;
    }

    private void Produce((byte[]? Key, byte[] Value) record)
    {
        var message = new Message<byte[]?, byte[]> { Key = record.Key, Value = record.Value };
        var deadline = DateTime.UtcNow + _options.Timeout;
        while (true)
        {
            try
            {
                _producer!.Produce(_options.Topic, message, OnDelivery);
                return;
            }
            catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull && DateTime.UtcNow < deadline)
            {
                _producer!.Poll(TimeSpan.FromMilliseconds(50)); // the local queue is full: wait for deliveries (backpressure)
            }
            catch (ProduceException<byte[]?, byte[]> e)
            {
                throw Failed($"writing a record to topic '{_options.Topic}'", e.Error);
            }
        }
    }

    private void OnDelivery(DeliveryReport<byte[]?, byte[]> report)
    {
        if (!report.Error.IsError || _deliveryError is not null) return;
        _errorRecordAt = report.TopicPartitionOffset.ToString();
        _deliveryError = report.Error;
    }

    private void Flush()
    {
        var left = _producer!.Flush(_options.Timeout);
        ThrowIfDeliveryFailed();
        if (left > 0)
            throw new KafkaConnectorException(
                $"Kafka sink '{_context.TaskName}': {left} record(s) to topic '{_options.Topic}' were not acknowledged by {_options.BootstrapServers} within {_options.Timeout.TotalSeconds:0.#} s; check the brokers, or raise the request timeout");
    }

    private void ThrowIfDeliveryFailed()
    {
        if (_deliveryError is { } error) throw Failed($"delivering a record to {_errorRecordAt}", error);
    }

    private TResult Step<TResult>(Func<TResult> step, string what)
    {
        try { return step(); }
        catch (KafkaException e) { throw Failed(what, e.Error, e); }
    }

    private KafkaConnectorException Failed(string what, Error error, Exception? inner = null) =>
        new($"Kafka sink '{_context.TaskName}': {what} on {_options.BootstrapServers} failed: {error.Reason} ({error.Code})", inner);

    public void Dispose()
    {
        try
        {
            if (_producer is not null && !_exactlyOnce) _producer.Flush(TimeSpan.FromSeconds(1));
            // A commit interrupted by a failure: abort it here when possible; on a real broker the next attempt's
            // InitTransactions fences the id and aborts it anyway, and its records are in the checkpoint.
            if (_producer is not null && _transactionOpen)
            {
                try { _producer.AbortTransaction(TimeSpan.FromSeconds(5)); }
                catch (KafkaException) { }
            }
        }
        finally
        {
            _producer?.Dispose();
            _markerReader?.Dispose();
        }
    }
}
