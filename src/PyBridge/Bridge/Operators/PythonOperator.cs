using Apache.Arrow;
using Apache.Arrow.Types;
using PyFlow.Engine.Checkpointing;
using PyFlow.PyBridge.Checkpointing;
using PyFlow.PyBridge.Errors;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;
using PyFlow.Engine.State;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Operators;

/// <summary>
/// Runs a <see cref="PythonChain"/> in a worker process (process mode). Records are buffered
/// and sent as Arrow batches of <see cref="PythonOptions.ArrowBatchSize"/>; a batch goes when
/// full, when <see cref="PythonOptions.BundleTimeMs"/> passes, before a watermark moves on and
/// at end of input. Up to two batches are at the worker at once, so the
/// engine encodes the next batch while Python runs this one; results are decoded on the
/// reader's thread and emitted by mail on the subtask's thread.
/// </summary>
/// <remarks>
/// A reduce keeps its per-key accumulator in the engine's keyed state backend (heap or RocksDB),
/// sends each key's accumulator with the batch, and takes the new one from the results. With one
/// batch in flight, the next batch always sees the state the previous one left.
/// <para>
/// At a checkpoint the bundle is flushed and every batch at the worker is waited for, so their
/// results travel before the barrier and a worker holds nothing the checkpoint misses; a
/// reduce's snapshot is then its accumulators (<see cref="PythonCheckpoint"/>).
/// </para>
/// </remarks>
public sealed class PythonOperator : IBatchConsumer<PyRecord>, IOperatorLifecycle, IDisposable, ICheckpointedOperator
{
    private const int PipelinedInFlight = 2;
    private const string AccumulatorState = "reduce";
    /// <summary>Longest the operator waits for a worker's results. A dead worker is noticed at once, not by this bound.</summary>
    private static readonly TimeSpan ResultBound = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(10);

    private readonly OperatorContext _ctx;
    private readonly IBatchConsumer<PyRecord> _out;
    private readonly PythonChain _chain;
    private readonly PythonInterpreter _python;
    private readonly PythonOptions _options;
    private readonly Action<string> _log;
    private readonly int _maxInFlight;
    private readonly bool _emitFinalOnly;
    private readonly IKeyedStateBackend<KeyBytes>? _backend;
    private readonly IValueState<PyRecord>? _accumulators;
    private readonly Queue<KeyBytes[]> _sentKeys = new();
    private readonly SideOutputRouter _sides;
    private readonly int _bufferSize;
    private readonly PyRecord[] _records;
    private readonly long[] _timestamps;
    private int _count;
    private int _inFlight;
    private int _sentInBundle;
    private bool _flushTimerArmed;
    private IPythonRunner? _worker;
    // Origins of the input records when a file source feeds this chain directly: the index of the
    // next record to arrive, of the first buffered one, and of the first one of each batch at the worker.
    private readonly RecordOrigins? _origins;
    private long _received;
    private long _bufferStart;
    private readonly Queue<long> _sentStarts = new();

    public PythonOperator(OperatorContext context, IBatchConsumer<PyRecord> output, PythonChain chain, PythonInterpreter python,
        PythonOptions options, bool batchMode, Action<string> log, IReadOnlyDictionary<string, Types.PyType>? sideOutputTypes = null)
    {
        chain.Validate();
        _sides = new SideOutputRouter(context, sideOutputTypes, chain.Name);
        _ctx = context;
        _out = output;
        _chain = chain;
        _python = python;
        _options = options;
        _log = log;
        _bufferSize = Math.Min(options.ArrowBatchSize, options.BundleSize);
        _records = new PyRecord[_bufferSize];
        _timestamps = new long[_bufferSize];
        _origins = context.SourceOrigins;
        _origins?.Request();
        if (chain.IsReduce)
        {
            _backend = context.Options.StateBackend.Create<KeyBytes>(context.OperatorName, context.SubtaskIndex, context.Options.Clock);
            _accumulators = _backend.GetValueState(new ValueStateDescriptor<PyRecord>(AccumulatorState));
            _maxInFlight = 1;
            _emitFinalOnly = batchMode; // BATCH: only the final value per key, as Flink
        }
        else
        {
            _maxInFlight = PipelinedInFlight;
        }
    }

    public void Open()
    {
        _worker = PythonRunners.Start(_options.Mode, _python, _ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, _chain.InputType, _chain.Stages, _log,
            onResult: payload =>
            {
                Batch<PyRecord> decoded;
                List<(PyFlow.Engine.Api.OutputTag<PyRecord>, Batch<PyRecord>)> side;
                try { (decoded, side) = DecodeAnswer(payload); }
                catch (Exception e) { _ctx.Mailbox.Post(() => throw e); return; }
                _ctx.Mailbox.Post(() =>
                {
                    _sides.Emit(side);
                    OnResult(decoded);
                });
            },
            onFailure: e => _ctx.Mailbox.Post(() => throw WithSource(e)),
            _ctx.Cancellation, _options.RunnerLimits);
    }

    public void Push(Batch<PyRecord> batch)
    {
        if (TrySendWhole(batch)) return;
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            if (_count == 0) _bufferStart = _received;
            _received++;
            _records[_count] = values[i];
            _timestamps[_count] = timestamps[i];
            if (++_count == _bufferSize) SendBuffer();
        }
        if (_count > 0 && !_flushTimerArmed)
        {
            _flushTimerArmed = true;
            _ctx.Timers.Schedule(_ctx.Timers.Now + _options.BundleTimeMs, _ =>
            {
                _flushTimerArmed = false;
                SendBuffer();
            });
        }
    }

    /// <summary>
    /// Sends a batch that arrived as a large enough Arrow payload of this chain's input type
    /// straight to the worker, with no record decoded or re-encoded here.
    /// </summary>
    private bool TrySendWhole(Batch<PyRecord> batch)
    {
        if (_accumulators != null || _count != 0 || batch.Count < _bufferSize / 2 || batch.Count > _bufferSize) return false;
        if (batch.WireForm is not ArrowWire wire || wire.Type != _chain.InputType) return false;
        Send(wire.Payload, batch.Count, _received);
        _received += batch.Count;
        return true;
    }

    public void Watermark(long watermark)
    {
        // Everything before the watermark must be out before the watermark moves on.
        FinishBundle();
        _out.Watermark(watermark);
    }

    public void WatermarkStatus(bool idle)
    {
        FinishBundle(); // records before the status change go out first
        _out.WatermarkStatus(idle);
    }

    public void EndOfInput()
    {
        FinishBundle();
        _worker!.CloseGracefully(CloseBound, _ctx.Cancellation);
        if (_emitFinalOnly) EmitFinalAccumulators();
        _out.EndOfInput();
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _backend?.Dispose();
    }

    /// <summary>Everything buffered or at the worker comes out before the barrier.</summary>
    public void PrepareSnapshotPreBarrier(long checkpointId) => FinishBundle();

    public void SnapshotState(long checkpointId, Stream output) =>
        PythonCheckpoint.Write(output, _backend, _accumulators, AccumulatorState, MessagePackStateSerializer.Instance.Serialize, null);

    public void RestoreState(Stream input) =>
        PythonCheckpoint.Read(input, _backend, _accumulators, b => MessagePackStateSerializer.Instance.Deserialize<PyRecord>(b), null);

    private void FinishBundle()
    {
        SendBuffer();
        _ctx.Mailbox.RunUntil(() => _inFlight == 0, ResultBound, $"results of the Python worker of '{_chain.Name}'");
        _sentInBundle = 0;
    }

    private void SendBuffer()
    {
        if (_count == 0) return;
        if (_accumulators != null)
        {
            // A reduce reads its state as it encodes, so the batch before must be back first.
            // Waiting runs timers, whose flush may have sent the buffer meanwhile.
            WaitForSlot();
            if (_count == 0) return;
        }
        var n = _count;
        var payload = Encode();
        _count = 0; // empty before Send waits, so a timer flush meanwhile finds nothing to send
        Send(payload, n, _bufferStart);
    }

    private void Send(byte[] payload, int rows, long firstRecord)
    {
        WaitForSlot();
        _inFlight++;
        _sentStarts.Enqueue(firstRecord);
        _worker!.Send(PythonWorker.Batch, payload, _ctx.Cancellation);
        _sentInBundle += rows;
        if (_sentInBundle >= _options.BundleSize) FinishBundle();
    }

    private void WaitForSlot() =>
        _ctx.Mailbox.RunUntil(() => _inFlight < _maxInFlight, ResultBound, $"results of the Python worker of '{_chain.Name}'");

    private byte[] Encode()
    {
        var n = _count;
        var fields = new List<(string, IArrowType)> { ("v", _chain.InputType.ArrowType) };
        var records = _records.AsSpan(0, n);
        var columns = new List<IArrowArray> { ColumnCodec.Build(_chain.InputType, records) };
        if (_timestamps.AsSpan(0, n).ContainsAnyExcept(Batch<PyRecord>.NoTimestamp))
        {
            fields.Add(("ts", Int64Type.Default));
            columns.Add(ColumnCodec.BuildTimestamps(_timestamps.AsSpan(0, n)));
        }
        if (records[0].HasKey)
        {
            var keys = new BinaryArray.Builder().Reserve(n);
            foreach (var r in records) keys.Append(r.Key.Span);
            fields.Add(("k", BinaryType.Default));
            columns.Add(keys.Build());
        }
        if (_accumulators != null)
        {
            // Each key's accumulator goes once, at its first row in the batch.
            var accs = new PyRecord[n];
            var keys = new KeyBytes[n];
            var seen = new HashSet<KeyBytes>();
            for (var i = 0; i < n; i++)
            {
                keys[i] = records[i].Key;
                if (!seen.Add(keys[i])) continue;
                _backend!.SetCurrentKey(keys[i]);
                if (_accumulators.TryGetValue(out var acc)) accs[i] = acc;
            }
            fields.Add(("acc", _chain.InputType.ArrowType));
            columns.Add(ColumnCodec.Build(_chain.InputType, accs));
            _sentKeys.Enqueue(keys);
        }
        using var batch = new RecordBatch(ArrowIpc.Schema(fields.ToArray()), columns, n);
        var payload = ArrowIpc.Write(batch);
        BatchSizeReport.Check(_chain.Name, payload, records, _options.RunnerLimits.MaxFrame); // while the records are here
        records.Clear(); // drop references to records already sent
        return payload;
    }

    /// <summary>
    /// RESULT, or for a chain with a ProcessFunction SIDE_RESULT: <c>u32 n</c>, msgpack
    /// <c>{"side": [...]}</c> (n bytes), then the RESULT body.
    /// </summary>
    private (Batch<PyRecord>, List<(PyFlow.Engine.Api.OutputTag<PyRecord>, Batch<PyRecord>)>) DecodeAnswer(byte[] payload)
    {
        if (!_chain.HasSideOutputs) return (Decode(payload), new());
        var n = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(payload);
        var section = Wire.Msg.Unpack(payload.AsMemory(4, n), "SIDE_RESULT");
        var side = _sides.Decode(Wire.Msg.List(section, "side"));
        return (Decode(payload.AsSpan(4 + n).ToArray()), side);
    }

    /// <summary>
    /// A result batch. Keyed results are decoded here, on the reader's thread, since the keyed
    /// exchange that follows reads every key; other results keep their Arrow payload and are
    /// decoded only if a consumer reads their records (a sink or the next Python operator
    /// forwards the payload as it is).
    /// </summary>
    private Batch<PyRecord> Decode(byte[] payload)
    {
        var what = $"result of the Python worker of '{_chain.Name}'";
        var batch = ArrowIpc.ReadSingle(payload, what);
        var n = batch.Length;
        var hasTimestamps = ArrowIpc.HasColumn(batch, "ts");
        if (_chain.EmitsKeys)
        {
            var decoded = DecodeRecords(batch, what);
            return new Batch<PyRecord>(decoded.Values, decoded.Timestamps, n);
        }
        var wire = new ArrowWire(payload, _chain.OutputType, hasTimestamps, HasKeys: false);
        return new Batch<PyRecord>(n, wire, () => DecodeRecords(batch, what));
    }

    private (PyRecord[] Values, long[] Timestamps) DecodeRecords(RecordBatch batch, string what)
    {
        using var _ = batch; // every value is copied out before it is disposed
        var (records, timestamps) = ColumnCodec.ReadRecords(batch, _chain.OutputType, what);
        if (_chain.EmitsKeys)
        {
            var keys = (BinaryArray)ArrowIpc.Column(batch, "k", what);
            for (var i = 0; i < records.Length; i++) records[i] = records[i].WithKey(new KeyBytes(keys.GetBytes(i).ToArray()));
        }
        return (records, timestamps);
    }

    private void OnResult(Batch<PyRecord> result)
    {
        _inFlight--;
        _sentStarts.Dequeue();
        _origins?.Release(_sentStarts.Count > 0 ? _sentStarts.Peek() : _count > 0 ? _bufferStart : _received);
        if (_accumulators != null)
        {
            var keys = _sentKeys.Dequeue();
            if (keys.Length != result.Count)
                throw new InvalidDataException($"the reduce '{_chain.Name}' returned {result.Count} results for {keys.Length} records");
            for (var i = 0; i < keys.Length; i++)
            {
                _backend!.SetCurrentKey(keys[i]);
                _accumulators.Update(result.Values[i]);
            }
        }
        if (!_emitFinalOnly && result.Count > 0) _out.Push(result);
    }

    /// <summary>
    /// A function error of one record names the file and line it was read from, when this chain's
    /// input comes straight from a file source (the worker's error is about the oldest batch at it).
    /// </summary>
    private Exception WithSource(Exception e) =>
        e is PythonFunctionException { RecordIndex: { } index } p && _origins != null && _sentStarts.Count > 0
        && _origins.TryLocate(_sentStarts.Peek() + index, out var file, out var line)
            ? p.WithSource(file, line)
            : e;

    private void EmitFinalAccumulators()
    {
        var batch = new Batch<PyRecord>(_ctx.Options.BatchSize);
        foreach (var key in _backend!.Keys(AccumulatorState, VoidNamespace.Instance))
        {
            _backend.SetCurrentKey(key);
            batch.Add(_accumulators!.Value(), Batch<PyRecord>.NoTimestamp);
            if (!batch.IsFull) continue;
            _out.Push(batch);
            batch = new Batch<PyRecord>(_ctx.Options.BatchSize);
        }
        if (batch.Count > 0) _out.Push(batch);
    }
}
