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

/// <summary>
/// One subtask's end of a <see cref="CollectChannel{T}"/>. Without checkpoints, records reach
/// the reader as they come. With checkpoints (exactly-once, as Flink's collect sink): records are
/// held until the checkpoint after them completes, so a restart (which replays from that
/// checkpoint) never shows a record twice; the end of input releases the rest. The records held
/// are those of one checkpoint interval (plus one checkpoint's duration).
/// </summary>
internal sealed class CollectSink<T> : IBatchConsumer<T>, Checkpointing.ICheckpointedOperator
{
    private readonly CollectChannel<T> _channel;
    private readonly CancellationToken _cancel;
    private readonly bool _exactlyOnce;
    private readonly SortedDictionary<long, List<Batch<T>>> _byCheckpoint = new();
    private List<Batch<T>> _uncommitted = new();

    public CollectSink(CollectChannel<T> channel, CancellationToken cancel, bool exactlyOnce = false)
    {
        _channel = channel;
        _cancel = cancel;
        _exactlyOnce = exactlyOnce;
    }

    public void Push(Batch<T> batch)
    {
        if (_exactlyOnce) _uncommitted.Add(batch);
        else _channel.Write(batch, _cancel);
    }

    public void Watermark(long watermark) { }

    public void EndOfInput()
    {
        foreach (var id in _byCheckpoint.Keys.ToList()) Release(id);
        foreach (var b in _uncommitted) _channel.Write(b, _cancel);
        _uncommitted.Clear();
    }

    public void SnapshotState(long checkpointId, Stream output)
    {
        if (_uncommitted.Count == 0) return;
        _byCheckpoint[checkpointId] = _uncommitted;
        _uncommitted = new List<Batch<T>>();
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
        foreach (var id in _byCheckpoint.Keys.Where(k => k <= checkpointId).ToList()) Release(id);
    }

    /// <summary>Nothing to restore: what was held was never shown, and the sources replay it.</summary>
    public void RestoreState(Stream input) { }

    private void Release(long id)
    {
        foreach (var b in _byCheckpoint[id]) _channel.Write(b, _cancel);
        _byCheckpoint.Remove(id);
    }
}
