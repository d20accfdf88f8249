using Confluent.Kafka;

namespace PyFlow.Connectors.Kafka;

/// <summary>
/// Turns a Kafka record into a <typeparamref name="T"/>, or returns false to skip it (a record a format
/// was told to ignore, as Flink's <c>ignore-parse-errors</c>); throwing fails the job with the record's position.
/// </summary>
public delegate bool TryDeserializer<T>(ConsumeResult<byte[], byte[]> record, out T value);
