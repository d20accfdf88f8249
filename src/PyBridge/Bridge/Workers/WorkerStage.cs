using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Workers;

/// <summary>One user function of a fused chain: its kind, operator name, cloudpickled callable and output type.</summary>
public sealed record WorkerStage(string Kind, string Name, byte[] Function, PyType OutputType)
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string> { "timestamp_assigner", "map", "map_pandas", "flat_map", "filter", "key_selector", "reduce", "keyed_process", "window_reduce", "window_aggregate", "window_process" };

    public Dictionary<string, object> ToSpec() => new()
    {
        ["kind"] = Kind,
        ["name"] = Name,
        ["fn"] = Function,
        ["type"] = OutputType.ToSpec(),
    };
}
