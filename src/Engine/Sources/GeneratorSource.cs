using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sources;

/// <summary>
/// Generates records from their index (Flink's <c>DataGeneratorSource</c>): record n is
/// <c>generator(n)</c> for n = 0, 1, 2, ... below the count, or without end.
/// </summary>
/// <remarks>
/// <para>Subtask i of p generates indices i, i + p, i + 2p, ..., so every index is generated
/// once whatever the parallelism (Flink splits the sequence into ranges instead; the set of
/// records is the same).</para>
/// <para>A rate limit is split evenly over the subtasks, as Flink's
/// <c>RateLimiterStrategy.perSecond</c>. Each subtask keeps to a schedule: its k-th record is
/// due <c>k / rate</c> seconds after its first poll. A reader ahead of schedule returns
/// <see cref="SourceStatus.NothingAvailable"/> and the subtask waits briefly, so it never
/// spins; one behind (a slow consumer held it up) catches up in batches. The schedule is
/// read from a <see cref="TimeProvider"/>'s monotonic timestamp, so tests can control it.</para>
/// </remarks>
public sealed class GeneratorSource<T> : ISource<T>
{
    private readonly Func<long, T> _generator;
    private readonly long _count;
    private readonly double _recordsPerSecond;
    private readonly TimeProvider _clock;

    /// <param name="generator">Record of each index; called on the subtask's thread.</param>
    /// <param name="count">Number of records; null or <see cref="long.MaxValue"/> for an unbounded source.</param>
    /// <param name="recordsPerSecond">Total rate over all subtasks; 0 for no limit.</param>
    /// <param name="clock">Time the rate is measured in; <see cref="TimeProvider.System"/> when null.</param>
    public GeneratorSource(Func<long, T> generator, long? count, double recordsPerSecond = 0, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (count is < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "generator source: the record count cannot be negative");
        if (!double.IsFinite(recordsPerSecond) || recordsPerSecond < 0)
            throw new ArgumentOutOfRangeException(nameof(recordsPerSecond), recordsPerSecond, "generator source: the rate must be a finite number of records per second, or 0 for no limit");
        _generator = generator;
        _count = count ?? long.MaxValue;
        _recordsPerSecond = recordsPerSecond;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>True when the source never ends.</summary>
    public bool IsUnbounded => _count == long.MaxValue;

    public int MaxParallelism => int.MaxValue;

    public ISourceReader<T> CreateReader(int subtaskIndex, int parallelism) =>
        new Reader(_generator, subtaskIndex, parallelism, _count, _recordsPerSecond / parallelism, _clock);

    private sealed class Reader : ISourceReader<T>, Checkpointing.ICheckpointedSourceReader
    {
        private readonly Func<long, T> _generator;
        private readonly long _step;
        private readonly long _end; // exclusive, or long.MaxValue for no end
        private readonly double _rate; // of this subtask; 0 for no limit
        private readonly TimeProvider _clock;
        private long _next;
        private long _emitted;
        private long _start = -1; // clock timestamp of the first poll

        public Reader(Func<long, T> generator, int subtaskIndex, int parallelism, long end, double rate, TimeProvider clock)
        {
            _generator = generator;
            _next = subtaskIndex;
            _step = parallelism;
            _end = end;
            _rate = rate;
            _clock = clock;
        }

        public SourceStatus Poll(SourceOutput<T> output)
        {
            if (_next >= _end) return SourceStatus.End;
            long n = output.Room;
            if (_rate > 0)
            {
                var now = _clock.GetTimestamp();
                if (_start < 0) _start = now;
                // Records due by now: the k-th (from 0) is due at k / rate seconds.
                var due = Math.Floor(_clock.GetElapsedTime(_start, now).TotalSeconds * _rate) + 1;
                var allowed = due >= long.MaxValue ? long.MaxValue : (long)due - _emitted;
                if (allowed <= 0) return SourceStatus.NothingAvailable;
                n = Math.Min(n, allowed);
            }
            for (; n > 0; n--)
            {
                output.Collect(_generator(_next), Batch<T>.NoTimestamp);
                _emitted++;
                if (_next > _end - _step) // the next index would pass the end (or overflow)
                {
                    _next = _end;
                    return SourceStatus.End;
                }
                _next += _step;
                if (_next >= _end) return SourceStatus.End;
            }
            return SourceStatus.MoreAvailable;
        }

        /// <summary>The position is the next index of the sequence. The rate schedule starts again after a restore.</summary>
        public void SnapshotPosition(Stream output) => output.Write(BitConverter.GetBytes(_next));

        public void RestorePosition(Stream input)
        {
            var b = new byte[8];
            input.ReadExactly(b);
            _next = BitConverter.ToInt64(b);
        }

        public void Dispose() { }
    }
}
