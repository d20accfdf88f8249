using Python.Runtime;
using PyFlow.PyBridge.Errors;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Wire;

namespace PyFlow.PyBridge.Workers;

/// <summary>
/// Thread mode: a Python operator's chain runs in this process's embedded interpreter. Each frame is
/// one call into <c>pyflow.worker.embedded</c>, made on the subtask's own thread with the GIL taken
/// for that call only (a <c>using (Py.GIL())</c> scope), so subtasks that share the interpreter never
/// hold the GIL while they wait on queues. Python objects never leave the GIL scope: payloads cross as
/// bytes, copied through the buffer protocol.
/// </summary>
internal sealed class EmbeddedRunner : IPythonRunner
{
    private readonly string _task;
    private readonly Action<byte[]> _onResult;
    private PyObject? _module;
    private PyObject? _chain;

    private EmbeddedRunner(string task, Action<byte[]> onResult)
    {
        _task = task;
        _onResult = onResult;
    }

    public static EmbeddedRunner Start(PythonInterpreter python, string task, byte[] openPayload, Action<byte[]> onResult)
    {
        EmbeddedPython.Ensure(python);
        var runner = new EmbeddedRunner(task, onResult);
        using (Py.GIL())
        {
            runner._module = Py.Import("pyflow.worker.embedded");
            using var payload = ToPython(openPayload);
            using var reply = runner._module.InvokeMethod("open", payload);
            var chain = reply[0];
            var kind = reply[1].As<int>();
            if (kind == PythonWorker.Error)
            {
                chain.Dispose();
                throw runner.Failure(FromPython(reply[2]));
            }
            runner._chain = chain;
        }
        return runner;
    }

    public void Send(byte kind, byte[] payload, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        byte[] answer;
        int answerKind;
        using (Py.GIL())
        {
            using var pyKind = new PyInt(kind);
            using var pyPayload = ToPython(payload);
            using var reply = _module!.InvokeMethod("call", _chain!, pyKind, pyPayload);
            answerKind = reply[0].As<int>();
            answer = FromPython(reply[1]);
        }
        if (answerKind == PythonWorker.Error) throw Failure(answer);
        _onResult(answer);
    }

    public void CloseGracefully(TimeSpan bound, CancellationToken cancel) => Dispose();

    public void Dispose()
    {
        if (_chain == null && _module == null) return;
        using (Py.GIL())
        {
            _chain?.Dispose();
            _module?.Dispose();
        }
        _chain = null;
        _module = null;
    }

    private PythonFunctionException Failure(byte[] errorPayload)
    {
        var e = Msg.Unpack(errorPayload, "ERROR");
        return new PythonFunctionException(_task, e.Str("stage"), e.Str("type"), e.Str("message"), e.Str("traceback"));
    }

    /// <summary>A Python bytearray holding <paramref name="data"/> (one copy, through the buffer protocol). Call with the GIL.</summary>
    private static PyObject ToPython(byte[] data)
    {
        using var builtins = Py.Import("builtins");
        using var size = new PyInt(data.Length);
        var array = builtins.InvokeMethod("bytearray", size);
        if (data.Length > 0)
        {
            using var buffer = array.GetBuffer(PyBUF.WRITABLE);
            buffer.Write(data, 0, data.Length, IntPtr.Zero);
        }
        return array;
    }

    /// <summary>The bytes of a Python bytes-like object (one copy). Call with the GIL.</summary>
    private static byte[] FromPython(PyObject bytes)
    {
        using (bytes)
        using (var buffer = bytes.GetBuffer(PyBUF.SIMPLE))
        {
            var data = new byte[buffer.Length];
            if (data.Length > 0) buffer.Read(data, 0, data.Length, IntPtr.Zero);
            return data;
        }
    }
}
