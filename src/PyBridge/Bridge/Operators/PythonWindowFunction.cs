using System.Buffers.Binary;
using Apache.Arrow;
using PyFlow.Engine.Api.Functions;
using PyFlow.Engine.Operators;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.Windowing;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Wire;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Operators;

/// <summary>
/// A Python window function (reduce, aggregate or process) for the engine's window operator. The
/// engine keeps each window's records; the windows that fire in one round (a batch of records, a
/// watermark) go to the worker in one WINDOWS frame, and their results come back in one
/// WINDOW_RESULT, each emitted with its window's end − 1. The worker process lives as long as the
/// window operator's subtask (Open, Close, Dispose).
/// </summary>
internal sealed class PythonWindowFunction<W> : RichFunction, IDisposable where W : Window
{
    public const byte Windows = 0x06;
    private static readonly TimeSpan CallBound = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(10);

    private readonly OperatorContext _ctx;
    private readonly PythonChain _chain;
    private readonly PythonInterpreter _python;
    private readonly Action<string> _log;
    private readonly PythonExecutionMode _mode;
    private readonly RunnerLimits? _limits;
    private readonly List<(KeyBytes Key, W Window, PyRecord[] Records)> _pending = new();
    private readonly SideOutputRouter _sides;
    private IPythonRunner? _worker;
    private byte[]? _result;
    private long _watermark = long.MinValue;
    private long _now;
    private bool _flushing;

    public PythonWindowFunction(OperatorContext context, PythonChain chain, PythonInterpreter python, PythonExecutionMode mode, Action<string> log,
        IReadOnlyDictionary<string, Types.PyType>? sideOutputTypes = null, RunnerLimits? limits = null)
    {
        _sides = new SideOutputRouter(context, sideOutputTypes, chain.Name);
        _mode = mode;
        _limits = limits;
        _ctx = context;
        _chain = chain;
        _python = python;
        _log = log;
    }

    /// <summary>What the window operator keeps and calls: every record per window, fired in rounds.</summary>
    public WindowContents<KeyBytes, PyRecord, List<PyRecord>, PyRecord, W> Contents() => new()
    {
        Accumulate = new Accumulators.All<PyRecord>(),
        Emit = (key, records, ctx, _) =>
        {
            _pending.Add((key, ctx.Window, records.ToArray())); // a copy: the window may grow on
            _watermark = ctx.CurrentWatermark; // what the round's functions see as current_watermark()
            _now = ctx.CurrentProcessingTime;
        },
        AfterFirings = Flush,
        Function = this,
    };

    public override void Open() =>
        _worker = PythonRunners.Start(_mode, _python, _ctx.TaskName, _ctx.SubtaskIndex, _ctx.Parallelism, _chain.InputType, _chain.Stages, _log,
            onResult: payload => _ctx.Mailbox.Post(() => _result = payload),
            onFailure: e => _ctx.Mailbox.Post(() => throw e),
            _ctx.Cancellation, _limits);

    public override void Close() => _worker!.CloseGracefully(CloseBound, _ctx.Cancellation);

    public void Dispose() => _worker?.Dispose();

    /// <summary>
    /// Sends the round's windows and emits their results. Waiting for the worker runs mail and due
    /// processing-time timers, which may fire more windows: those queue up and go in the next round of
    /// this loop, never in a nested call that would take this call's answer.
    /// </summary>
    private void Flush(ICollector<PyRecord> output)
    {
        if (_flushing) return;
        _flushing = true;
        try
        {
            while (_pending.Count > 0) FlushRound(output);
        }
        finally
        {
            _flushing = false;
        }
    }

    private void FlushRound(ICollector<PyRecord> output)
    {
        var windows = _pending.ToList();
        _pending.Clear();
        var all = windows.SelectMany(w => w.Records).ToArray();
        byte[] ipc;
        using (var batch = new RecordBatch(ArrowIpc.Schema(("v", _chain.InputType.ArrowType)), new[] { ColumnCodec.Build(_chain.InputType, all) }, all.Length))
            ipc = ArrowIpc.Write(batch);
        var header = Msg.Pack(new Dictionary<string, object>
        {
            ["windows"] = windows.Select(w => (object)new object?[] { w.Key.Bytes, Start(w.Window), End(w.Window), w.Records.Length }).ToArray(),
            ["watermark"] = _watermark,
            ["time"] = _now,
        });
        var payload = new byte[4 + header.Length + ipc.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)header.Length);
        header.CopyTo(payload, 4);
        ipc.CopyTo(payload, 4 + header.Length);

        _result = null;
        _worker!.Send(Windows, payload, _ctx.Cancellation);
        _ctx.Mailbox.RunUntil(() => _result != null, CallBound, $"the Python worker of '{_chain.Name}'");

        var result = _result!;
        var trailerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(result);
        var trailer = Msg.Unpack(result.AsMemory(4, trailerLength), "WINDOW_RESULT");
        var counts = trailer.List("counts");
        if (counts.Length != windows.Count)
            throw new InvalidDataException($"the Python worker of '{_chain.Name}' answered {counts.Length} windows for {windows.Count}");
        var what = $"window results of the Python worker of '{_chain.Name}'";
        using var results = ArrowIpc.ReadSingle(result.AsMemory(4 + trailerLength), what);
        var values = new PyRecord[results.Length];
        ColumnCodec.Read(_chain.OutputType, ArrowIpc.Column(results, "v", what), values);
        _sides.Route(trailer.TryGetValue("side", out var side) ? side as object?[] : null);
        var next = 0;
        for (var i = 0; i < windows.Count; i++)
        {
            SetTimestamp(output, windows[i].Window.MaxTimestamp);
            for (var n = Convert.ToInt32(counts[i]); n > 0; n--) output.Collect(values[next++]);
        }
    }

    private static void SetTimestamp(ICollector<PyRecord> output, long timestamp)
    {
        if (output is BatchCollector<PyRecord> c) c.Timestamp = timestamp;
    }

    private static object? Start(W w) => w is TimeWindow t ? t.Start : null;
    private static object? End(W w) => w is TimeWindow t ? t.End : null;
}

/// <summary>Adds a keyed window whose function runs in Python to a stream keyed by Python keys.</summary>
public static class PythonWindows
{
    public static PyFlow.Engine.Api.DataStream<PyRecord> Window<W>(PyFlow.Engine.Api.DataStream<PyRecord> keyed, string name, PythonChain chain,
        TimeSpan allowedLateness, PyFlow.Engine.Windowing.Assigners.WindowAssigner<PyRecord, W> assigner,
        PyFlow.Engine.Windowing.Triggers.Trigger<PyRecord, W>? trigger, PythonInterpreter python, PythonExecutionMode mode, Action<string> log,
        PyFlow.Engine.Api.OutputTag<PyRecord>? lateTag = null, IReadOnlyDictionary<string, Types.PyType>? sideOutputTypes = null,
        RunnerLimits? limits = null) where W : Window
    {
        chain.Validate();
        var effective = trigger ?? assigner.DefaultTrigger;
        if (assigner.IsMerging && !effective.CanMerge)
            throw new ArgumentException($"{effective.GetType().Name.Split('`')[0]} cannot be used with merging (session) windows; use an event-time or processing-time trigger");
        return keyed.Transform<PyRecord>(name, (ctx, output) =>
        {
            var fn = new PythonWindowFunction<W>(ctx, chain, python, mode, log, sideOutputTypes, limits);
            return new WindowOperator<KeyBytes, PyRecord, List<PyRecord>, PyRecord, W>(
                r => r.Key, assigner, effective, fn.Contents(), allowedLateness, lateTag, output, ctx);
        });
    }
}
