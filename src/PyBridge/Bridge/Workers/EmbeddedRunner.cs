using Python.Runtime;
using PyFlow.PyBridge.Errors;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Wire;

namespace PyFlow.PyBridge.Workers;

/// <summary>
/// Thread mode: a Python operator's chain runs in this process's embedded interpreter. Each frame is
/// one call into <c>pyflow.worker.embedded</c>, with the GIL taken for that call only (a
/// <c>using (Py.GIL())</c> scope). Calls run on the runner's own thread, fed by a queue of at most
/// <see cref="QueueBound"/> frames, so the subtask encodes the next batch while Python runs this one
/// (as a worker process would) and nobody holds the GIL while waiting on a queue. Python objects never
/// leave a GIL scope: payloads cross as bytes, copied through the buffer protocol.
/// </summary>
internal sealed class EmbeddedRunner : IPythonRunner
{
    /// <summary>Frames queued for the runner thread: two, as the operators keep in flight; a full queue blocks the subtask.</summary>
    private const int QueueBound = 2;
    /// <summary>How long Dispose waits for a call it interrupted: cancel must be quick, and a call that does not
    /// stop (sleeping, or blocked in native code) cannot be made to; it then ends on its own, or with the host.</summary>
    private static readonly TimeSpan InterruptBound = TimeSpan.FromMilliseconds(300);
    private readonly string _task;
    private readonly Action<byte[]> _onResult;
    private readonly Action<Exception> _onFailure;
    private readonly System.Collections.Concurrent.BlockingCollection<(byte Kind, byte[] Payload)> _queue = new(QueueBound);
    private readonly Thread _thread;
    private PyObject? _module;
    private PyObject? _chain;
    private CallDeadline? _deadline;
    private ulong _pythonThreadId; // the runner thread's, once it has taken the GIL
    private volatile bool _pythonThreadKnown;

    private EmbeddedRunner(string task, Action<byte[]> onResult, Action<Exception> onFailure)
    {
        _task = task;
        _onResult = onResult;
        _onFailure = onFailure;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"python: {task}" };
    }

    public static EmbeddedRunner Start(PythonInterpreter python, string task, byte[] openPayload, Action<byte[]> onResult, Action<Exception> onFailure,
        CallDeadline deadline)
    {
        try { EmbeddedPython.Ensure(python); }
        catch
        {
            deadline.Dispose();
            throw;
        }
        var runner = new EmbeddedRunner(task, payload => { deadline.Answered(); onResult(payload); }, onFailure) { _deadline = deadline };
        using (Py.GIL())
        {
            runner._module = Py.Import("pyflow.worker.embedded");
            using var payload = ToPython(openPayload);
            // Called by the Python call watch (on its own thread) when a call runs past python.fn-execution.timeout.
            Action<string, string, string, string> report = (stage, type, message, traceback) =>
                onFailure(new PythonFunctionException(task, stage, type, message, traceback));
            using var pyReport = report.ToPython();
            using var reply = runner._module.InvokeMethod("open", payload, pyReport);
            var chain = reply[0];
            using var replyKind = reply[1];
            var kind = replyKind.As<int>();
            if (kind == PythonWorker.Error)
            {
                chain.Dispose();
                deadline.Dispose();
                throw runner.Failure(FromPython(reply[2]));
            }
            runner._chain = chain;
        }
        runner._thread.Start();
        return runner;
    }

    /// <summary>Queues one frame; blocks while the queue is full (backpressure from slow Python code).</summary>
    public void Send(byte kind, byte[] payload, CancellationToken cancel)
    {
        _deadline?.Sent(); // before the runner can answer it
        _queue.Add((kind, payload), cancel);
    }

    private void Loop()
    {
        try
        {
            foreach (var (kind, payload) in _queue.GetConsumingEnumerable())
            {
                byte[] answer;
                int answerKind;
                using (Py.GIL())
                {
                    if (!_pythonThreadKnown)
                    {
                        _pythonThreadId = PythonEngine.GetPythonThreadID();
                        _pythonThreadKnown = true;
                    }
                    using var pyKind = new PyInt(kind);
                    using var pyPayload = ToPython(payload);
                    using var reply = _module!.InvokeMethod("call", _chain!, pyKind, pyPayload);
                    using var replyKind = reply[0];
                    answerKind = replyKind.As<int>();
                    answer = FromPython(reply[1]);
                }
                if (answerKind == PythonWorker.Error)
                {
                    _onFailure(Failure(answer));
                    return;
                }
                _onResult(answer);
            }
        }
        catch (Exception e)
        {
            _onFailure(e);
        }
    }

    /// <summary>Lets queued frames finish (bounded), calls the functions' close() (as CLOSE does in a worker), then releases the chain.</summary>
    public void CloseGracefully(TimeSpan bound, CancellationToken cancel)
    {
        _queue.CompleteAdding();
        if (!_thread.Join(bound))
            throw new TimeoutException($"the embedded Python of task '{_task}' did not finish within {bound.TotalSeconds} s");
        byte[]? error = null;
        if (_chain != null && _module != null)
        {
            using (Py.GIL())
            {
                using var reply = _module.InvokeMethod("close", _chain);
                using var replyKind = reply[0];
                if (replyKind.As<int>() == PythonWorker.Error) error = FromPython(reply[1]);
            }
        }
        Dispose();
        if (error != null) throw Failure(error);
    }

    public void Dispose()
    {
        _deadline?.Dispose();
        _queue.CompleteAdding();
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromMilliseconds(20)))
        {
            // A call under way (the job is cancelled or failed meanwhile): raise KeyboardInterrupt in it. Taking the
            // GIL for that waits while the call holds it, so it happens off this thread, and the wait is bounded.
            if (_pythonThreadKnown)
            {
                var id = _pythonThreadId;
                System.Threading.Tasks.Task.Run(() => { using (Py.GIL()) PythonEngine.Interrupt(id); });
            }
            // Still running: the references go with the process.
            if (!_thread.Join(InterruptBound))
            {
                EmbeddedPython.Abandoned();
                return;
            }
        }
        if (_chain == null && _module == null) return;
        using (Py.GIL())
        {
            if (_chain != null && _module != null)
            {
                // A Python source's run() thread must not outlive the job in this interpreter.
                try { using var _ = _module.InvokeMethod("stop", _chain); }
                catch (PythonException) { }
            }
            _chain?.Dispose();
            _module?.Dispose();
        }
        _chain = null;
        _module = null;
    }

    private PythonFunctionException Failure(byte[] errorPayload)
    {
        var e = Msg.Unpack(errorPayload, "ERROR");
        return PythonFunctionException.FromError(_task, e);
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
