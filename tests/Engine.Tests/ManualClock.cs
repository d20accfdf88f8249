namespace PyFlow.Engine.Tests;

/// <summary>A processing-time clock the test moves by hand.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

    public override DateTimeOffset GetUtcNow() => _now;

    // The steady clock moves with the wall clock here, so elapsed-time measurements follow the test too.
    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;

    public long NowMillis => _now.ToUnixTimeMilliseconds();
}
