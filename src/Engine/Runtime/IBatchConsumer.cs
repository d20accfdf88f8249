namespace PyFlow.Engine.Runtime;

/// <summary>
/// Anything that takes a stream of <typeparamref name="T"/>: the next operator of a chain,
/// a writer into the channels of the next subtasks, or a sink. An operator is a consumer of
/// its input type that holds a consumer of its output type, so a chain is just nested consumers.
/// All calls for one subtask come from that subtask's thread.
/// </summary>
public interface IBatchConsumer<T>
{
    /// <summary>Takes a batch. The callee must not keep a reference it later mutates.</summary>
    void Push(Batch<T> batch);

    /// <summary>The event-time watermark moved to <paramref name="watermark"/>; it never goes back.</summary>
    void Watermark(long watermark);

    /// <summary>No more input will come. Flush everything buffered, then pass it on.</summary>
    void EndOfInput();

    /// <summary>
    /// The stream became idle (no records for a while) or active again (Flink's WatermarkStatus).
    /// An idle input does not hold back the watermark of the operators it feeds. Operators that
    /// pass watermarks on pass this on too; the default, for sinks, ignores it.
    /// </summary>
    void WatermarkStatus(bool idle) { }
}
