namespace PyFlow.Engine.Partitioning;

/// <summary>Chooses which downstream subtask gets a record.</summary>
public interface IPartitioner<T>
{
    /// <summary>Channel in [0, <paramref name="numChannels"/>) for <paramref name="value"/>.</summary>
    int SelectChannel(T value, int numChannels);

    /// <summary>True when every record goes to every channel.</summary>
    bool IsBroadcast => false;

    /// <summary>A fresh instance for one of <paramref name="numProducers"/> producing subtasks (partitioners may keep a cursor).</summary>
    IPartitioner<T> CreateForSubtask(int subtaskIndex, int numProducers);
}
