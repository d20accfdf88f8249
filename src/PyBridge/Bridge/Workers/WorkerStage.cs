using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Workers;

/// <summary>One user function of a fused chain: its kind, operator name, the function and its output type.</summary>
public sealed record WorkerStage(string Kind, string Name, byte[] Function, PyType OutputType)
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>
    {
        "timestamp_assigner", "map", "map_pandas", "flat_map", "filter", "key_selector", "reduce", "keyed_process",
        "window_reduce", "window_aggregate", "window_aggregate_pandas", "window_process", "co_process", "custom_partition", "process", "sink", "source",
    };

    /// <summary>A stage whose function is given as a <see cref="Hosting.PythonFunction"/> (source, module reference or pickle).</summary>
    public WorkerStage(string kind, string name, Hosting.PythonFunction function, PyType outputType)
        : this(kind, name, function.Payload, outputType)
    {
        Form = function.Form;
        FunctionName = function.Name;
    }

    /// <summary>How <see cref="Function"/> holds the function: "pickle" (cloudpickled), "source" or "module".</summary>
    public string Form { get; init; } = "pickle";

    /// <summary>For source text: the name of the function it defines.</summary>
    public string? FunctionName { get; init; }

    /// <summary>For a window function after window_all: it gets no key.</summary>
    public bool AllWindows { get; init; }

    /// <summary>For a <c>co_process</c>: the types of its two inputs (input 0, input 1).</summary>
    public IReadOnlyList<PyType>? InputTypes { get; init; }

    /// <summary>For a <c>custom_partition</c>: how many partitions the user's partitioner chooses from.</summary>
    public int? NumPartitions { get; init; }

    /// <summary>
    /// For a stage that may emit side outputs: the tags read from this stage's own operator
    /// (get_side_output on its stream). The worker keeps only these, so a tag of another stage fused
    /// into the same chain never reaches this operator's side outputs (Flink: a tag belongs to the
    /// operator that emitted it). Null: every tag is this stage's (a chain with one such stage built
    /// directly in C#).
    /// </summary>
    public IReadOnlyList<string>? SideTags { get; init; }

    /// <summary>
    /// For a <c>keyed_process</c>: the job runs in BATCH mode. The worker tells the function through its
    /// runtime context (PyFlink's <c>_in_batch_execution_mode</c>), so a keyed reduce emits only each
    /// key's final value there, as Flink's does.
    /// </summary>
    public bool BatchMode { get; init; }
    /// <summary>For a keyed process or co-process restored from a checkpoint: the state descriptors it recorded, checked by the worker when the function declares its states.</summary>
    public IReadOnlyList<PyFlow.Engine.State.StateDescriptorInfo>? RestoredStates { get; init; }

    public Dictionary<string, object> ToSpec()
    {
        var spec = new Dictionary<string, object>
        {
            ["kind"] = Kind,
            ["name"] = Name,
            ["fn"] = Function,
            ["fn_form"] = Form,
            ["type"] = OutputType.ToSpec(),
        };
        if (FunctionName != null) spec["fn_name"] = FunctionName;
        if (AllWindows) spec["all"] = true;
        if (InputTypes != null) spec["input_types"] = InputTypes.Select(t => (object)t.ToSpec()).ToArray();
        if (NumPartitions is { } n) spec["num_partitions"] = n;
        if (SideTags != null) spec["side_tags"] = SideTags.Cast<object>().ToArray();
        if (BatchMode) spec["batch_mode"] = true;
        if (RestoredStates is { Count: > 0 } restored)
            spec["restored_states"] = restored.Select(d => (object)new object[] { d.Name, d.Kind, d.Type }).ToArray();
        return spec;
    }
}
