namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// What the job does when a task fails (Flink's <c>RestartStrategies</c>): give up, or restart
/// every task from the last completed checkpoint after a delay, a bounded number of times.
/// </summary>
public abstract class RestartStrategy
{
    /// <summary>The job fails at the first task failure (the default).</summary>
    public static RestartStrategy NoRestart() => new NoRestartStrategy();

    /// <summary>Restarts up to <paramref name="attempts"/> times, waiting <paramref name="delay"/> before each.</summary>
    public static RestartStrategy FixedDelayRestart(int attempts, TimeSpan delay) => new FixedDelayStrategy(attempts, delay);

    /// <summary>Whether to restart after failure number <paramref name="failures"/> (1 for the first).</summary>
    public abstract bool ShouldRestart(int failures);

    /// <summary>Wait before the restart.</summary>
    public abstract TimeSpan Delay { get; }

    private sealed class NoRestartStrategy : RestartStrategy
    {
        public override bool ShouldRestart(int failures) => false;
        public override TimeSpan Delay => TimeSpan.Zero;
        public override string ToString() => "no restart";
    }

    private sealed class FixedDelayStrategy : RestartStrategy
    {
        private readonly int _attempts;

        public FixedDelayStrategy(int attempts, TimeSpan delay)
        {
            if (attempts < 1) throw new ArgumentOutOfRangeException(nameof(attempts), attempts, "fixed delay restart: at least 1 attempt (use NoRestart for none)");
            if (delay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "fixed delay restart: the delay cannot be negative");
            _attempts = attempts;
            Delay = delay;
        }

        public override bool ShouldRestart(int failures) => failures <= _attempts;
        public override TimeSpan Delay { get; }
        public override string ToString() => $"fixed delay ({_attempts} attempts, {Delay.TotalMilliseconds:0} ms)";
    }
}
