namespace PyFlow.Engine.Runtime;

/// <summary>A job failed. <see cref="Exception.InnerException"/> is the root cause; <see cref="TaskName"/> says where.</summary>
public sealed class JobExecutionException : Exception
{
    public JobExecutionException(string taskName, Exception cause)
        : base($"Job failed in task '{taskName}': {cause.Message}", cause) => TaskName = taskName;

    public string TaskName { get; }
}
