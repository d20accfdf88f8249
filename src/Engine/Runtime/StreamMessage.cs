namespace PyFlow.Engine.Runtime;

/// <summary>What travels on a channel between two subtasks.</summary>
internal abstract class StreamMessage
{
    /// <summary>Index of the input channel (the producing subtask) within the consumer's gate.</summary>
    public int Channel { get; init; }
}

internal sealed class BatchMessage<T> : StreamMessage
{
    public required Batch<T> Batch { get; init; }
}

internal sealed class WatermarkMessage : StreamMessage
{
    public required long Watermark { get; init; }
}

internal sealed class EndOfInputMessage : StreamMessage
{
}

/// <summary>A checkpoint barrier: everything before it on the channel belongs to checkpoint <see cref="CheckpointId"/>.</summary>
internal sealed class CheckpointBarrierMessage : StreamMessage
{
    public required long CheckpointId { get; init; }

    /// <summary>The in-progress directory of the checkpoint, where each task writes its part.</summary>
    public required string Directory { get; init; }
}

internal sealed class WatermarkStatusMessage : StreamMessage
{
    public required bool Idle { get; init; }
}
