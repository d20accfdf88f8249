using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sources;

/// <summary>A source of records, split over its parallel subtasks (Flink's FLIP-27 shape: readers are polled).</summary>
public interface ISource<T>
{
    /// <summary>Most subtasks this source can use; 1 for a non-parallel source such as a collection.</summary>
    int MaxParallelism { get; }

    /// <summary>A reader for one subtask.</summary>
    ISourceReader<T> CreateReader(int subtaskIndex, int parallelism);
}

/// <summary>Polled by its subtask's thread; never blocks for long.</summary>
public interface ISourceReader<T> : IDisposable
{
    /// <summary>
    /// Adds what is ready now to <paramref name="output"/>: up to <see cref="SourceOutput{T}.Room"/>
    /// records one by one, or batches that already exist whole.
    /// </summary>
    SourceStatus Poll(SourceOutput<T> output);
}

public enum SourceStatus
{
    /// <summary>More records are ready; poll again.</summary>
    MoreAvailable,
    /// <summary>Nothing now; the subtask may wait briefly before polling again.</summary>
    NothingAvailable,
    /// <summary>The input is over (bounded source).</summary>
    End,
}

/// <summary>
/// A source whose readers make event time themselves, per split (Flink's per-split watermarks, as its
/// Kafka source does per partition): the watermark of a reader is the minimum over its splits, so a split
/// that lags does not make another split's records late. <c>FromSource(source, strategy, name)</c> uses
/// this when the source offers it, and a <c>AssignTimestampsAndWatermarks</c> step after the source otherwise.
/// </summary>
public interface IWatermarkingSource<T> : ISource<T>
{
    /// <summary>A reader for one subtask that assigns timestamps and emits watermarks as <paramref name="watermarking"/> says.</summary>
    ISourceReader<T> CreateReader(int subtaskIndex, int parallelism, SourceWatermarking<T> watermarking);
}

/// <summary>What a watermarking source reader needs: the strategy, how often to emit, and the clock idleness is measured on.</summary>
public sealed record SourceWatermarking<T>(Api.WatermarkStrategy<T> Strategy, TimeSpan Interval, TimeProvider Clock);
