namespace PyFlow.Engine.Api;

/// <summary>
/// Names a side output of type <typeparamref name="T"/> (Flink's OutputTag). Two tags are the
/// same side output when their ids are equal.
/// </summary>
public sealed class OutputTag<T> : IEquatable<OutputTag<T>>
{
    public OutputTag(string id)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("an output tag needs a non-empty id", nameof(id));
        Id = id;
    }

    public string Id { get; }

    public bool Equals(OutputTag<T>? other) => other != null && other.Id == Id;
    public override bool Equals(object? obj) => obj is OutputTag<T> t && Equals(t);
    public override int GetHashCode() => HashCode.Combine(Id, typeof(T));
    public override string ToString() => $"OutputTag<{typeof(T).Name}>({Id})";
}
