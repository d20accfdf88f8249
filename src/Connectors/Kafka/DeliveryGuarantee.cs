namespace PyFlow.Connectors.Kafka;

/// <summary>What a <see cref="KafkaSink{T}"/> promises (Flink's <c>DeliveryGuarantee</c>).</summary>
public enum DeliveryGuarantee
{
    /// <summary>Records are sent and not waited for: a failure may lose or repeat some.</summary>
    None,
    /// <summary>Every checkpoint waits until the brokers have every record sent before it: none lost, some may repeat after a restore.</summary>
    AtLeastOnce,
    /// <summary>Records are written in Kafka transactions committed when the checkpoint completes: each record once, for readers with <c>isolation.level=read_committed</c>.</summary>
    ExactlyOnce,
}
