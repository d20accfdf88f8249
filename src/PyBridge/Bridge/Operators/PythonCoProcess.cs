using PyFlow.Engine.Api;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Operators;

/// <summary>Adds a Python co-process operator over two connected streams (Flink's <c>connect(...).process(...)</c>).</summary>
public static class PythonCoProcess
{
    /// <summary>
    /// <paramref name="first"/> and <paramref name="second"/> connected, each record run through the
    /// chain's <c>co_process</c> stage in a worker. With <paramref name="keyed"/> both inputs must come
    /// from key_by: records with equal keys then meet in one subtask and share its state and timers.
    /// The function's side outputs (yield (tag, value) or ctx.output) go to the operator's side outputs
    /// whose types <paramref name="sideOutputTypes"/> names by tag id.
    /// </summary>
    public static DataStream<PyRecord> Connect(DataStream<PyRecord> first, DataStream<PyRecord> second, string name, PythonChain chain,
        PythonInterpreter python, PythonOptions options, Action<string> log, bool keyed,
        IReadOnlyDictionary<string, Types.PyType>? sideOutputTypes = null)
    {
        if (keyed && (first is not KeyedStream<PyRecord, KeyBytes> || second is not KeyedStream<PyRecord, KeyBytes>))
            throw new ArgumentException($"'{name}': a keyed co-process needs two keyed streams (key_by on both inputs)");
        return first.Connect(second).Transform<PyRecord>(name, (ctx, output) =>
            new PythonCoProcessOperator(ctx, output, chain, python, options, log, keyed, sideOutputTypes));
    }
}
