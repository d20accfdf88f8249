using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Wire;

namespace PyFlow.PyBridge.Operators;

/// <summary>
/// Names the largest record of a batch too large for one frame to a worker (<c>pyflow.frame.max-size</c>).
/// Sizes are measured only on that error: strings and bytes by their encoded length, nested values by their parts.
/// </summary>
internal static class BatchSizeReport
{
    public static void Check(string op, byte[] payload, ReadOnlySpan<PyRecord> records, int maxFrame)
    {
        if (payload.Length + 1 <= maxFrame) return;
        var (largest, size) = (0, -1L);
        for (var i = 0; i < records.Length; i++)
        {
            var s = Size(records[i].Reference);
            if (s > size) (largest, size) = (i, s);
        }
        var text = records.Length == 0 ? "" : records[largest].ToString();
        FrameLimit.Check(payload.Length, maxFrame,
            $"operator '{op}': one batch of {records.Length} records for its Python worker (its largest, number {largest}, is about {size} bytes: " +
            $"'{(text.Length > 60 ? text[..60] + "..." : text)}')",
            "lower python.fn-execution.arrow.batch.size (records per batch), or make the records smaller");
    }

    private static long Size(object? value) => value switch
    {
        string s => System.Text.Encoding.UTF8.GetByteCount(s),
        byte[] b => b.Length,
        PyRecord[] parts => parts.Sum(p => Size(p.Reference) + 8),
        _ => 8,
    };
}
