using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Operators;

/// <summary>
/// What one Python operator runs: a fused chain of stages over a stream of
/// <see cref="InputType"/>. A <c>reduce</c> stage stands alone on a keyed input.
/// </summary>
public sealed record PythonChain(string Name, PyType InputType, IReadOnlyList<WorkerStage> Stages)
{
    public bool IsReduce => Stages.Count == 1 && Stages[0].Kind == "reduce";
    /// <summary>The last stage gives every record key bytes: a key selector, or a custom partitioner (the partition index).</summary>
    public bool EmitsKeys => Stages[^1].Kind is "key_selector" or "custom_partition";
    public PyType OutputType => Stages[^1].OutputType;

    /// <summary>A chain with a ProcessFunction stage: its worker answers SIDE_RESULT (side records, then the RESULT body).</summary>
    public bool HasSideOutputs => Stages.Any(s => s.Kind == "process");

    /// <summary>Checks the chain's shape; a violation is a bug in plan translation, named clearly.</summary>
    public void Validate()
    {
        if (Stages.Count == 0) throw new ArgumentException($"Python operator '{Name}' has no functions");
        for (var i = 0; i < Stages.Count; i++)
        {
            var s = Stages[i];
            if (!WorkerStage.Kinds.Contains(s.Kind)) throw new ArgumentException($"'{s.Name}': unknown Python function kind '{s.Kind}'");
            if (s.Kind is "key_selector" or "custom_partition" && i != Stages.Count - 1) throw new ArgumentException($"'{s.Name}': a {s.Kind} must end its chain");
            if (s.Kind is "reduce" or "keyed_process" or "co_process" or "window_reduce" or "window_aggregate" or "window_aggregate_pandas" or "window_process" && Stages.Count != 1) throw new ArgumentException($"'{s.Name}': a {s.Kind} runs alone after key_by");
        }
    }
}
