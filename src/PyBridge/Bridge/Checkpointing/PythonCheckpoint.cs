using PyFlow.Engine.State;
using PyFlow.Engine.Timers;
using PyFlow.PyBridge.Records;

namespace PyFlow.PyBridge.Checkpointing;

/// <summary>
/// The snapshot blob of a Python operator. Workers keep nothing between calls, so the engine's state is
/// all of it: a stateless operator (a map chain, a non-keyed co-process) writes nothing; a keyed one
/// writes its one value state (a reduce's accumulator, a process function's pickled state) per key,
/// then its timers.
/// </summary>
/// <remarks>
/// Layout: <c>u8 1</c> (format), <c>i32 count</c>, per key <c>i32 n</c> + key bytes + <c>i32 n</c> +
/// value bytes, then <c>i32 n</c> + the timers (<see cref="InternalTimerService{TKey}.Snapshot"/>; n = 0
/// for none), then the state descriptors the function declared (<see cref="StateDescriptorInfo.Write"/>;
/// format 2 added them, so a restore can refuse a job that declares a state otherwise). Written here rather than through the backend's generic snapshot, whose typeless
/// MessagePack names the key type in every entry: for 100k keys of small pickles that was 28 MB and
/// up to 0.8 s of the subtask's time per checkpoint; this form is the bytes themselves. The same for
/// both backends (RocksDB is read key by key under its current state, which only this thread writes).
/// </remarks>
internal static class PythonCheckpoint
{
    private const byte Format = 2;

    public static void Write<T>(Stream output, IKeyedStateBackend<KeyBytes>? backend, IValueState<T>? state, string stateName,
        Func<T, byte[]> toBytes, InternalTimerService<KeyBytes>? timers, IReadOnlyCollection<StateDescriptorInfo>? descriptors = null)
    {
        if (backend == null || state == null) return;
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Format);
        var keys = backend.Keys(stateName, VoidNamespace.Instance);
        var entries = new List<(byte[] Key, byte[] Value)>(keys.Count);
        foreach (var key in keys)
        {
            backend.SetCurrentKey(key);
            if (state.TryGetValue(out var value)) entries.Add((key.Bytes, toBytes(value)));
        }
        w.Write(entries.Count);
        foreach (var (key, value) in entries)
        {
            w.Write(key.Length);
            w.Write(key);
            w.Write(value.Length);
            w.Write(value);
        }
        using var t = new MemoryStream();
        timers?.Snapshot(t);
        w.Write((int)t.Length);
        w.Write(t.GetBuffer(), 0, (int)t.Length);
        StateDescriptorInfo.Write(w, descriptors ?? Array.Empty<StateDescriptorInfo>());
    }

    /// <summary>Restores what <see cref="Write{T}"/> wrote and returns its state descriptors; an empty blob (a stateless operator's) restores nothing.</summary>
    public static IReadOnlyList<StateDescriptorInfo> Read<T>(Stream input, IKeyedStateBackend<KeyBytes>? backend, IValueState<T>? state, Func<byte[], T> fromBytes,
        InternalTimerService<KeyBytes>? timers)
    {
        if (input.Length == 0) return Array.Empty<StateDescriptorInfo>();
        if (backend == null || state == null)
            throw new InvalidDataException("the checkpoint holds keyed state for a Python operator that has none now: was the job changed since the checkpoint?");
        using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        var format = r.ReadByte();
        if (format != Format) throw new InvalidDataException($"Python operator state of format {format}; this engine reads format {Format}");
        var count = r.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            backend.SetCurrentKey(new KeyBytes(ReadBlock(r)));
            state.Update(fromBytes(ReadBlock(r)));
        }
        var timerBytes = ReadBlock(r);
        if (timerBytes.Length > 0)
        {
            if (timers == null) throw new InvalidDataException("the checkpoint holds timers for a Python operator that has none now: was the job changed since the checkpoint?");
            timers.Restore(new MemoryStream(timerBytes, writable: false));
        }
        return StateDescriptorInfo.Read(r);
    }

    private static byte[] ReadBlock(BinaryReader r)
    {
        var n = r.ReadInt32();
        if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"Python operator state: a block of {n} bytes where {r.BaseStream.Length - r.BaseStream.Position} remain");
        return r.ReadBytes(n);
    }
}
