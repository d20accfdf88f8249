using PyFlow.Engine.Runtime;

namespace PyFlow.Host;

/// <summary>
/// Reads the plan's <c>pipeline.*</c> options of the job graph (Flink's names) into <see cref="JobOptions"/>,
/// before any node is translated: key_by takes the number of key groups when it is added. A bad value is a
/// <see cref="PlanException"/> naming the option and what it takes.
/// </summary>
internal static class PipelineOptions
{
    /// <summary>The number of key groups: the most subtasks a keyed operator can have (Flink: 1..32768).</summary>
    public const string MaxParallelism = "pipeline.max-parallelism";

    /// <summary>"false" runs every operator as a vertex of its own, Python functions unfused (Flink's disableOperatorChaining).</summary>
    public const string OperatorChaining = "pipeline.operator-chaining";

    /// <summary>Longest a partly filled batch waits before it is sent downstream ("100 ms", "1 min", or plain ms).</summary>
    public const string BufferTimeout = "execution.buffer-timeout";

    public static void Apply(IReadOnlyDictionary<string, string> config, JobOptions options)
    {
        if (config.TryGetValue(BufferTimeout, out var timeout))
            options.BufferTimeout = TimeSpan.FromMilliseconds(PositiveMillis(BufferTimeout, timeout));
        if (config.TryGetValue(MaxParallelism, out var max))
        {
            if (!int.TryParse(max.Trim(), out var m) || m is < 1 or > 32768)
                throw new PlanException(null, $"option '{MaxParallelism}' must be an int in 1..32768, not '{max}'");
            options.MaxParallelism = m;
        }
        if (config.TryGetValue(OperatorChaining, out var chaining))
        {
            options.OperatorChaining = chaining.Trim().ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new PlanException(null, $"option '{OperatorChaining}' must be true or false, not '{chaining}'"),
            };
        }
    }

    // Flink's -1 (flush only full batches) and 0 (flush every record) have no engine equivalent: refused.
    private static long PositiveMillis(string key, string text)
    {
        var t = text.Trim();
        var (number, scale) = t.EndsWith("ms") ? (t[..^2], 1L) : t.EndsWith("min") ? (t[..^3], 60_000L)
            : t.EndsWith('s') ? (t[..^1], 1000L) : (t, 1L);
        return long.TryParse(number.Trim(), out var v) && v > 0 && v <= long.MaxValue / scale
            ? v * scale
            : throw new PlanException(null, $"option '{key}' must be a positive duration such as '100 ms' or '1 min', not '{text}'");
    }
}
