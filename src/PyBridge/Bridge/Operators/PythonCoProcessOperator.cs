using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Operators;

/// <summary>
/// The two-input face of <see cref="PythonKeyedProcessOperator"/>: a Python co-map, co-flat-map,
/// <c>CoProcessFunction</c> or <c>KeyedCoProcessFunction</c> after <c>connect</c>. Records of each
/// input reach the worker tagged with their input (KEYED_BATCH header <c>input</c>); with keys, both
/// inputs share one keyed state and one timer service. The engine's two-input processor gives the
/// watermark as the minimum over both inputs' channels, as Flink does.
/// </summary>
public sealed class PythonCoProcessOperator : ITwoInputConsumer<PyRecord, PyRecord>, IOperatorLifecycle, IDisposable, PyFlow.Engine.Checkpointing.ICheckpointedOperator
{
    private readonly PythonKeyedProcessOperator _inner;
    private readonly OperatorContext _context;

    /// <param name="keyed">both inputs come keyed alike (connect of two key_by streams): state and timers per key</param>
    /// <param name="sideOutputTypes">the type each read side output was declared with, by tag id (as for a keyed process)</param>
    public PythonCoProcessOperator(OperatorContext context, IBatchConsumer<PyRecord> output, PythonChain chain, PythonInterpreter python,
        PythonOptions options, Action<string> log, bool keyed, IReadOnlyDictionary<string, Types.PyType>? sideOutputTypes = null)
    {
        if (chain.Stages.Count != 1 || chain.Stages[0].Kind != "co_process" || chain.Stages[0].InputTypes is not { Count: 2 })
            throw new ArgumentException($"'{chain.Name}': a co-process chain is one co_process stage with two input types");
        _inner = new PythonKeyedProcessOperator(context, output, chain, python, options, log, keyed, sideOutputTypes);
        _context = context;
    }

    public void Open() => _inner.Open();
    public void Push1(Batch<PyRecord> batch) => _inner.Push(0, batch);
    public void Push2(Batch<PyRecord> batch) => _inner.Push(1, batch);
    // A two-input operator passes watermarks and the end of input to its side outputs itself (the engine
    // wraps only one-input operators in a SideOutputForwarder), right after it handled them, as the
    // engine's CoProcessOperator does: without it a read side output would never end.
    public void Watermark(long watermark)
    {
        _inner.Watermark(watermark);
        _context.SideOutputs.Watermark(watermark);
    }

    public void EndOfInput()
    {
        _inner.EndOfInput();
        _context.SideOutputs.EndOfInput();
    }
    public void Dispose() => _inner.Dispose();
    public void PrepareSnapshotPreBarrier(long checkpointId) => _inner.PrepareSnapshotPreBarrier(checkpointId);
    public void SnapshotState(long checkpointId, Stream output) => _inner.SnapshotState(checkpointId, output);
    public void RestoreState(Stream input) => _inner.RestoreState(input);
}
