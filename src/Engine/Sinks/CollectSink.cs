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

    /// <summary>What the sinks have handed the reader, for the whole job (restarts included).</summary>
    internal ReleasedEpochs Released { get; } = new();

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
/// <remarks>
/// The records sealed at checkpoint N are part of N's state: a failure after N completed but
/// before the completion notice reached this subtask would otherwise lose them (the replay starts
/// after N). A restored sink releases them at once; the channel's <see cref="ReleasedEpochs"/>
/// skips an epoch the reader already has. State layout: u8 1, i32 epochs, per epoch i64 checkpoint
/// id, i32 batches, per batch i32 length and the MessagePack (contractless) of its values and
/// timestamps, so <typeparamref name="T"/> must be serializable as keyed state values are.
/// </remarks>
internal sealed class CollectSink<T> : IBatchConsumer<T>, Checkpointing.ICheckpointedOperator
{
    private const byte StateVersion = 1;
    private readonly CollectChannel<T> _channel;
    private readonly CancellationToken _cancel;
    private readonly bool _exactlyOnce;
    private readonly int _subtask;
    private readonly SortedDictionary<long, List<Batch<T>>> _byCheckpoint = new();
    private List<Batch<T>> _uncommitted = new();

    public CollectSink(CollectChannel<T> channel, CancellationToken cancel, bool exactlyOnce = false, int subtask = 0)
    {
        _channel = channel;
        _cancel = cancel;
        _exactlyOnce = exactlyOnce;
        _subtask = subtask;
    }

    public void Push(Batch<T> batch)
    {
        if (_exactlyOnce) _uncommitted.Add(batch);
        else _channel.Write(batch, _cancel);
    }

    public void Watermark(long watermark) { }

    public void EndOfInput()
    {
        if (!_exactlyOnce) return;
        ReleaseUpTo(long.MaxValue - 1);
        // The end of input is the last epoch: a restart after it (another subtask failed) replays
        // records this subtask has shown in full.
        Release(long.MaxValue, _uncommitted);
        _uncommitted = new List<Batch<T>>();
    }

    public void SnapshotState(long checkpointId, Stream output)
    {
        if (!_exactlyOnce) return;
        if (_uncommitted.Count > 0)
        {
            _byCheckpoint[checkpointId] = _uncommitted;
            _uncommitted = new List<Batch<T>>();
        }
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(StateVersion);
        w.Write(_byCheckpoint.Count);
        foreach (var (id, batches) in _byCheckpoint)
        {
            w.Write(id);
            w.Write(batches.Count);
            foreach (var b in batches)
            {
                var bytes = State.MessagePackStateSerializer.Instance.Serialize((b.ValueSpan.ToArray(), b.Timestamps.AsSpan(0, b.Count).ToArray()));
                w.Write(bytes.Length);
                w.Write(bytes);
            }
        }
    }

    public void NotifyCheckpointComplete(long checkpointId) => ReleaseUpTo(checkpointId);

    /// <summary>The restored checkpoint is complete: what it held goes out now (what the reader has not seen of it).</summary>
    public void RestoreState(Stream input)
    {
        if (!_exactlyOnce || input.Length == 0) return;
        using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        var version = r.ReadByte();
        if (version != StateVersion)
            throw new InvalidDataException($"the checkpointed results of a collect sink have state version {version}; this engine reads version {StateVersion}");
        var epochs = r.ReadInt32();
        for (var e = 0; e < epochs; e++)
        {
            var id = r.ReadInt64();
            var batches = new List<Batch<T>>();
            for (var n = r.ReadInt32(); n > 0; n--)
            {
                var (values, timestamps) = State.MessagePackStateSerializer.Instance.Deserialize<(T[], long[])>(r.ReadBytes(r.ReadInt32()));
                batches.Add(new Batch<T>(values, timestamps, values.Length));
            }
            _byCheckpoint[id] = batches;
        }
        ReleaseUpTo(long.MaxValue - 1);
    }

    private void ReleaseUpTo(long checkpointId)
    {
        foreach (var id in _byCheckpoint.Keys.Where(k => k <= checkpointId).ToList())
        {
            Release(id, _byCheckpoint[id]);
            _byCheckpoint.Remove(id);
        }
    }

    private void Release(long epoch, List<Batch<T>> batches)
    {
        if (_channel.Released.Shown(_subtask, epoch)) return;
        foreach (var b in batches) _channel.Write(b, _cancel);
        _channel.Released.MarkShown(_subtask, epoch);
    }
}
