using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge;

/// <summary>
/// Python execution options, with PyFlink's names, validated when read so a bad value fails
/// at plan time, never silently.
/// </summary>
public sealed record PythonOptions
{
    public const string BundleSizeKey = "python.fn-execution.bundle.size";
    public const string BundleTimeKey = "python.fn-execution.bundle.time";
    public const string ArrowBatchSizeKey = "python.fn-execution.arrow.batch.size";
    public const string OperatorChainingKey = "python.operator-chaining.enabled";
    public const string ExecutionModeKey = "python.execution-mode";
    /// <summary>PyFlow's own: a call into Python running longer fails the job (default: no limit).</summary>
    public const string TimeoutKey = "python.fn-execution.timeout";
    /// <summary>Internal, for tests: how often a stalled call is logged when there is no timeout (default 1 min).</summary>
    public const string StallWarningKey = "pyflow.internal.stall-warning-interval";

    /// <summary>Records sent to a worker before the operator waits for all their results (PyFlink default 100000).</summary>
    public int BundleSize { get; init; } = 100_000;

    /// <summary>Longest a record waits in a partly filled bundle, ms (PyFlink default 1000). Bounds latency.</summary>
    public int BundleTimeMs { get; init; } = 1000;

    /// <summary>Records per Arrow batch sent to a worker. PyFlink's default is 1000; 10000 halves the per-batch overhead here.</summary>
    public int ArrowBatchSize { get; init; } = 10_000;

    /// <summary>Where Python functions run: worker processes, or the engine host's embedded interpreter.</summary>
    public PythonExecutionMode Mode { get; init; } = PythonExecutionMode.Process;

    /// <summary>Fuse consecutive Python functions without a repartition into one worker round trip.</summary>
    public bool OperatorChaining { get; init; } = true;

    /// <summary>How long a call into Python may run, and how often a stalled one is logged.</summary>
    public RunnerLimits RunnerLimits { get; init; } = RunnerLimits.Default;

    private static readonly HashSet<string> Known = new() { BundleSizeKey, BundleTimeKey, ArrowBatchSizeKey, OperatorChainingKey, ExecutionModeKey, TimeoutKey };

    /// <summary>Reads the python.* options of a job configuration. Unknown python.* keys are errors: a typo must not pass.</summary>
    public static PythonOptions FromConfig(IReadOnlyDictionary<string, string> config)
    {
        foreach (var key in config.Keys)
            if (key.StartsWith("python.", StringComparison.Ordinal) && !Known.Contains(key))
                throw new ArgumentException($"unknown option '{key}'; the python.* options PyFlow knows are: {string.Join(", ", Known.Order())}");
        var options = new PythonOptions
        {
            BundleSize = PositiveInt(config, BundleSizeKey, 100_000),
            BundleTimeMs = PositiveInt(config, BundleTimeKey, 1000),
            ArrowBatchSize = PositiveInt(config, ArrowBatchSizeKey, 10_000),
            OperatorChaining = Bool(config, OperatorChainingKey, true),
            RunnerLimits = new RunnerLimits(
                config.TryGetValue(TimeoutKey, out var timeout) ? Duration(TimeoutKey, timeout) : null,
                config.TryGetValue(StallWarningKey, out var stall) ? Duration(StallWarningKey, stall) : RunnerLimits.Default.StallWarning,
                Wire.FrameLimit.FromConfig(config)),
        };
        if (config.TryGetValue(ExecutionModeKey, out var mode))
            options = options with
            {
                Mode = mode switch
                {
                    "process" => PythonExecutionMode.Process,
                    "thread" => PythonExecutionMode.Thread,
                    _ => throw new ArgumentException($"'{ExecutionModeKey}' must be 'process' or 'thread', not '{mode}'"),
                },
            };
        // As PyFlink (min(arrow batch size, bundle size)): a bundle size set alone caps the default batch;
        // both set at odds is a contradiction, refused.
        if (!config.ContainsKey(ArrowBatchSizeKey))
            options = options with { ArrowBatchSize = Math.Min(options.ArrowBatchSize, options.BundleSize) };
        if (options.ArrowBatchSize > options.BundleSize)
            throw new ArgumentException($"'{ArrowBatchSizeKey}' ({options.ArrowBatchSize}) must not exceed '{BundleSizeKey}' ({options.BundleSize})");
        return options;
    }

    private static int PositiveInt(IReadOnlyDictionary<string, string> config, string key, int fallback)
    {
        if (!config.TryGetValue(key, out var text)) return fallback;
        return int.TryParse(text, out var v) && v > 0 ? v : throw new ArgumentException($"option '{key}' must be a positive integer, not '{text}'");
    }

    /// <summary>A positive duration as Flink writes one ("500 ms", "30 s", "2 min") or plain milliseconds.</summary>
    private static TimeSpan Duration(string key, string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var digits = 0;
        while (digits < t.Length && char.IsAsciiDigit(t[digits])) digits++;
        long scale = t[digits..].Trim() switch
        {
            "" or "ms" => 1,
            "s" => 1000,
            "min" => 60_000,
            "h" => 3_600_000,
            _ => -1,
        };
        return digits > 0 && scale > 0 && long.TryParse(t[..digits], out var v) && v > 0 && v <= long.MaxValue / scale
            ? TimeSpan.FromMilliseconds(v * scale)
            : throw new ArgumentException($"option '{key}' must be a positive duration such as '30 s', '500 ms' or '2 min', not '{text}'");
    }

    private static bool Bool(IReadOnlyDictionary<string, string> config, string key, bool fallback)
    {
        if (!config.TryGetValue(key, out var text)) return fallback;
        return bool.TryParse(text, out var v) ? v : throw new ArgumentException($"option '{key}' must be true or false, not '{text}'");
    }
}
