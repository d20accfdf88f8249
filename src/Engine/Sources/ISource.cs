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
