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
}
