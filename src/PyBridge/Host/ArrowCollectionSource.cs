using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;

namespace PyFlow.Host;

/// <summary>
/// The source of a <c>source.collection</c> node: bounded and non-parallel, like Flink's
/// fromCollection; it rewinds to a checkpoint (its position is the next chunk). Each record batch of the plan's Arrow stream becomes one engine batch that
/// keeps its Arrow form, so a Python operator downstream gets it without the host decoding
/// or re-encoding a record; anything else that reads the records decodes them then.
/// </summary>
internal sealed class ArrowCollectionSource : ISource<PyRecord>
{
    private readonly IReadOnlyList<(ArrowWire Wire, int Rows)> _chunks;

    public ArrowCollectionSource(IReadOnlyList<(ArrowWire Wire, int Rows)> chunks) => _chunks = chunks;

    public int MaxParallelism => 1;

    public ISourceReader<PyRecord> CreateReader(int subtaskIndex, int parallelism) => new Reader(_chunks);

    /// <summary>Splits a collection's Arrow stream into one wire-form chunk per record batch, checking each.</summary>
    public static ArrowCollectionSource FromStream(byte[] stream, PyType type, string what)
    {
        var chunks = new List<(ArrowWire, int)>();
        foreach (var batch in ArrowIpc.ReadAll(stream, what))
        {
            using (batch)
            {
                var column = ArrowIpc.Column(batch, "v", what);
                if (column.Data.DataType.TypeId != type.ArrowType.TypeId)
                    throw new InvalidDataException($"{what}: expected a column of {type.Name} ({type.ArrowType.Name}), got {column.Data.DataType.Name}");
                chunks.Add((new ArrowWire(ArrowIpc.Write(batch), type, HasTimestamps: false, HasKeys: false), batch.Length));
            }
        }
        return new ArrowCollectionSource(chunks);
    }

    private sealed class Reader : ISourceReader<PyRecord>, PyFlow.Engine.Checkpointing.ICheckpointedSourceReader
    {
        private readonly IReadOnlyList<(ArrowWire Wire, int Rows)> _chunks;
        private int _next;

        public Reader(IReadOnlyList<(ArrowWire Wire, int Rows)> chunks) => _chunks = chunks;

        public SourceStatus Poll(SourceOutput<PyRecord> output)
        {
            if (_next < _chunks.Count)
            {
                var (wire, rows) = _chunks[_next++];
                output.Emit(new Batch<PyRecord>(rows, wire, () => Decode(wire)));
            }
            return _next < _chunks.Count ? SourceStatus.MoreAvailable : SourceStatus.End;
        }

        public void Dispose() { }

        /// <summary>The position is the index of the next chunk: a checkpoint comes between two polls, each of which emits one whole chunk.</summary>
        public void SnapshotPosition(Stream output) => output.Write(BitConverter.GetBytes(_next));

        public void RestorePosition(Stream input)
        {
            var b = new byte[4];
            input.ReadExactly(b);
            var next = BitConverter.ToInt32(b);
            if (next < 0 || next > _chunks.Count)
                throw new InvalidDataException($"the checkpoint puts the collection source at chunk {next}, but it has {_chunks.Count}: was the collection changed since the checkpoint?");
            _next = next;
        }

        private static (PyRecord[], long[]) Decode(ArrowWire wire)
        {
            using var batch = ArrowIpc.ReadSingle(wire.Payload, "collection chunk");
            return ColumnCodec.ReadRecords(batch, wire.Type, "collection chunk");
        }
    }
}
