using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Records;

namespace PyFlow.Host;

/// <summary>
/// The end of a <c>sink.python</c> chain: the Python <c>sink</c> stage has already handed every record to
/// the user's SinkFunction and outputs none, so there is nothing to write.
/// </summary>
internal sealed class DiscardingConsumer : IBatchConsumer<PyRecord>
{
    public void Push(Batch<PyRecord> batch) { }
    public void Watermark(long watermark) { }
    public void EndOfInput() { }
}
