namespace PyFlow.Engine.Checkpointing;

/// <summary>
/// An operator with state to keep across failures. All calls come from its subtask's thread.
/// <see cref="RestoreState"/> comes before <c>Open</c>, and only when the job starts from a
/// checkpoint that holds state of this operator.
/// </summary>
/// <remarks>
/// At a checkpoint the subtask calls, for every operator of its chain from head to tail,
/// <see cref="PrepareSnapshotPreBarrier"/> (emit what is buffered: a Python bundle, say, so
/// it travels before the barrier), then sends the barrier downstream, then calls
/// <see cref="SnapshotState"/>. <see cref="NotifyCheckpointComplete"/> comes once the whole
/// checkpoint is durable (the moment a two-phase sink commits).
/// </remarks>
public interface ICheckpointedOperator
{
    /// <summary>Emits everything buffered, before the barrier leaves the subtask.</summary>
    void PrepareSnapshotPreBarrier(long checkpointId) { }

    /// <summary>Writes the operator's whole state (keyed state, timers, anything else) to <paramref name="output"/>.</summary>
    void SnapshotState(long checkpointId, Stream output);

    /// <summary>Checkpoint <paramref name="checkpointId"/> (and every one before it) is complete and durable.</summary>
    void NotifyCheckpointComplete(long checkpointId) { }

    /// <summary>Replaces the operator's state with what <see cref="SnapshotState"/> wrote. Called before Open.</summary>
    void RestoreState(Stream input);
}

/// <summary>A source reader that can rewind: it saves its position and starts again from a saved one.</summary>
public interface ICheckpointedSourceReader
{
    /// <summary>Writes the position of the next record the reader would emit.</summary>
    void SnapshotPosition(Stream output);

    /// <summary>Continues from a position <see cref="SnapshotPosition"/> wrote. Called before the first poll.</summary>
    void RestorePosition(Stream input);
}
