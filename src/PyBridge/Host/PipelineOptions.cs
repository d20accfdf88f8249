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

    public static void Apply(IReadOnlyDictionary<string, string> config, JobOptions options)
    {
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
}
