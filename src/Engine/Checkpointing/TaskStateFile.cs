using System.Text;

namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// The part of a checkpoint one subtask writes: a named blob per stateful piece of its chain
/// (<c>source</c> for the reader's position, <c>op{n}</c> for the n-th node of the chain).
/// </summary>
/// <remarks>
/// Layout, little-endian: <c>"PFTS"</c>, u32 format version (1), u32 count, then per entry
/// a length-prefixed UTF-8 name and an i32-length-prefixed blob. Integrity is checked by the
/// SHA-256 the metadata holds, not here.
/// </remarks>
internal static class TaskStateFile
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "PFTS"u8.ToArray();

    public static byte[] Encode(IReadOnlyDictionary<string, byte[]> entries)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write((uint)FormatVersion);
            w.Write((uint)entries.Count);
            foreach (var (name, blob) in entries)
            {
                w.Write(name);
                w.Write(blob.Length);
                w.Write(blob);
            }
        }
        return ms.ToArray();
    }

    public static Dictionary<string, byte[]> Decode(byte[] bytes, string what)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (!r.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a task state file");
            var version = r.ReadUInt32();
            if (version != FormatVersion) throw new InvalidDataException($"task state format {version}, this engine reads {FormatVersion}");
            var count = r.ReadUInt32();
            var entries = new Dictionary<string, byte[]>();
            for (var i = 0; i < count; i++)
            {
                var name = r.ReadString();
                var length = r.ReadInt32();
                var blob = r.ReadBytes(length);
                if (blob.Length != length) throw new EndOfStreamException();
                entries[name] = blob;
            }
            return entries;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new CorruptCheckpointException($"{what} is damaged: {e.Message}", e);
        }
    }
}

/// <summary>A checkpoint that cannot be used: incomplete, damaged, or of another format or job.</summary>
public sealed class CorruptCheckpointException : Exception
{
    public CorruptCheckpointException(string message, Exception? inner = null) : base(message, inner) { }
}
