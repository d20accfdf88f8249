namespace PyFlow.PyBridge.Workers;

/// <summary>
/// Where a Python operator's frames go: a worker process (process mode) or the engine host's own
/// embedded interpreter (thread mode). Both take the frames of the worker protocol and hand every
/// reply to the owner's callbacks, which post mail to the subtask.
/// </summary>
internal interface IPythonRunner : IDisposable
{
    /// <summary>Sends one frame (BATCH, KEYED_BATCH, TIMERS, WINDOWS).</summary>
    void Send(byte kind, byte[] payload, CancellationToken cancel);

    /// <summary>Ends the runner in order, bounded.</summary>
    void CloseGracefully(TimeSpan bound, CancellationToken cancel);
}

/// <summary><c>python.execution-mode</c>: PyFlink's names.</summary>
public enum PythonExecutionMode
{
    Process,
    Thread,
}
