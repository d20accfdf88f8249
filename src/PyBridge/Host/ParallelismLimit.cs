namespace PyFlow.Host;

/// <summary>
/// The option <c>pyflow.parallelism.max</c>: the highest parallelism a plan may ask for. Every subtask is a
/// thread here and, in process mode, a Python worker process, so an unbounded parallelism (5000) can hang the
/// machine. The driver checks the same rule (<c>pyflow/datastream/_parallelism_limit.py</c>); the host checks
/// again because a plan may come from any driver.
/// </summary>
internal static class ParallelismLimit
{
    public const string Key = "pyflow.parallelism.max";

    /// <summary>4 × the CPUs this process may use.</summary>
    public static int Default => 4 * Environment.ProcessorCount;

    /// <summary>The validated limit of a job's configuration.</summary>
    public static int FromConfig(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue(Key, out var text)) return Default;
        return int.TryParse(text.Trim(), out var v) && v >= 1
            ? v
            : throw new PlanException(null, $"option '{Key}' must be an integer from 1 to {int.MaxValue}, not '{text}'");
    }

    /// <summary>Refuses a parallelism above the limit, naming the operator (null: the job's default).</summary>
    public static void Check(string? op, long parallelism, int limit)
    {
        if (parallelism <= limit) return;
        var what = op == null ? "the job's default parallelism" : "parallelism";
        throw new PlanException(op, $"{what} {parallelism} is above the limit {limit} ({Key}): lower it, or raise the limit " +
            $"with Configuration().set_string('{Key}', '<n>') (default 4 × {Environment.ProcessorCount} CPUs = {Default})");
    }

    /// <summary>A plan's parallelism as an int; a value past int's range is refused, never truncated.</summary>
    public static int ToInt(string? op, long parallelism) =>
        parallelism is >= int.MinValue and <= int.MaxValue
            ? (int)parallelism
            : throw new PlanException(op, $"parallelism {parallelism} is out of range: at most {int.MaxValue}, and no more than {Key} (default 4 × the CPUs)");
}
