using PyFlow.Engine.Runtime;
using PyFlow.Engine.Sources;

namespace PyFlow.Engine.Tests.Connectors;

/// <summary>Keeps what a source reader emits, for tests that poll a reader directly.</summary>
public sealed class ListConsumer<T> : IBatchConsumer<T>
{
    public List<T> Values { get; } = new();
    public int Batches { get; private set; }

    public void Push(Batch<T> batch)
    {
        Batches++;
        for (var i = 0; i < batch.Count; i++) Values.Add(batch.Values[i]);
    }

    public void Watermark(long watermark) { }
    public void EndOfInput() { }

    /// <summary>An output for a reader, flushed into this list after each poll as the subtask does.</summary>
    internal (SourceOutput<T> Output, Func<ISourceReader<T>, SourceStatus> Poll) Output(int batchSize = 1024)
    {
        var output = new SourceOutput<T>(this, batchSize, SideOutputs.None);
        return (output, reader =>
        {
            var status = reader.Poll(output);
            output.Flush();
            return status;
        });
    }
}
