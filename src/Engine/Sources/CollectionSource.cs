using PyFlow.Engine.Runtime;

namespace PyFlow.Engine.Sources;

/// <summary>A bounded, non-parallel source over an in-memory list (Flink's <c>fromCollection</c>).</summary>
public sealed class CollectionSource<T> : ISource<T>
{
    private readonly IReadOnlyList<T> _items;

    public CollectionSource(IReadOnlyList<T> items) => _items = items;

    public int MaxParallelism => 1;

    public ISourceReader<T> CreateReader(int subtaskIndex, int parallelism) => new Reader(_items);

    private sealed class Reader : ISourceReader<T>, Checkpointing.ICheckpointedSourceReader
    {
        private readonly IReadOnlyList<T> _items;
        private int _next;

        public Reader(IReadOnlyList<T> items) => _items = items;

        public SourceStatus Poll(SourceOutput<T> output)
        {
            for (var room = output.Room; room > 0 && _next < _items.Count; room--)
                output.Collect(_items[_next++], Batch<T>.NoTimestamp);
            return _next < _items.Count ? SourceStatus.MoreAvailable : SourceStatus.End;
        }

        /// <summary>The position is the index of the next item.</summary>
        public void SnapshotPosition(Stream output) => output.Write(BitConverter.GetBytes(_next));

        public void RestorePosition(Stream input)
        {
            var b = new byte[4];
            input.ReadExactly(b);
            _next = BitConverter.ToInt32(b);
        }

        public void Dispose() { }
    }
}
