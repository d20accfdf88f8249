using PyFlow.PyBridge.Types;

namespace PyFlow.PyBridge.Workers;

/// <summary>Starts the runner of a Python operator subtask in the chosen execution mode.</summary>
internal static class PythonRunners
{
    public static IPythonRunner Start(PythonExecutionMode mode, PythonInterpreter python, string task, int subtask, int parallelism,
        PyType inputType, IReadOnlyList<WorkerStage> stages, Action<string> log, Action<byte[]> onResult, Action<Exception> onFailure,
        CancellationToken cancel, RunnerLimits? limits = null) => mode switch
    {
        PythonExecutionMode.Process => PythonWorker.Start(python, task, subtask, parallelism, inputType, stages, log, onResult, onFailure, cancel, limits),
        PythonExecutionMode.Thread => EmbeddedRunner.Start(python, task, PythonWorker.OpenPayload(task, subtask, parallelism, inputType, stages, limits), onResult, onFailure,
            new CallDeadline(task, stages, limits?.Timeout, onFailure)),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown Python execution mode"),
    };
}
