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
        var keyGroup = KeyGroups.Of(StableKeyHash.Of(_keySelector(value)), _maxParallelism);
        return KeyGroups.Subtask(keyGroup, _maxParallelism, numChannels);
    }

    public IPartitioner<T> CreateForSubtask(int subtaskIndex, int numProducers) => this;
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

    public IPartitioner<T> CreateForSubtask(int subtaskIndex, int numProducers) => new RebalancePartitioner<T> { _next = subtaskIndex };
}

/// <summary>Every record to every downstream subtask.</summary>
public sealed class BroadcastPartitioner<T> : IPartitioner<T>
{
    public int SelectChannel(T value, int numChannels) => throw new InvalidOperationException("broadcast selects all channels");
    public bool IsBroadcast => true;
    public IPartitioner<T> CreateForSubtask(int subtaskIndex, int numProducers) => this;
}

/// <summary>Subtask i to subtask i; only between operators of equal parallelism.</summary>
public sealed class ForwardPartitioner<T> : IPartitioner<T>
{
    private int _channel;
    public int SelectChannel(T value, int numChannels) => _channel;
    public IPartitioner<T> CreateForSubtask(int subtaskIndex, int numProducers) => new ForwardPartitioner<T> { _channel = subtaskIndex };
}

/// <summary>
/// Round robin over a subset of the downstream subtasks (Flink's rescale): each producer feeds
/// only the consumers "below" it, so fewer channels are used than with rebalance.
/// </summary>
public sealed class RescalePartitioner<T> : IPartitioner<T>
{
    private int _producer;
    private int _producers = 1;
    private int _next;

    public int SelectChannel(T value, int numChannels)
    {
        // Producer i feeds consumers [i*n/p, (i+1)*n/p), or channel i*n/p when there are more producers than consumers.
        var first = _producer * numChannels / _producers;
        var last = Math.Max(first + 1, (_producer + 1) * numChannels / _producers);
        var channel = first + _next % (last - first);
        _next++;
        return channel;
    }

    public IPartitioner<T> CreateForSubtask(int subtaskIndex, int numProducers) => new RescalePartitioner<T> { _producer = subtaskIndex, _producers = numProducers };
}

/// <summary>A uniformly random downstream subtask for each record (Flink's shuffle).</summary>
public sealed class ShufflePartitioner<T> : IPartitioner<T>
{
    private readonly Random _random;

    public ShufflePartitioner() : this(new Random()) { }
    private ShufflePartitioner(Random random) => _random = random;

    public int SelectChannel(T value, int numChannels) => _random.Next(numChannels);

    public IPartitioner<T> CreateForSubtask(int subtaskIndex, int numProducers) => new ShufflePartitioner<T>(new Random(HashCode.Combine(subtaskIndex, Environment.TickCount)));
}

/// <summary>The user's partitioner on a key (Flink's partitionCustom): <c>partition(key, numPartitions)</c>.</summary>
public sealed class CustomPartitioner<T, TKey> : IPartitioner<T>
{
    private readonly Func<TKey, int, int> _partition;
    private readonly Func<T, TKey> _key;

    public CustomPartitioner(Func<TKey, int, int> partition, Func<T, TKey> key)
    {
        _partition = partition;
        _key = key;
    }

    public int SelectChannel(T value, int numChannels)
    {
        var channel = _partition(_key(value), numChannels);
        if (channel < 0 || channel >= numChannels)
            throw new ArgumentOutOfRangeException(nameof(value), channel, $"the custom partitioner chose partition {channel} for {value}; it must be in [0, {numChannels})");
        return channel;
    }

    public IPartitioner<T> CreateForSubtask(int subtaskIndex, int numProducers) => this;
}
