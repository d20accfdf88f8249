using Apache.Arrow;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sinks;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.Host;

/// <summary>
/// Sends a sink subtask's records to the driver as RESULTS frames (collect and print sinks).
/// Records are gathered into frames of up to <see cref="FrameRows"/>, because decoding a frame
/// costs the driver a fixed amount of Python work; a partly filled frame goes after the job's
/// buffer timeout, so results still arrive with bounded latency. With checkpoints the frames are
/// exactly-once: held until the checkpoint after them completes, and part of that checkpoint's
/// state until then (<see cref="HeldResults"/>).
/// </summary>
internal sealed class ResultSink : IBatchConsumer<PyRecord>, PyFlow.Engine.Checkpointing.ICheckpointedOperator
{
    private const int FrameRows = 10_000;
    private readonly GatewayConnection _connection;
    private readonly int _sinkId;
    private readonly OperatorContext _ctx;
    private readonly PyType _type;
    private readonly Schema _schema;
    private readonly PyRecord[] _records = new PyRecord[FrameRows];
    private int _count;
    private bool _flushScheduled;
    private readonly HeldResults? _held;

    /// <param name="released">What this sink has shown the driver so far in the job (shared by its subtasks and by every attempt).</param>
    public ResultSink(GatewayConnection connection, int sinkId, OperatorContext context, PyType type, ReleasedEpochs released)
    {
        _connection = connection;
        _sinkId = sinkId;
        _ctx = context;
        _type = type;
        _schema = ArrowIpc.Schema(("v", type.ArrowType));
        if (context.Options.Checkpointing.Enabled) _held = new HeldResults(payload => _connection.SendResults(_sinkId, _ctx.SubtaskIndex, payload), released, context.SubtaskIndex);
    }

    public void Push(Batch<PyRecord> batch)
    {
        if (batch.WireForm is ArrowWire { HasKeys: false } wire && wire.Type == _type)
        {
            // Already an Arrow stream with column v of this sink's type: send it as it is.
            Flush();
            Send(wire.Payload);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            _records[_count++] = batch.Values[i];
            if (_count == FrameRows) Flush();
        }
        if (_count > 0 && !_flushScheduled)
        {
            _flushScheduled = true;
            _ctx.Timers.Schedule(_ctx.Timers.Now + (long)_ctx.Options.BufferTimeout.TotalMilliseconds, _ =>
            {
                _flushScheduled = false;
                Flush();
            });
        }
    }

    public void Watermark(long watermark) { }

    public void EndOfInput()
    {
        Flush();
        _held?.ReleaseAll();
    }

    /// <summary>A partly filled frame belongs before the barrier.</summary>
    public void PrepareSnapshotPreBarrier(long checkpointId) => Flush();

    /// <summary>The frames held until this checkpoint (or an earlier one) completes: their records come before the barrier, so no replay brings them back.</summary>
    public void SnapshotState(long checkpointId, Stream output)
    {
        if (_held == null) return;
        _held.Seal(checkpointId);
        _held.Write(output);
    }

    public void NotifyCheckpointComplete(long checkpointId) => _held?.Release(checkpointId);

    /// <summary>The restored checkpoint is complete, so what it held goes out now (what the driver has not seen of it).</summary>
    public void RestoreState(Stream input) => _held?.RestoreAndRelease(input, _ctx.OperatorName);

    private void Send(byte[] payload)
    {
        if (_held != null) _held.Add(payload);
        else _connection.SendResults(_sinkId, _ctx.SubtaskIndex, payload);
    }

    private void Flush()
    {
        if (_count == 0) return;
        var column = ColumnCodec.Build(_type, _records.AsSpan(0, _count));
        byte[] payload;
        using (var batch = new RecordBatch(_schema, new[] { column }, _count)) payload = ArrowIpc.Write(batch);
        _records.AsSpan(0, _count).Clear();
        _count = 0;
        Send(payload);
    }
}
