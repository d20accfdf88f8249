using System.Threading.Channels;
using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sinks;

/// <summary>
/// Hands the records of every sink subtask to one reader. Bounded (<see cref="Capacity"/>
/// batches), so a caller that reads slowly slows the job instead of growing memory.
/// </summary>
public sealed class CollectChannel<T>
{
    /// <summary>Batches buffered before the sinks wait for the reader.</summary>
    public const int Capacity = 16;

    private readonly Channel<Batch<T>> _channel = Channel.CreateBounded<Batch<T>>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<Batch<T>> Reader => _channel.Reader;

    internal void Write(Batch<T> batch, CancellationToken cancel)
    {
        if (_channel.Writer.TryWrite(batch)) return;
        _channel.Writer.WriteAsync(batch, cancel).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Ends the stream; with an error, the reader sees it.</summary>
    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);
}

/// <summary>One subtask's end of a <see cref="CollectChannel{T}"/>.</summary>
internal sealed class CollectSink<T> : IBatchConsumer<T>
{
    private readonly CollectChannel<T> _channel;
    private readonly CancellationToken _cancel;

    public CollectSink(CollectChannel<T> channel, CancellationToken cancel)
    {
        _channel = channel;
        _cancel = cancel;
    }

    public void Push(Batch<T> batch) => _channel.Write(batch, _cancel);
    public void Watermark(long watermark) { }
    public void EndOfInput() { }
}
