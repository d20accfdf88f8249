using System.Buffers.Binary;
using PyFlow.Engine.Sinks;

namespace PyFlow.Host;

/// <summary>
/// The RESULTS frames of one sink subtask that the driver may not see yet: with checkpoints, a
/// frame is held until the checkpoint after it completes (Flink's exactly-once collect sink), so a
/// restart, which replays from the last completed checkpoint, never shows a record twice. The end
/// of input releases the rest. Memory: the frames of one checkpoint interval (plus one checkpoint's
/// duration).
/// </summary>
/// <remarks>
/// The frames sealed for checkpoint N are part of N's state (<see cref="Write"/>): the job may fail
/// after N completed but before the completion notice reached this subtask, and then the replay
/// starts after N, so nothing else would bring them back. A restored sink releases them at once
/// (N is complete). Whether the driver got them before the failure is what
/// <see cref="ReleasedEpochs"/> knows, per epoch, so a release is idempotent within a job.
/// </remarks>
internal sealed class HeldResults
{
    private const byte StateVersion = 1;
    private readonly Action<byte[]> _send;
    private readonly ReleasedEpochs _released;
    private readonly int _subtask;
    private readonly SortedDictionary<long, List<byte[]>> _byCheckpoint = new();
    private List<byte[]> _uncommitted = new();

    public HeldResults(Action<byte[]> send, ReleasedEpochs released, int subtask)
    {
        _send = send;
        _released = released;
        _subtask = subtask;
    }

    /// <summary>A frame produced after the last barrier: shown once the next checkpoint completes.</summary>
    public void Add(byte[] payload) => _uncommitted.Add(payload);

    /// <summary>The frames since the previous barrier belong to checkpoint <paramref name="checkpointId"/>.</summary>
    public void Seal(long checkpointId)
    {
        if (_uncommitted.Count == 0) return;
        _byCheckpoint[checkpointId] = _uncommitted;
        _uncommitted = new List<byte[]>();
    }

    /// <summary>Checkpoint <paramref name="checkpointId"/> and all before it are durable: their frames go out.</summary>
    public void Release(long checkpointId)
    {
        foreach (var id in _byCheckpoint.Keys.Where(k => k <= checkpointId).ToList())
        {
            SendOnce(id, _byCheckpoint[id]);
            _byCheckpoint.Remove(id);
        }
    }

    /// <summary>The input ended (no failure can replay it now): everything goes out.</summary>
    public void ReleaseAll()
    {
        Release(long.MaxValue - 1);
        // The end of input is the last epoch: after it, a restart of the job (another subtask failed)
        // replays records this subtask has shown in full, so it shows nothing more.
        SendOnce(long.MaxValue, _uncommitted);
        _uncommitted = new List<byte[]>();
    }

    /// <summary>
    /// Writes the sealed frames not yet released. Layout: u8 version 1, i32 epochs, per epoch
    /// i64 checkpoint id, i32 frames, per frame i32 length and the RESULTS payload.
    /// </summary>
    public void Write(Stream output)
    {
        Span<byte> number = stackalloc byte[8];
        output.WriteByte(StateVersion);
        WriteInt(output, _byCheckpoint.Count);
        foreach (var (id, frames) in _byCheckpoint)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, id);
            output.Write(number);
            WriteInt(output, frames.Count);
            foreach (var f in frames)
            {
                WriteInt(output, f.Length);
                output.Write(f);
            }
        }
    }

    /// <summary>
    /// Takes the frames a completed checkpoint held and releases them (those the driver has not
    /// seen). An empty state (a checkpoint of a sink that held nothing) restores nothing.
    /// </summary>
    public void RestoreAndRelease(Stream input, string sinkName)
    {
        var version = input.ReadByte();
        if (version == -1) return;
        if (version != StateVersion)
            throw new InvalidDataException($"the checkpointed results of sink '{sinkName}' have state version {version}; this engine reads version {StateVersion}: restore with the PyFlow that wrote the checkpoint");
        var epochs = ReadInt(input);
        for (var e = 0; e < epochs; e++)
        {
            var id = BinaryPrimitives.ReadInt64LittleEndian(ReadExactly(input, 8));
            var frames = new List<byte[]>(ReadInt(input));
            for (var f = frames.Capacity; f > 0; f--) frames.Add(ReadExactly(input, ReadInt(input)));
            _byCheckpoint[id] = frames;
        }
        if (_released.TakeFirstRestoreAsShown(_subtask))
        {
            foreach (var id in _byCheckpoint.Keys) _released.MarkShown(_subtask, id);
            _byCheckpoint.Clear();
            return;
        }
        Release(long.MaxValue - 1);
    }

    private void SendOnce(long epoch, List<byte[]> frames)
    {
        if (_released.Shown(_subtask, epoch)) return;
        foreach (var p in frames) _send(p);
        _released.MarkShown(_subtask, epoch);
    }

    private static void WriteInt(Stream output, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        output.Write(b);
    }

    private static int ReadInt(Stream input) => BinaryPrimitives.ReadInt32LittleEndian(ReadExactly(input, 4));

    private static byte[] ReadExactly(Stream input, int count)
    {
        var bytes = new byte[count];
        input.ReadExactly(bytes);
        return bytes;
    }
}
