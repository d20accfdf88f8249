using Apache.Arrow;
using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.Host;

/// <summary>Sends a sink subtask's records to the driver as RESULTS frames (collect and print sinks).</summary>
internal sealed class ResultSink : IBatchConsumer<PyRecord>
{
    private readonly GatewayConnection _connection;
    private readonly int _sinkId;
    private readonly int _subtask;
    private readonly PyType _type;
    private readonly Schema _schema;

    public ResultSink(GatewayConnection connection, int sinkId, int subtask, PyType type)
    {
        _connection = connection;
        _sinkId = sinkId;
        _subtask = subtask;
        _type = type;
        _schema = ArrowIpc.Schema(("v", type.ArrowType));
    }

    public void Push(Batch<PyRecord> batch)
    {
        var values = new object?[batch.Count];
        for (var i = 0; i < batch.Count; i++) values[i] = batch.Values[i].Value;
        var column = ColumnCodec.Build(_type, values);
        _connection.SendResults(_sinkId, _subtask, ArrowIpc.Write(new RecordBatch(_schema, new[] { column }, batch.Count)));
    }

    public void Watermark(long watermark) { }
    public void EndOfInput() { }
}
