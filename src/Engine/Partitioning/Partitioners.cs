namespace PyFlow.Engine.Partitioning;

/// <summary>Sends each record to the subtask owning its key's key group.</summary>
public sealed class KeyGroupPartitioner<T, TKey> : IPartitioner<T> where TKey : notnull
{
    private readonly Func<T, TKey> _keySelector;
    private readonly int _maxParallelism;

    public KeyGroupPartitioner(Func<T, TKey> keySelector, int maxParallelism)
    {
        _keySelector = keySelector;
        _maxParallelism = maxParallelism;
    }

    public int SelectChannel(T value, int numChannels)
    {
        var keyGroup = KeyGroups.Of(EqualityComparer<TKey>.Default.GetHashCode(_keySelector(value)), _maxParallelism);
        return KeyGroups.Subtask(keyGroup, _maxParallelism, numChannels);
    }

    public IPartitioner<T> CreateForSubtask(int subtaskIndex) => this;
}

/// <summary>Round robin over all downstream subtasks, starting at the producer's index.</summary>
public sealed class RebalancePartitioner<T> : IPartitioner<T>
{
    private int _next;

    public int SelectChannel(T value, int numChannels)
    {
        var channel = _next % numChannels;
        _next = channel + 1;
        return channel;
    }

    public IPartitioner<T> CreateForSubtask(int subtaskIndex) => new RebalancePartitioner<T> { _next = subtaskIndex };
}

/// <summary>Every record to every downstream subtask.</summary>
public sealed class BroadcastPartitioner<T> : IPartitioner<T>
{
    public int SelectChannel(T value, int numChannels) => throw new InvalidOperationException("broadcast selects all channels");
    public bool IsBroadcast => true;
    public IPartitioner<T> CreateForSubtask(int subtaskIndex) => this;
}

/// <summary>Subtask i to subtask i; only between operators of equal parallelism.</summary>
public sealed class ForwardPartitioner<T> : IPartitioner<T>
{
    private int _channel;
    public int SelectChannel(T value, int numChannels) => _channel;
    public IPartitioner<T> CreateForSubtask(int subtaskIndex) => new ForwardPartitioner<T> { _channel = subtaskIndex };
}
