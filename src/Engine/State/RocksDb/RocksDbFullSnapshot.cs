using System.Buffers.Binary;
using System.Text;
using RocksDbSharp;
using NativeDb = RocksDbSharp.RocksDb;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// A full snapshot: every entry of every state, copied as stored bytes, key group by key group
/// (Flink's full RocksDB snapshot, before incremental checkpoints):
/// <code>
/// u32 magic "PFRS" | u32 version | u16 key groups | varint state count | state names (length-prefixed UTF-8)
/// per key group with entries:  u8 1 | u16 key group | (varint state index + 1 | varint length | key | varint length | value)* | varint 0
/// u8 0
/// </code>
/// Entries are read at one RocksDB snapshot, so the copy is consistent even if the database
/// flushes or compacts meanwhile. A later rescaling restore reads only the key groups it owns.
/// </summary>
/// <remarks>
/// For checkpoints (issue 7) the model is RocksDB's own checkpoint: hard links to the immutable
/// table files plus a copy of the manifest, taken in milliseconds and uploaded file by file, and
/// incremental by sharing files already uploaded. The .NET binding exposes it:
/// <c>RocksDb.Checkpoint()</c> returns a <c>RocksDbSharp.Checkpoint</c> whose <c>Save(dir, logSizeForFlush)</c>
/// writes one (log size 0 flushes the memtables first, which our disabled WAL needs).
/// </remarks>
internal static class RocksDbFullSnapshot
{
    private const uint Magic = 0x50465253; // "PFRS"
    private const uint Version = 1;
    private const byte KeyGroupMarker = 1;
    private const byte EndMarker = 0;
    /// <summary>Restore writes batches of this many bytes: large enough to amortize a write, small enough to bound the batch's memory.</summary>
    private const int BatchBytes = 4 << 20;

    public static void Write(NativeDb db, IReadOnlyList<StateColumn> columns, int keyGroups, Stream output)
    {
        using var snapshot = db.CreateSnapshot();
        var read = new ReadOptions().SetSnapshot(snapshot).SetFillCache(false);
        var iterators = columns.Select(c => db.NewIterator(c.Handle, read)).ToArray();
        try
        {
            // Not disposed: that would close the caller's stream. Flushed at the end.
            var buffered = new BufferedStream(output, 1 << 16);
            using (var w = new BinaryWriter(buffered, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(Version);
                w.Write((ushort)keyGroups);
                w.Write7BitEncodedInt(columns.Count);
                foreach (var c in columns) w.Write(c.StateName);
                foreach (var it in iterators) it.SeekToFirst();
                // Keys sort by key group first, so one pass of each iterator serves all key groups in order.
                for (int group = 0; group < keyGroups; group++)
                {
                    var started = false;
                    for (int s = 0; s < iterators.Length; s++)
                    {
                        var it = iterators[s];
                        for (; it.Valid() && KeyGroup(it.GetKeySpan()) == group; it.Next())
                        {
                            if (!started)
                            {
                                w.Write(KeyGroupMarker);
                                w.Write((ushort)group);
                                started = true;
                            }
                            w.Write7BitEncodedInt(s + 1);
                            WriteBytes(w, it.GetKeySpan());
                            WriteBytes(w, it.GetValueSpan());
                        }
                    }
                    if (started) w.Write7BitEncodedInt(0);
                }
                for (int s = 0; s < iterators.Length; s++)
                    if (iterators[s].Valid())
                        throw new InvalidDataException($"state '{columns[s].StateName}' has a key in key group {KeyGroup(iterators[s].GetKeySpan())}, beyond the backend's {keyGroups} key groups: the database was written with a larger RocksDbOptions.MaxParallelism");
                w.Write(EndMarker);
            }
            buffered.Flush();
        }
        finally
        {
            foreach (var it in iterators) it.Dispose();
        }
    }

    /// <summary>Reads and checks the header; the entries follow with <see cref="Reader.CopyEntries"/>.</summary>
    public static Reader OpenReader(Stream input, int keyGroups)
    {
        var r = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
        if ((input.CanSeek && input.Length - input.Position < 10) || r.ReadUInt32() != Magic)
            throw new InvalidDataException("not a snapshot of the RocksDB state backend: each backend restores only its own snapshots (the heap backend writes another format)");
        var version = r.ReadUInt32();
        if (version != Version) throw new InvalidDataException($"RocksDB state snapshot version {version} is unknown to this engine (it reads version {Version})");
        var written = r.ReadUInt16();
        if (written != keyGroups)
            throw new InvalidDataException($"the snapshot has {written} key groups and this backend {keyGroups}: restore with the same RocksDbOptions.MaxParallelism");
        var names = new string[r.Read7BitEncodedInt()];
        for (int i = 0; i < names.Length; i++) names[i] = r.ReadString();
        return new Reader(r, names);
    }

    internal sealed class Reader(BinaryReader r, string[] stateNames)
    {
        public IReadOnlyList<string> StateNames => stateNames;

        /// <summary>Writes every entry into <paramref name="columns"/> (one per name of <see cref="StateNames"/>, in order).</summary>
        public void CopyEntries(NativeDb db, StateColumn[] columns, WriteOptions write)
        {
            using var batch = new WriteBatch();
            long bytes = 0;
            byte marker;
            while ((marker = r.ReadByte()) == KeyGroupMarker)
            {
                var group = r.ReadUInt16();
                int state;
                while ((state = r.Read7BitEncodedInt()) != 0)
                {
                    if (state > columns.Length) throw Corrupt($"an entry names state {state} of {columns.Length}");
                    var key = ReadBytes();
                    var value = ReadBytes();
                    if (key.Length < sizeof(ushort) || BinaryPrimitives.ReadUInt16BigEndian(key) != group)
                        throw Corrupt($"a key in the section of key group {group} belongs elsewhere");
                    batch.Put(key, value, columns[state - 1].Handle);
                    bytes += key.Length + value.Length;
                    if (bytes < BatchBytes) continue;
                    db.Write(batch, write);
                    batch.Clear();
                    bytes = 0;
                }
            }
            if (marker != EndMarker) throw Corrupt($"unexpected byte {marker} between key groups");
            if (batch.Count() > 0) db.Write(batch, write);
        }

        private byte[] ReadBytes()
        {
            var length = r.Read7BitEncodedInt();
            var bytes = r.ReadBytes(length);
            if (bytes.Length != length) throw Corrupt("the stream ends inside an entry");
            return bytes;
        }

        private static InvalidDataException Corrupt(string what) => new($"RocksDB state snapshot is corrupt: {what}");
    }

    private static int KeyGroup(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt16BigEndian(key);

    private static void WriteBytes(BinaryWriter w, ReadOnlySpan<byte> bytes)
    {
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }
}
