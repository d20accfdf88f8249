using Apache.Arrow;
using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.Host;

/// <summary>
/// Sends a sink subtask's records to the driver as RESULTS frames (collect and print sinks).
/// Records are gathered into frames of up to <see cref="FrameRows"/>, because decoding a frame
/// costs the driver a fixed amount of Python work; a partly filled frame goes after the job's
/// buffer timeout, so results still arrive with bounded latency. With checkpoints the frames are
/// exactly-once: held until the checkpoint after them completes (<see cref="HeldResults"/>).
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

    public ResultSink(GatewayConnection connection, int sinkId, OperatorContext context, PyType type)
    {
        _connection = connection;
        _sinkId = sinkId;
        _ctx = context;
        _type = type;
        _schema = ArrowIpc.Schema(("v", type.ArrowType));
        if (context.Options.Checkpointing.Enabled) _held = new HeldResults(payload => _connection.SendResults(_sinkId, _ctx.SubtaskIndex, payload));
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

    /// <summary>No state: held frames were never shown, and the sources replay them after a restore.</summary>
    public void SnapshotState(long checkpointId, Stream output) => _held?.Seal(checkpointId);

    public void NotifyCheckpointComplete(long checkpointId) => _held?.Release(checkpointId);

    public void RestoreState(Stream input) { }

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
