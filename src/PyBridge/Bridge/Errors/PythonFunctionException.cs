namespace PyFlow.PyBridge.Errors;

/// <summary>A user function raised in Python. Carries the Python type, message and traceback, and where it ran.</summary>
public sealed class PythonFunctionException : Exception
{
    public PythonFunctionException(string task, string stage, string pythonType, string pythonMessage, string traceback)
        : base($"Python function '{stage}' in task '{task}' raised {pythonType}: {pythonMessage}")
    {
        Task = task;
        Stage = stage;
        PythonType = pythonType;
        PythonMessage = pythonMessage;
        PythonTraceback = traceback;
    }

    public string Task { get; }
    /// <summary>The operator (stage of the fused chain) whose function raised.</summary>
    public string Stage { get; }
    public string PythonType { get; }
    public string PythonMessage { get; }
    public string PythonTraceback { get; }
}
