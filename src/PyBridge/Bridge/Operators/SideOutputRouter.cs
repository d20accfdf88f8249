using PyFlow.Engine.Api;
using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Operators;

/// <summary>
/// Routes the side-output records a Python worker sent with an answer (worker protocol 2: the
/// answer's msgpack section holds <c>"side": [[tag_id, type_name, arrow_ipc], ...]</c>) into the
/// engine's side outputs of the operator. Records of a tag nobody reads are dropped undecoded, as
/// in Flink. <see cref="Decode"/> may run on the worker's reader thread; <see cref="Emit"/> runs on
/// the subtask's thread.
/// </summary>
public sealed class SideOutputRouter
{
    private readonly OperatorContext _ctx;
    private readonly IReadOnlyDictionary<string, PyType> _types;
    private readonly string _operator;

    /// <param name="types">The type each read side output was declared with (get_side_output's tag), by tag id.</param>
    public SideOutputRouter(OperatorContext ctx, IReadOnlyDictionary<string, PyType>? types, string operatorName)
    {
        _ctx = ctx;
        _types = types ?? new Dictionary<string, PyType>();
        _operator = operatorName;
    }

    /// <summary>The batches of the read tags in <paramref name="side"/> (the answer's "side" list; null: none).</summary>
    public List<(OutputTag<PyRecord> Tag, Batch<PyRecord> Batch)> Decode(object?[]? side)
    {
        var decoded = new List<(OutputTag<PyRecord>, Batch<PyRecord>)>();
        if (side == null) return decoded;
        foreach (var entry in side)
        {
            if (entry is not object?[] { Length: 3 } e || e[0] is not string id || e[1] is not string typeName || e[2] is not byte[] ipc)
                throw new InvalidDataException($"the Python worker of '{_operator}' sent a malformed side-output entry");
            var tag = new OutputTag<PyRecord>(id);
            if (!_ctx.SideOutputs.Consumes(tag)) continue;
            if (!_types.TryGetValue(id, out var type))
                throw new InvalidDataException($"side output '{id}' of '{_operator}' is read but its type is unknown to the host");
            if (type.Name != typeName)
                throw new InvalidDataException($"'{_operator}' sent records of type {typeName} to side output '{id}', but get_side_output " +
                                               $"reads it as {type.Name}: use one OutputTag (same type_info) for both");
            var what = $"side output '{id}' of the Python worker of '{_operator}'";
            using var batch = ArrowIpc.ReadSingle(ipc, what);
            var (records, timestamps) = ColumnCodec.ReadRecords(batch, type, what);
            decoded.Add((tag, new Batch<PyRecord>(records, timestamps, records.Length)));
        }
        return decoded;
    }

    /// <summary>Pushes decoded side batches on (subtask thread only).</summary>
    public void Emit(List<(OutputTag<PyRecord> Tag, Batch<PyRecord> Batch)> decoded)
    {
        foreach (var (tag, batch) in decoded) _ctx.SideOutputs.Emit(tag, batch);
    }

    /// <summary>Decodes and emits at once (subtask thread only).</summary>
    public void Route(object?[]? side) => Emit(Decode(side));
}
