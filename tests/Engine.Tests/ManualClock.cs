namespace PyFlow.Engine.Tests;

/// <summary>A processing-time clock the test moves by hand.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public long NowMillis => _now.ToUnixTimeMilliseconds();
}
