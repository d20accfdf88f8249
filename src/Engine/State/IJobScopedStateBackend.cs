namespace PyFlow.Engine.State;

/// <summary>
/// A state backend factory with resources of its own per job (RocksDB's working directory): the job
/// opens a scope before its first subtask starts and disposes it when the job ends, whether it
/// finished, failed or was cancelled, so nothing of a job outlives it.
/// </summary>
public interface IJobScopedStateBackend
{
    /// <summary>Opens the job's resources; disposing the result releases them.</summary>
    IDisposable BeginJob();
}
