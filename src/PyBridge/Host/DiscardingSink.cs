using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Records;

namespace PyFlow.Host;

/// <summary>
/// The <c>sink.discard</c> node (Python <c>DiscardingSink</c>, a PyFlow extension named after Flink's):
/// drops every batch without reading it, so a wire-form batch from a Python worker is never decoded.
/// The job's metrics still count the records it receives.
/// </summary>
internal sealed class DiscardingSink : IBatchConsumer<PyRecord>
{
    public void Push(Batch<PyRecord> batch) { }
    public void Watermark(long watermark) { }
    public void EndOfInput() { }
}
