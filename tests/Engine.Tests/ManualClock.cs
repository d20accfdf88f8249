namespace PyFlow.Engine.Tests;

/// <summary>A processing-time clock the test moves by hand.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000).UtcTicks;

    // Read by subtask threads while the test thread advances it: one 64-bit value, read and written atomically.
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    // The steady clock moves with the wall clock here, so elapsed-time measurements follow the test too.
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public long NowMillis => GetUtcNow().ToUnixTimeMilliseconds();
}
