using PyFlow.Engine.State;
using PyFlow.Engine.Timers;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// The snapshot of a keyed operator: its keyed state backend (heap: the typed tables; RocksDB:
/// a full scan under one RocksDB snapshot, so it is consistent) and its timers. Windows keep
/// their contents in keyed state, so this covers them too.
/// </summary>
/// <remarks>Layout: i32 length + backend snapshot, then i32 length + timers (MessagePack).</remarks>
internal static class KeyedOperatorState
{
    public static void Write<TKey>(Stream output, IKeyedStateBackend<TKey> state, InternalTimerService<TKey>? timers) where TKey : notnull
    {
        WriteBlock(output, s => state.Snapshot(s));
        WriteBlock(output, s => timers?.Snapshot(s));
    }

    public static void Read<TKey>(Stream input, IKeyedStateBackend<TKey> state, InternalTimerService<TKey>? timers) where TKey : notnull
    {
        state.Restore(ReadBlock(input));
        var t = ReadBlock(input);
        if (timers != null && t.Length > 0) timers.Restore(t);
    }

    private static void WriteBlock(Stream output, Action<Stream> write)
    {
        using var ms = new MemoryStream();
        write(ms);
        output.Write(BitConverter.GetBytes((int)ms.Length));
        ms.Position = 0;
        ms.CopyTo(output);
    }

    private static MemoryStream ReadBlock(Stream input)
    {
        var header = new byte[4];
        input.ReadExactly(header);
        var bytes = new byte[BitConverter.ToInt32(header)];
        input.ReadExactly(bytes);
        return new MemoryStream(bytes, writable: false);
    }
}
