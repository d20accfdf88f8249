namespace PyFlow.Engine.State;

/// <summary>Makes the keyed state backend of each keyed operator subtask: the job's state backend choice.</summary>
public interface IStateBackendFactory
{
    IKeyedStateBackend<TKey> Create<TKey>(string operatorName, int subtaskIndex, TimeProvider clock) where TKey : notnull;
}

/// <summary>Keyed state on the managed heap (the default).</summary>
public sealed class HeapStateBackendFactory : IStateBackendFactory
{
    public static readonly HeapStateBackendFactory Instance = new();

    public IKeyedStateBackend<TKey> Create<TKey>(string operatorName, int subtaskIndex, TimeProvider clock) where TKey : notnull =>
        new HeapKeyedStateBackend<TKey>(clock);
}
