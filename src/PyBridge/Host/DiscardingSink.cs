using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Records;

namespace PyFlow.Host;

/// <summary>
/// Drops every batch without reading it, so a wire-form batch from a Python worker is never decoded:
/// the <c>sink.discard</c> node (Python <c>DiscardingSink</c>, a PyFlow extension named after Flink's),
/// and the end of a <c>sink.python</c> chain, whose Python <c>sink</c> stage has already handed every
/// record to the user's SinkFunction and outputs none. The job's metrics still count what it receives.
/// </summary>
internal sealed class DiscardingSink : IBatchConsumer<PyRecord>
{
    public void Push(Batch<PyRecord> batch) { }
    public void Watermark(long watermark) { }
    public void EndOfInput() { }
}
