namespace PyFlow.Engine.Tests.Connectors;

/// <summary>
/// A clock that moves only when the test says so, both its wall time and its monotonic
/// timestamp (the existing <see cref="ManualClock"/> moves only the wall time).
/// </summary>
public sealed class SteppedClock : TimeProvider
{
    private long _millis;

    public override long TimestampFrequency => 1000;
    public override long GetTimestamp() => Interlocked.Read(ref _millis);
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(1_000_000 + Interlocked.Read(ref _millis));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _millis, (long)by.TotalMilliseconds);
}
