using RocksDbSharp;

namespace PyFlow.Engine.State.RocksDb;

/// <summary>
/// The merge operator of list state: a list value is its framed elements one after another
/// (<see cref="StateValueCodec"/>), so merging is concatenation, and ListState.Add writes its
/// element without reading the list (Flink uses RocksDB's StringAppendOperator the same way).
/// RocksDB calls it on reads and in background compactions, on its own threads: it only copies
/// bytes and never throws.
/// </summary>
/// <remarks>
/// TTL needs nothing here: each element keeps its own stamp, and reads drop expired elements
/// (Flink's TtlListState does the same, per element).
/// </remarks>
internal static class ListMergeOperator
{
    /// <summary>Stored in the column family options; the name is checked by RocksDB when a database is reopened.</summary>
    public const string Name = "pyflow.list-append";

    public static MergeOperator Create() => MergeOperators.Create(Name, PartialMerge, FullMerge);

    private static byte[] FullMerge(ReadOnlySpan<byte> key, bool hasExisting, ReadOnlySpan<byte> existing,
        MergeOperators.OperandsEnumerator operands, out bool success)
    {
        var length = hasExisting ? existing.Length : 0;
        for (int i = 0; i < operands.Count; i++) length += operands.Get(i).Length;
        var merged = new byte[length];
        var at = 0;
        if (hasExisting)
        {
            existing.CopyTo(merged);
            at = existing.Length;
        }
        AppendOperands(operands, merged, at);
        success = true;
        return merged;
    }

    private static byte[] PartialMerge(ReadOnlySpan<byte> key, MergeOperators.OperandsEnumerator operands, out bool success)
    {
        var length = 0;
        for (int i = 0; i < operands.Count; i++) length += operands.Get(i).Length;
        var merged = new byte[length];
        AppendOperands(operands, merged, 0);
        success = true;
        return merged;
    }

    private static void AppendOperands(MergeOperators.OperandsEnumerator operands, byte[] into, int at)
    {
        for (int i = 0; i < operands.Count; i++)
        {
            var operand = operands.Get(i);
            operand.CopyTo(into.AsSpan(at));
            at += operand.Length;
        }
    }
}
