using System.Buffers.Binary;
using Apache.Arrow;
using Apache.Arrow.Types;
using PyFlow.Engine.Checkpointing;
using PyFlow.PyBridge.Checkpointing;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;
using PyFlow.Engine.Timers;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Wire;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Operators;

/// <summary>
/// Runs a Python <c>KeyedProcessFunction</c> in a worker. Its keyed state lives in the engine's
/// state backend (heap or RocksDB), as one pickled dict per key; each KEYED_BATCH carries the state
/// of the batch's keys and the current watermark and processing time, and the worker answers with
/// the outputs, the keys' changed state and the timers registered or deleted. Timers live in the
/// engine's timer service; when they fire they go to the worker in TIMERS frames with their keys'
/// state. One call is in flight at a time, so state is always current, and a key's records and
/// timers are seen in order. A checkpoint sends the buffered records and the timers already due
/// before the barrier, then snapshots the pickled states and the timers (<see cref="PythonCheckpoint"/>):
/// the worker keeps no state between calls, so nothing of it is missed.
/// <para>
/// The same operator runs a co-process (<see cref="PythonCoProcessOperator"/> feeds it): then it has
/// two inputs, each with its own type, and every KEYED_BATCH holds the records of one input and says
/// which in its header. A non-keyed co-process (co-map, co-flat-map, <c>CoProcessFunction</c>) sends
/// no keys and keeps no state; its worker refuses state and timers.
/// </para>
/// </summary>
public sealed class PythonKeyedProcessOperator : IBatchConsumer<PyRecord>, IOperatorLifecycle, IDisposable, ICheckpointedOperator
{
    private const string StateName = "python-state";
    private const int EventTime = 0, ProcessingTime = 1;
    private static readonly TimeSpan CallBound = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(10);

    private readonly OperatorContext _ctx;
    private readonly IBatchConsumer<PyRecord> _out;
    private readonly PythonChain _chain;
    private readonly PythonInterpreter _python;
    private readonly PythonOptions _options;
    private readonly Action<string> _log;
    private readonly IKeyedStateBackend<KeyBytes> _backend;
    private readonly IValueState<byte[]> _state;
    private readonly InternalTimerService<KeyBytes> _timers;
    private readonly List<(KeyBytes Key, long Time, int Domain)> _due = new();
    private readonly IReadOnlyList<PyType> _inputTypes;
    private readonly bool _keyed;
    private int _bufferInput; // the input whose records are in the buffer: one KEYED_BATCH holds one input's records
    private readonly SideOutputRouter _sides;
    private readonly PyRecord[] _records;
    private readonly long[] _timestamps;
    private int _count;
    private bool _flushArmed;
    private bool _busy;
    private byte[]? _result;
    private IPythonRunner? _worker;

    public PythonKeyedProcessOperator(OperatorContext context, IBatchConsumer<PyRecord> output, PythonChain chain, PythonInterpreter python,
        PythonOptions options, Action<string> log, bool keyed = true, IReadOnlyDictionary<string, Types.PyType>? sideOutputTypes = null)
    {
        _sides = new SideOutputRouter(context, sideOutputTypes, chain.Name);
        _ctx = context;
        _out = output;
        _chain = chain;
        _python = python;
        _options = options;
        _log = log;
        _keyed = keyed;
        _inputTypes = chain.Stages[0].InputTypes ?? new[] { chain.InputType };
        _backend = context.Options.StateBackend.Create<KeyBytes>(context.OperatorName, context.SubtaskIndex, context.Options.Clock);
        _state = _backend.GetValueState(new ValueStateDescriptor<byte[]>(StateName));
        _timers = new InternalTimerService<KeyBytes>(context.Timers, OnTimer);
        _records = new PyRecord[options.ArrowBatchSize];
        _timestamps = new long[options.ArrowBatchSize];
    }

    /// <summary>The state descriptors the function declared (the worker reports them), or the restored checkpoint recorded: part of every snapshot.</summary>
    private readonly Dictionary<string, StateDescriptorInfo> _declared = new(StringComparer.Ordinal);

    public void Open()
    {
        // The worker checks the function's descriptors against the checkpoint's as it declares them.
        var restored = _declared.Values.ToList();
        var stages = restored.Count == 0 ? _chain.Stages : _chain.Stages.Select(s => s with { RestoredStates = restored }).ToList();
        _worker = PythonRunners.Start(_options.Mode, _python, _ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, _chain.InputType, stages, _log,
            onResult: payload => _ctx.Mailbox.Post(() => _result = payload),
            onFailure: e => _ctx.Mailbox.Post(() => throw e),
            _ctx.Cancellation, _options.RunnerLimits);
    }

    public void Push(Batch<PyRecord> batch) => Push(0, batch);

    /// <summary>Records of input <paramref name="input"/> (0 or 1); records of the other input still buffered go first.</summary>
    internal void Push(int input, Batch<PyRecord> batch)
    {
        if (input != _bufferInput)
        {
            SendBatch();
            _bufferInput = input;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            _records[_count] = batch.Values[i];
            _timestamps[_count] = batch.Timestamps[i];
            if (++_count == _records.Length) SendBatch();
        }
        ArmFlush();
    }

    /// <summary>A partly filled batch goes after bundle.time; if a call is under way then, it tries again later.</summary>
    private void ArmFlush()
    {
        if (_count == 0 || _flushArmed) return;
        _flushArmed = true;
        _ctx.Timers.Schedule(_ctx.Timers.Now + _options.BundleTimeMs, _ =>
        {
            _flushArmed = false;
            if (_busy) ArmFlush();
            else SendBatch();
        });
    }

    public void Watermark(long watermark)
    {
        SendBatch();
        // Timers fire in time order; those that on_timer registers at or before the watermark fire too.
        while (true)
        {
            _timers.AdvanceWatermark(watermark);
            if (_due.Count == 0) break;
            FireDue();
        }
        _out.Watermark(watermark);
    }

    public void WatermarkStatus(bool idle)
    {
        SendBatch();
        _out.WatermarkStatus(idle);
    }

    public void EndOfInput()
    {
        SendBatch();
        _worker!.CloseGracefully(CloseBound, _ctx.Cancellation);
        _out.EndOfInput();
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _backend.Dispose();
    }

    /// <summary>Buffered records and timers that came due go to the worker, and their results out, before the barrier.</summary>
    public void PrepareSnapshotPreBarrier(long checkpointId)
    {
        SendBatch();
        FireDue();
    }

    public void SnapshotState(long checkpointId, Stream output) =>
        PythonCheckpoint.Write(output, _keyed ? _backend : null, _state, StateName, blob => blob, _timers, _declared.Values);

    public void RestoreState(Stream input)
    {
        foreach (var d in PythonCheckpoint.Read(input, _keyed ? _backend : null, _state, blob => blob, _timers)) _declared[d.Name] = d;
    }

    private void OnTimer(InternalTimerService<KeyBytes>.TimerEntry timer, TimeDomain domain)
    {
        _due.Add((timer.Key, timer.Time, domain == TimeDomain.EventTime ? EventTime : ProcessingTime));
        // Processing-time timers fire from the subtask's callbacks: send them once this callback is done.
        if (domain == TimeDomain.ProcessingTime && _due.Count == 1) _ctx.Mailbox.Post(() => { if (!_busy) FireDue(); });
    }

    private void SendBatch()
    {
        if (_count == 0 || _busy) return;
        var n = _count;
        _count = 0;
        var records = _records.AsSpan(0, n);
        var type = _inputTypes[_bufferInput];
        var fields = new List<(string, IArrowType)> { ("v", type.ArrowType) };
        var columns = new List<IArrowArray> { ColumnCodec.Build(type, records) };
        var states = new List<object>();
        if (_keyed)
        {
            var keys = new BinaryArray.Builder().Reserve(n);
            var added = new HashSet<KeyBytes>();
            foreach (var r in records)
            {
                keys.Append(r.Key.Span);
                AddState(states, added, r.Key);
            }
            fields.Add(("k", BinaryType.Default));
            columns.Add(keys.Build());
        }
        if (_timestamps.AsSpan(0, n).ContainsAnyExcept(Batch<PyRecord>.NoTimestamp))
        {
            fields.Add(("ts", Int64Type.Default));
            columns.Add(ColumnCodec.BuildTimestamps(_timestamps.AsSpan(0, n)));
        }
        byte[] ipc;
        using (var batch = new RecordBatch(ArrowIpc.Schema(fields.ToArray()), columns, n)) ipc = ArrowIpc.Write(batch);
        records.Clear();
        var headerMap = Header(states);
        if (_inputTypes.Count > 1) headerMap["input"] = _bufferInput;
        var header = Msg.Pack(headerMap);
        var payload = new byte[4 + header.Length + ipc.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)header.Length);
        header.CopyTo(payload, 4);
        ipc.CopyTo(payload, 4 + header.Length);
        Call(PythonWorker.KeyedBatch, payload);
    }

    private void FireDue()
    {
        if (_due.Count == 0) return;
        var timers = _due.Select(t => (object)new object[] { t.Key.Bytes, t.Time, t.Domain }).ToArray();
        var states = new List<object>();
        var added = new HashSet<KeyBytes>();
        foreach (var t in _due) AddState(states, added, t.Key);
        _due.Clear();
        var header = Header(states);
        header["timers"] = timers;
        Call(PythonWorker.Timers, Msg.Pack(header));
    }

    private Dictionary<string, object> Header(List<object> states) => new()
    {
        ["watermark"] = _timers.CurrentWatermark,
        ["time"] = _ctx.Timers.Now,
        ["state"] = states,
    };

    /// <summary>Adds [key, state] for a key not yet in the list (state as a list of pairs: msgpack maps cannot have binary keys here).</summary>
    private void AddState(List<object> states, HashSet<KeyBytes> added, KeyBytes key)
    {
        if (!added.Add(key)) return;
        _backend.SetCurrentKey(key);
        if (_state.TryGetValue(out var blob)) states.Add(new object[] { key.Bytes, blob });
    }

    /// <summary>One round trip: send, wait (running mail) for the answer, apply it. Never nested.</summary>
    private void Call(byte kind, byte[] payload)
    {
        _busy = true;
        try
        {
            _result = null;
            _worker!.Send(kind, payload, _ctx.Cancellation);
            _ctx.Mailbox.RunUntil(() => _result != null, CallBound, $"the Python worker of '{_chain.Name}'");
            Apply(_result!);
        }
        finally
        {
            _busy = false;
        }
        if (_due.Count > 0 && _due[0].Domain == ProcessingTime) FireDue(); // processing-time timers that came due meanwhile
    }

    private void Apply(byte[] payload)
    {
        var trailerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload);
        var trailer = Msg.Unpack(payload.AsMemory(4, trailerLength), "KEYED_RESULT");
        foreach (var entry in trailer.List("state"))
        {
            var pair = (object?[])entry!;
            _backend.SetCurrentKey(new KeyBytes((byte[])pair[0]!));
            if (pair[1] is byte[] b) _state.Update(b);
            else _state.Clear();
        }
        foreach (var op in trailer.List("timers"))
        {
            var t = (object?[])op!;
            var register = Convert.ToInt32(t[0]) == 0;
            var eventTime = Convert.ToInt32(t[1]) == EventTime;
            var key = new KeyBytes((byte[])t[2]!);
            var time = Convert.ToInt64(t[3]);
            if (register && eventTime) _timers.RegisterEventTimeTimer(key, VoidNamespace.Instance, time);
            else if (register) _timers.RegisterProcessingTimeTimer(key, VoidNamespace.Instance, time);
            else if (eventTime) _timers.DeleteEventTimeTimer(key, VoidNamespace.Instance, time);
            else _timers.DeleteProcessingTimeTimer(key, VoidNamespace.Instance, time);
        }
        if (trailer.TryGetValue("states", out var states) && states is object?[] declared)
            foreach (var d in declared.Cast<object?[]>())
                _declared[(string)d[0]!] = new StateDescriptorInfo((string)d[0]!, (string)d[1]!, (string)d[2]!);
        _sides.Route(trailer.TryGetValue("side", out var side) ? side as object?[] : null);
        var what = $"result of the Python worker of '{_chain.Name}'";
        using var batch = ArrowIpc.ReadSingle(payload.AsMemory(4 + trailerLength), what);
        if (batch.Length == 0) return;
        var (records, timestamps) = ColumnCodec.ReadRecords(batch, _chain.OutputType, what);
        _out.Push(new Batch<PyRecord>(records, timestamps, records.Length));
    }
}
