using PyFlow.Engine.Runtime;
using PyFlow.PyBridge.Errors;
using PyFlow.PyBridge.Wire;

namespace PyFlow.Host;

/// <summary>Turns the exception that ended a job into the ERROR map of a FAILED frame.</summary>
internal static class ErrorReport
{
    public static Dictionary<string, object?> From(Exception e)
    {
        var task = (e as JobExecutionException)?.TaskName;
        var root = e is JobExecutionException { InnerException: { } inner } ? inner : e;
        var map = new Dictionary<string, object?>
        {
            ["error"] = "engine",
            ["message"] = root.Message,
            ["task"] = task,
            ["operator"] = null,
            ["python_type"] = null,
            ["python_message"] = null,
            ["python_traceback"] = null,
            ["exit_code"] = null,
            ["stderr_tail"] = null,
        };
        switch (root)
        {
            case PlanException p:
                map["error"] = "plan";
                map["operator"] = p.Operator;
                break;
            case PythonFunctionException p:
                map["error"] = "python";
                map["task"] = p.Task;
                map["operator"] = p.Stage;
                map["python_type"] = p.PythonType;
                map["python_message"] = p.PythonMessage;
                map["python_traceback"] = p.PythonTraceback;
                // Only when known, so the map reads as before for every other error (older drivers ignore the keys).
                if (p.SourceFile != null)
                {
                    map["source_file"] = p.SourceFile;
                    map["source_line"] = p.SourceLine;
                }
                break;
            case WorkerDiedException w:
                map["error"] = "worker_died";
                map["task"] = w.Task;
                map["exit_code"] = w.ExitCode;
                map["stderr_tail"] = w.StderrTail;
                break;
            case ProtocolException or InvalidDataException:
                map["error"] = "protocol";
                break;
            default:
                map["message"] = $"{root.GetType().Name}: {root.Message}";
                break;
        }
        return map;
    }

    public static byte[] Pack(Exception e) => Msg.Pack(From(e));
}
