using Confluent.Kafka;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// Where a Kafka source starts reading a partition, or where a bounded one stops (Flink's
/// <c>OffsetsInitializer</c>): the earliest or latest offset, the consumer group's committed offset,
/// the first offset at or after a timestamp, or given offsets.
/// </summary>
public abstract class OffsetsInitializer
{
    private protected OffsetsInitializer() { }

    /// <summary>The first offset still in the partition.</summary>
    public static OffsetsInitializer Earliest() => new Fixed(Offset.Beginning, "earliest");

    /// <summary>The offset after the last record now in the partition.</summary>
    public static OffsetsInitializer Latest() => new Fixed(Offset.End, "latest");

    /// <summary>The group's committed offset; a partition without one starts at <paramref name="reset"/> (earliest by default).</summary>
    public static OffsetsInitializer Committed(OffsetResetStrategy reset = OffsetResetStrategy.Earliest) => new CommittedOffsets(reset);

    /// <summary>The first record whose timestamp is at or after <paramref name="timestampMs"/>; latest if there is none.</summary>
    public static OffsetsInitializer Timestamp(long timestampMs) => new AtTimestamp(timestampMs);

    /// <summary>Given offsets; a partition not listed starts at <paramref name="reset"/>.</summary>
    public static OffsetsInitializer Offsets(IReadOnlyDictionary<TopicPartition, long> offsets, OffsetResetStrategy reset = OffsetResetStrategy.Earliest) =>
        new Given(offsets, reset);

    /// <summary>True when resolving needs a consumer group (committed offsets).</summary>
    internal virtual bool NeedsGroup => false;

    /// <summary>Concrete offsets (never the logical Beginning/End) for <paramref name="partitions"/>.</summary>
    internal abstract IReadOnlyDictionary<TopicPartition, long> Resolve(IReadOnlyList<TopicPartition> partitions, KafkaClients clients);

    private static long Resolve(TopicPartition tp, Offset logical, KafkaClients clients)
    {
        var marks = clients.WatermarkOffsets(tp);
        return logical == Offset.Beginning ? marks.Low.Value : marks.High.Value;
    }

    private sealed class Fixed(Offset logical, string name) : OffsetsInitializer
    {
        internal override IReadOnlyDictionary<TopicPartition, long> Resolve(IReadOnlyList<TopicPartition> partitions, KafkaClients clients) =>
            partitions.ToDictionary(tp => tp, tp => Resolve(tp, logical, clients));

        public override string ToString() => name;
    }

    private sealed class CommittedOffsets(OffsetResetStrategy reset) : OffsetsInitializer
    {
        internal override bool NeedsGroup => true;

        internal override IReadOnlyDictionary<TopicPartition, long> Resolve(IReadOnlyList<TopicPartition> partitions, KafkaClients clients)
        {
            var committed = clients.Committed(partitions);
            return partitions.ToDictionary(tp => tp, tp => committed.TryGetValue(tp, out var o) && o >= 0 ? o : Resolve(tp, reset.ToLogical(), clients));
        }
    }

    private sealed class AtTimestamp(long timestampMs) : OffsetsInitializer
    {
        internal override IReadOnlyDictionary<TopicPartition, long> Resolve(IReadOnlyList<TopicPartition> partitions, KafkaClients clients)
        {
            var found = clients.OffsetsForTimestamp(partitions, timestampMs);
            return partitions.ToDictionary(tp => tp, tp => found.TryGetValue(tp, out var o) && o >= 0 ? o : Resolve(tp, Offset.End, clients));
        }
    }

    private sealed class Given(IReadOnlyDictionary<TopicPartition, long> offsets, OffsetResetStrategy reset) : OffsetsInitializer
    {
        internal override IReadOnlyDictionary<TopicPartition, long> Resolve(IReadOnlyList<TopicPartition> partitions, KafkaClients clients) =>
            partitions.ToDictionary(tp => tp, tp => offsets.TryGetValue(tp, out var o) ? o : Resolve(tp, reset.ToLogical(), clients));
    }
}

/// <summary>Where a partition without a committed or given offset starts.</summary>
public enum OffsetResetStrategy
{
    Earliest,
    Latest,
}

internal static class OffsetResetStrategyExtensions
{
    public static Offset ToLogical(this OffsetResetStrategy s) => s == OffsetResetStrategy.Latest ? Offset.End : Offset.Beginning;
}
