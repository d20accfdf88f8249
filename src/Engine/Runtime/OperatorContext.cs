namespace PyFlow.Engine.Runtime;

/// <summary>What an operator instance knows of where it runs.</summary>
public sealed class OperatorContext
{
    public required string OperatorName { get; init; }
    public required int SubtaskIndex { get; init; }
    public required int Parallelism { get; init; }
    public required int MaxParallelism { get; init; }
    public required ProcessingTimers Timers { get; init; }
    public required IMailbox Mailbox { get; init; }
    public required CancellationToken Cancellation { get; init; }
    public required JobOptions Options { get; init; }

    /// <summary>The side outputs of this operator that somebody consumes.</summary>
    public SideOutputs SideOutputs { get; init; } = SideOutputs.None;

    /// <summary>
    /// Where the records this operator receives came from, when it follows a source directly in its
    /// chain (null otherwise); call <see cref="Sources.RecordOrigins.Request"/> to have the source record them.
    /// </summary>
    public Sources.RecordOrigins? SourceOrigins { get; init; }

    /// <summary>"Map (2/4)": the name Flink users see in logs and errors.</summary>
    public string TaskName => $"{OperatorName} ({SubtaskIndex + 1}/{Parallelism})";
}
