namespace PyFlow.Engine.Sinks;

/// <summary>
/// A closed part file that is not yet visible under its final name (Flink's pending file).
/// Committing renames it; with checkpoints, commits will wait for the checkpoint that covers it.
/// </summary>
internal sealed record PendingPartFile(string InProgressPath, string FinalPath)
{
    /// <summary>Gives the file its final name. Idempotent: a file already committed stays as it is, so a commit may be retried after a restart.</summary>
    public void Commit()
    {
        if (!File.Exists(InProgressPath) && File.Exists(FinalPath)) return;
        File.Move(InProgressPath, FinalPath, overwrite: false);
    }
}
