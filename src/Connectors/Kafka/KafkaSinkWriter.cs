using Confluent.Kafka;
using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// One subtask's Kafka writer.
/// </summary>
/// <remarks>
/// <para><b>Exactly-once</b> is Flink's two-phase commit, adapted to what librdkafka allows (it cannot
/// resume another producer's transaction, which Flink does by reflection): records go into one open
/// transaction of the subtask's transactional producer (<c>prefix-subtask</c>). At checkpoint N's barrier
/// the producer is flushed (pre-commit) and the transaction's records are written into N's state; records
/// after the barrier wait in memory. When N completes, the transaction is committed together with a
/// marker, the offset N committed for the group <c>pyflow-sink-&lt;transactional id&gt;</c> through
/// <c>SendOffsetsToTransaction</c> (atomic with the records), and the waiting records start the next
/// transaction. Restored from checkpoint C, a new producer fences and aborts whatever the failed attempt
/// left open, then reads the marker: below C, C's transaction never committed, so its records (from C's
/// state) are written again and committed with marker C; at or above C they are already visible and are
/// not written twice. A checkpoint that is abandoned leaves the transaction open; it grows and the next
/// completed checkpoint commits it. State holds one checkpoint interval's records.</para>
/// <para><b>At-least-once</b> flushes at every barrier; <b>none</b> never waits. The end of input flushes,
/// and commits, everything (as the engine's other exactly-once sinks).</para>
/// </remarks>
internal sealed class KafkaSinkWriter<T> : IBatchConsumer<T>, IOperatorLifecycle, ICheckpointedOperator, IDisposable
{
    private const byte StateVersion = 1;

    private readonly KafkaSinkOptions<T> _options;
    private readonly OperatorContext _context;
    private readonly bool _exactlyOnce;
    private IProducer<byte[]?, byte[]>? _producer;
    private IConsumer<byte[], byte[]>? _markerReader; // exactly-once: the marker group's handle
    private readonly List<(byte[]? Key, byte[] Value)> _inTransaction = new();
    private readonly List<(byte[]? Key, byte[] Value)> _waiting = new();
    private bool _transactionOpen;
    private long _preCommittedFor = -1; // checkpoint whose barrier pre-committed the open transaction
    private long _lastSnapshot = -1;
    private (long Checkpoint, List<(byte[]? Key, byte[] Value)> Records)? _restored;
    private volatile Error? _deliveryError;
    private string? _errorRecordAt;

    public KafkaSinkWriter(KafkaSinkOptions<T> options, OperatorContext context)
    {
        _options = options;
        _context = context;
        _exactlyOnce = options.Guarantee == DeliveryGuarantee.ExactlyOnce;
    }

    private string TransactionalId => $"{_options.TransactionalIdPrefix}-{_context.SubtaskIndex}";
    private string MarkerGroup => $"pyflow-sink-{TransactionalId}";

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
            GroupId = MarkerGroup,
            EnableAutoCommit = false,
        }).Build();
        Step(() => { _producer.InitTransactions(_options.Timeout); return 0; }, "starting its transactional producer (this also aborts what a failed attempt left open)");
        if (_restored is { } restored) RecoverTransaction(restored.Checkpoint, restored.Records);
    }

    private void RecoverTransaction(long checkpoint, List<(byte[]? Key, byte[] Value)> records)
    {
        var marker = Step(() => _markerReader!.Committed(new[] { MarkerPartition }, _options.Timeout), "reading its commit marker")
            .Single().Offset.Value;
        if (marker >= checkpoint || records.Count == 0) return;
        Begin();
        foreach (var r in records) Produce(r);
        CommitWithMarker(checkpoint);
    }

    private TopicPartition MarkerPartition => new(_options.Topic, 0);

    public void Push(Batch<T> batch)
    {
        ThrowIfDeliveryFailed();
        for (var i = 0; i < batch.Count; i++)
        {
            var record = _options.Serializer(batch.Values[i]);
            if (_exactlyOnce && _preCommittedFor >= 0)
            {
                _waiting.Add(record); // the open transaction belongs to a barrier already passed
                continue;
            }
            if (_exactlyOnce)
            {
                if (!_transactionOpen) Begin();
                _inTransaction.Add(record);
            }
            Produce(record);
        }
    }

    public void Watermark(long watermark) { }

    public void PrepareSnapshotPreBarrier(long checkpointId)
    {
        if (_options.Guarantee == DeliveryGuarantee.None) return;
        if (_exactlyOnce && _waiting.Count > 0)
        {
            // An earlier checkpoint never completed: its transaction stays open and takes these records too.
            if (!_transactionOpen) Begin();
            foreach (var r in _waiting) Produce(r);
            _inTransaction.AddRange(_waiting);
            _waiting.Clear();
        }
        Flush();
    }

    public void SnapshotState(long checkpointId, Stream output)
    {
        _lastSnapshot = checkpointId;
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(StateVersion);
        w.Write(checkpointId);
        var records = _exactlyOnce ? _inTransaction : new List<(byte[]? Key, byte[] Value)>();
        w.Write(records.Count);
        foreach (var (key, value) in records)
        {
            w.Write(key is null ? -1 : key.Length);
            if (key is not null) w.Write(key);
            w.Write(value.Length);
            w.Write(value);
        }
        if (_exactlyOnce && _transactionOpen) _preCommittedFor = checkpointId;
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
        if (!_exactlyOnce || _preCommittedFor < 0 || _preCommittedFor > checkpointId) return;
        CommitWithMarker(_preCommittedFor);
        _inTransaction.Clear();
        _preCommittedFor = -1;
        if (_waiting.Count == 0) return;
        Begin();
        foreach (var r in _waiting) Produce(r);
        _inTransaction.AddRange(_waiting);
        _waiting.Clear();
    }

    public void RestoreState(Stream input)
    {
        using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        var version = r.ReadByte();
        if (version != StateVersion)
            throw new InvalidDataException($"Kafka sink state of version {version} in the checkpoint; this PyFlow reads version {StateVersion}");
        var checkpoint = r.ReadInt64();
        var count = r.ReadInt32();
        var records = new List<(byte[]? Key, byte[] Value)>(count);
        for (var i = 0; i < count; i++)
        {
            var keyLength = r.ReadInt32();
            var key = keyLength < 0 ? null : r.ReadBytes(keyLength);
            records.Add((key, r.ReadBytes(r.ReadInt32())));
        }
        _restored = (checkpoint, records);
        _lastSnapshot = checkpoint;
    }

    public void EndOfInput()
    {
        if (_producer is null) return;
        if (_exactlyOnce)
        {
            if (_waiting.Count > 0)
            {
                if (!_transactionOpen) Begin();
                foreach (var r in _waiting) Produce(r);
                _waiting.Clear();
            }
            if (_transactionOpen) CommitWithMarker(_lastSnapshot + 1);
            _inTransaction.Clear();
            _preCommittedFor = -1;
            return;
        }
        Flush();
    }

    private void Begin()
    {
        Step(() => { _producer!.BeginTransaction(); return 0; }, "beginning a transaction");
        _transactionOpen = true;
    }

    private void CommitWithMarker(long checkpoint)
    {
        Flush();
        Step(() =>
        {
            _producer!.SendOffsetsToTransaction(new[] { new TopicPartitionOffset(MarkerPartition, checkpoint) },
                _markerReader!.ConsumerGroupMetadata, _options.Timeout);
            _producer.CommitTransaction(_options.Timeout);
            return 0;
        }, $"committing the transaction of checkpoint {checkpoint}");
        _transactionOpen = false;
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
        }
        finally
        {
            _producer?.Dispose(); // an open transaction is aborted by the broker, or fenced by the next attempt
            _markerReader?.Dispose();
        }
    }
}
