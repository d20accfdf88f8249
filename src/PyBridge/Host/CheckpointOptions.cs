using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Runtime;
using PyFlow.Engine.State;
using PyFlow.Engine.State.RocksDb;

namespace PyFlow.Host;

/// <summary>
/// Reads the plan's checkpoint, restart, state backend and restore options (Flink's names) into
/// <see cref="JobOptions"/>. Every value is checked here, before the job runs: a bad one, an option
/// that needs another, or an unknown key under these prefixes is a <see cref="PlanException"/> that
/// names the option and the values it takes (a typo must not pass silently).
/// </summary>
/// <remarks>
/// Unlike Flink, turning checkpointing on does not turn restarts on: without
/// <c>restart-strategy.type</c> a failure fails the job, so a job with a bug never loops.
/// </remarks>
internal static class CheckpointOptions
{
    public const string Interval = "execution.checkpointing.interval";
    public const string Mode = "execution.checkpointing.mode";
    public const string Timeout = "execution.checkpointing.timeout";
    public const string MinPause = "execution.checkpointing.min-pause";
    public const string Directory = "state.checkpoints.dir";
    public const string Retained = "state.checkpoints.num-retained";
    public const string SigningKeyFile = "state.checkpoints.signing-key-file"; // PyFlow's own: Flink does not sign checkpoints
    public const string RestartType = "restart-strategy.type";
    public const string RestartAttempts = "restart-strategy.fixed-delay.attempts";
    public const string RestartDelay = "restart-strategy.fixed-delay.delay";
    public const string Backend = "state.backend.type";
    public const string RocksDbLocalDir = "state.backend.rocksdb.localdir";
    public const string RestorePath = "execution.savepoint.path";

    private static readonly string[] Known =
        { Interval, Mode, Timeout, MinPause, Directory, Retained, SigningKeyFile, RestartType, RestartAttempts, RestartDelay, Backend, RocksDbLocalDir, RestorePath };

    private static readonly string[] Prefixes = { "execution.checkpointing.", "state.checkpoints.", "restart-strategy.", "state.backend", "execution.savepoint." };

    /// <summary>Applies the options; <paramref name="log"/> receives checkpoint and restart events (LOG frames to the driver).</summary>
    public static void Apply(IReadOnlyDictionary<string, string> config, JobOptions options, Action<string> log)
    {
        foreach (var key in config.Keys)
            if (Prefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) && !Known.Contains(key))
                throw new PlanException(null, $"unknown option '{key}'; the checkpoint, restart and state options PyFlow knows are: {string.Join(", ", Known)}");
        var checkpoints = options.Checkpointing;
        checkpoints.Log = log;
        Set(config, Interval, v => checkpoints.Interval = Duration(Interval, v));
        Set(config, Mode, v => checkpoints.Mode = v.Trim().ToUpperInvariant() switch
        {
            "EXACTLY_ONCE" => CheckpointingMode.ExactlyOnce,
            "AT_LEAST_ONCE" => CheckpointingMode.AtLeastOnce,
            _ => throw new PlanException(null, $"option '{Mode}' must be EXACTLY_ONCE or AT_LEAST_ONCE, not '{v}'"),
        });
        Set(config, Timeout, v => checkpoints.Timeout = Duration(Timeout, v));
        Set(config, MinPause, v => checkpoints.MinPause = Duration(MinPause, v));
        Set(config, Directory, v => checkpoints.Directory = LocalPath(Directory, v));
        Set(config, Retained, v => checkpoints.RetainedCheckpoints = Int(Retained, v));
        Set(config, SigningKeyFile, v => checkpoints.SigningKeyFile = LocalPath(SigningKeyFile, v));
        options.RestartStrategy = Restart(config);
        options.StateBackend = StateBackend(config);
        Set(config, RestorePath, v =>
        {
            var path = LocalPath(RestorePath, v);
            if (!System.IO.Directory.Exists(path))
                throw new PlanException(null, $"option '{RestorePath}': no checkpoint directory '{path}'; give a chk-N directory or the job's checkpoint directory");
            options.RestoreFromCheckpoint = path;
        });
    }

    private static RestartStrategy Restart(IReadOnlyDictionary<string, string> config)
    {
        var type = config.TryGetValue(RestartType, out var t) ? t.Trim().ToLowerInvariant() : "none";
        switch (type)
        {
            case "none" or "off" or "disable":
                foreach (var k in new[] { RestartAttempts, RestartDelay })
                    if (config.ContainsKey(k)) throw new PlanException(null, $"option '{k}' needs '{RestartType}' = fixed-delay (it is '{type}')");
                return RestartStrategy.NoRestart();
            case "fixed-delay" or "fixeddelay":
                var attempts = config.TryGetValue(RestartAttempts, out var a) ? Int(RestartAttempts, a) : 1;
                var delay = config.TryGetValue(RestartDelay, out var d) ? Duration(RestartDelay, d) : TimeSpan.FromSeconds(1);
                return RestartStrategy.FixedDelayRestart(attempts, delay);
            default:
                throw new PlanException(null, $"option '{RestartType}' must be none or fixed-delay, not '{t}' (PyFlow has no other restart strategy)");
        }
    }

    private static IStateBackendFactory StateBackend(IReadOnlyDictionary<string, string> config)
    {
        var type = config.TryGetValue(Backend, out var t) ? t.Trim().ToLowerInvariant() : "hashmap";
        return type switch
        {
            "hashmap" => config.ContainsKey(RocksDbLocalDir)
                ? throw new PlanException(null, $"option '{RocksDbLocalDir}' needs '{Backend}' = rocksdb")
                : HeapStateBackendFactory.Instance,
            "rocksdb" => new RocksDbStateBackendFactory(config.TryGetValue(RocksDbLocalDir, out var dir) ? LocalPath(RocksDbLocalDir, dir) : null),
            _ => throw new PlanException(null, $"option '{Backend}' must be hashmap or rocksdb, not '{t}'"),
        };
    }

    private static void Set(IReadOnlyDictionary<string, string> config, string key, Action<string> apply)
    {
        if (!config.TryGetValue(key, out var value)) return;
        try { apply(value); }
        catch (ArgumentException e) { throw new PlanException(null, $"option '{key}' = '{value}': {e.Message}"); }
    }

    private static int Int(string key, string text) =>
        int.TryParse(text.Trim(), out var v) && v >= 1 ? v : throw new PlanException(null, $"option '{key}' must be an integer >= 1, not '{text}'");

    /// <summary>A local path; Flink's <c>file://</c> URIs are accepted, other schemes are not (the checkpoints are local files).</summary>
    private static string LocalPath(string key, string text)
    {
        var t = text.Trim();
        if (t.StartsWith("file://", StringComparison.Ordinal)) t = t["file://".Length..];
        if (t.Length == 0) throw new PlanException(null, $"option '{key}' must be a path, not empty");
        if (t.Contains("://")) throw new PlanException(null, $"option '{key}' = '{text}': PyFlow keeps checkpoints in local directories; give a path or a file:// URI");
        return Path.GetFullPath(t);
    }

    /// <summary>Flink's duration text ("500 ms", "1 s", "2 min", "1 h") or plain milliseconds.</summary>
    public static TimeSpan Duration(string key, string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var digits = 0;
        while (digits < t.Length && char.IsAsciiDigit(t[digits])) digits++;
        var unit = t[digits..].Trim();
        long scale = unit switch
        {
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => 1,
            "s" or "sec" or "secs" or "second" or "seconds" => 1000,
            "min" or "m" or "minute" or "minutes" => 60_000,
            "h" or "hour" or "hours" => 3_600_000,
            _ => -1,
        };
        if (digits == 0 || scale < 0 || !long.TryParse(t[..digits], out var n))
            throw new PlanException(null, $"option '{key}' must be a duration such as '500 ms', '10 s' or '1 min', not '{text}'");
        return Millis(key, text, n, scale);
    }

    /// <summary>The longest duration a <see cref="TimeSpan"/> holds, in whole milliseconds (about 29,227 years).</summary>
    public const long MaxMillis = long.MaxValue / TimeSpan.TicksPerMillisecond;

    /// <summary><paramref name="n"/> times <paramref name="scale"/> ms, refused naming the option when a TimeSpan cannot hold it.</summary>
    public static TimeSpan Millis(string key, string text, long n, long scale) =>
        n <= MaxMillis / scale
            ? TimeSpan.FromMilliseconds(n * scale)
            : throw new PlanException(null, $"option '{key}' = '{text}' is out of range: a duration must be between 0 ms and {MaxMillis} ms (about 29,227 years)");
}
