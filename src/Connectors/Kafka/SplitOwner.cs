using System.Text;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// Which subtask reads a partition: Flink's KafkaSourceEnumerator rule, so partitions of a topic spread
/// round-robin over the readers from a start that depends on the topic:
/// <c>((hash(topic) * 31) &amp; 0x7FFFFFFF + partition) % parallelism</c>. The hash is Java's
/// <c>String.hashCode</c>, stable across processes (unlike .NET's).
/// </summary>
internal static class SplitOwner
{
    public static int Of(string topic, int partition, int parallelism)
    {
        var start = (JavaHash(topic) * 31) & 0x7FFFFFFF;
        return (int)((start + (long)partition) % parallelism);
    }

    private static int JavaHash(string s)
    {
        var h = 0;
        foreach (var c in s) h = unchecked(31 * h + c);
        return h;
    }
}
