using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Wire;

namespace PyFlow.Host;

/// <summary>The PLAN of a SUBMIT frame, read and checked (docs/ARCHITECTURE.md, "Gateway protocol").</summary>
internal sealed record JobPlan(
    string JobName, int Parallelism, string RuntimeMode, string PythonExecutable, IReadOnlyList<string> PythonPath, string? PythonLibrary, string? PythonVersion,
    IReadOnlyDictionary<string, string> Config, IReadOnlyList<PlanNode> Nodes)
{
    public static JobPlan Parse(IReadOnlyDictionary<object, object?> submit)
    {
        if (submit.Int("protocol") != GatewayConnection.Protocol)
            throw new PlanException(null, $"the driver speaks gateway protocol {submit.Int("protocol")}, this engine {GatewayConnection.Protocol}; reinstall pyflow so both match");
        var plan = submit.Map("plan");
        var python = plan.Map("python");
        var config = plan.Map("config").ToDictionary(kv => (string)kv.Key, kv => kv.Value?.ToString() ?? "");
        var nodes = plan.List("nodes").Select(n => PlanNode.Parse((IReadOnlyDictionary<object, object?>)n!)).ToList();
        var mode = plan.Str("runtime_mode");
        if (mode is not ("STREAMING" or "BATCH"))
            throw new PlanException(null, $"runtime_mode must be STREAMING or BATCH, not '{mode}'");
        var parallelism = ParallelismLimit.ToInt(null, plan.Int("parallelism"));
        if (parallelism < 1) throw new PlanException(null, $"parallelism must be at least 1, not {parallelism}");
        var limit = ParallelismLimit.FromConfig(config);
        ParallelismLimit.Check(null, parallelism, limit);
        foreach (var node in nodes) ParallelismLimit.Check(node.Name, node.Parallelism, limit);
        return new JobPlan(plan.OptStr("job_name") ?? "PyFlow Job", parallelism, mode, python.Str("executable"),
            python.List("path").Select(p => (string)p!).ToList(), python.OptStr("library"), python.OptStr("version"), config, nodes);
    }
}

/// <summary>One NODE of a plan.</summary>
internal sealed record PlanNode(int Id, string Kind, string Name, int Parallelism, IReadOnlyList<int> Inputs, PyType Type,
    IReadOnlyDictionary<object, object?> Fields)
{
    public static PlanNode Parse(IReadOnlyDictionary<object, object?> n)
    {
        var name = n.Str("name");
        PyType type;
        try { type = PyType.FromSpec(n.Map("type")); }
        catch (ArgumentException e) { throw new PlanException(name, e.Message); }
        return new PlanNode((int)n.Int("id"), n.Str("kind"), name, ParallelismLimit.ToInt(name, n.Int("parallelism")),
            n.List("inputs").Select(i => Convert.ToInt32(i)).ToList(), type, n);
    }
}

/// <summary>A plan the engine refuses before running it; names the operator when there is one.</summary>
internal sealed class PlanException : Exception
{
    public PlanException(string? op, string message) : base(op == null ? message : $"operator '{op}': {message}") => Operator = op;

    public string? Operator { get; }
}
