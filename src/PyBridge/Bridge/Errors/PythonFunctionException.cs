using PyFlow.PyBridge.Wire;

namespace PyFlow.PyBridge.Errors;

/// <summary>A user function raised in Python. Carries the Python type, message and traceback, and where it ran.</summary>
public sealed class PythonFunctionException : Exception
{
    public PythonFunctionException(string task, string stage, string pythonType, string pythonMessage, string traceback,
        long? recordIndex = null, string? sourceFile = null, long? sourceLine = null)
        : base($"Python function '{stage}' in task '{task}' raised {pythonType}: {pythonMessage}" +
               (sourceFile != null ? $" (while processing the record from line {sourceLine} of file '{sourceFile}')" : ""))
    {
        Task = task;
        Stage = stage;
        PythonType = pythonType;
        PythonMessage = pythonMessage;
        PythonTraceback = traceback;
        RecordIndex = recordIndex;
        SourceFile = sourceFile;
        SourceLine = sourceLine;
    }

    /// <summary>The exception an ERROR frame (worker protocol) describes; <c>"record"</c> is optional.</summary>
    public static PythonFunctionException FromError(string task, IReadOnlyDictionary<object, object?> e) =>
        new(task, e.Str("stage"), e.Str("type"), e.Str("message"), e.Str("traceback"),
            e.TryGetValue("record", out var r) && r != null ? e.Int("record") : null);

    public string Task { get; }
    /// <summary>The operator (stage of the fused chain) whose function raised.</summary>
    public string Stage { get; }
    public string PythonType { get; }
    public string PythonMessage { get; }
    public string PythonTraceback { get; }

    /// <summary>Index, in the batch the chain was given, of the record whose processing raised; null when not one record's.</summary>
    public long? RecordIndex { get; }

    /// <summary>The file that record was read from, when a file source fed the chain directly.</summary>
    public string? SourceFile { get; }

    /// <summary>The line of <see cref="SourceFile"/> that record was read from.</summary>
    public long? SourceLine { get; }

    /// <summary>This error, naming the file and line its record was read from.</summary>
    public PythonFunctionException WithSource(string file, long line) =>
        new(Task, Stage, PythonType, PythonMessage, PythonTraceback, RecordIndex, file, line);
}
