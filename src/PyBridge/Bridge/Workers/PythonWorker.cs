using System.Diagnostics;
using System.IO.Pipelines;
using PyFlow.PyBridge.Errors;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Wire;

namespace PyFlow.PyBridge.Workers;

/// <summary>
/// One <c>python -m pyflow.worker</c> process and its pipes (worker protocol v2). Writes go
/// through a <see cref="PipeWriter"/> whose pause threshold bounds what can be queued for a slow
/// worker; a background task reads every frame the worker sends and hands it to the owner's
/// callbacks, which must not block (they post mail to the subtask).
/// </summary>
internal sealed class PythonWorker : IPythonRunner
{
    public const int Protocol = 2; // 2: side outputs (SIDE_RESULT; "side" in KEYED_RESULT and WINDOW_RESULT)
    public const byte Open = 0x01, Batch = 0x02, Close = 0x03, KeyedBatch = 0x04, Timers = 0x05, Windows = 0x06, Poll = 0x07;
    public const byte Ready = 0x10, Result = 0x11, Error = 0x12, Closed = 0x13, KeyedResult = 0x14, WindowResult = 0x15, SideResult = 0x16, SourceResult = 0x17;

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly PipeWriter _stdin;
    private readonly PipeReader _stdout;
    private readonly StderrTail _stderr;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _closing;
    private readonly int _maxFrame;
    private CallDeadline? _deadline;

    public string Task { get; }
    public int Pid => _process.Id;

    private PythonWorker(Process process, string task, Action<string> log, int maxFrame)
    {
        _process = process;
        Task = task;
        _maxFrame = maxFrame;
        _stdin = PipeWriter.Create(process.StandardInput.BaseStream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        _stdout = PipeReader.Create(process.StandardOutput.BaseStream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        _stderr = new StderrTail(process.StandardError, $"[{task}] ", log);
    }

    /// <summary>Starts the process, sends OPEN and waits (bounded) for READY.</summary>
    public static PythonWorker Start(PythonInterpreter python, string task, int subtask, int parallelism, PyType inputType,
        IReadOnlyList<WorkerStage> stages, Action<string> log, Action<byte[]> onResult, Action<Exception> onFailure, CancellationToken cancel,
        RunnerLimits? limits = null)
    {
        python.Validate();
        var psi = new ProcessStartInfo(python.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -P: `python -m` would put the working directory (the driver's) first on the path, and a module planted
        // there (msgpack.py) would run in every worker. Only the driver's sys.path, given as PYTHONPATH, is searched.
        psi.ArgumentList.Add("-P");
        psi.ArgumentList.Add("-m");
        psi.ArgumentList.Add("pyflow.worker");
        psi.ArgumentList.Add("--host-pid"); // the worker checks the host still lives once it asked to die with it
        psi.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.Environment["PYTHONPATH"] = string.Join(Path.PathSeparator, python.Path);
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start '{python.Executable}'");
        var worker = new PythonWorker(process, task, log, (limits ?? RunnerLimits.Default).MaxFrame);
        var deadline = new CallDeadline(task, stages, limits?.Timeout, onFailure);
        worker._deadline = deadline;
        worker.StartReading(payload => { deadline.Answered(); onResult(payload); }, onFailure);
        try
        {
            worker.Send(Open, OpenPayload(task, subtask, parallelism, inputType, stages, limits), cancel);
            // WaitAsync + GetResult, not Wait: a start failure (an error in a function's open()) surfaces as
            // itself, not wrapped in an AggregateException that would hide the Python error from the driver.
            var started = worker._ready.Task.WaitAsync(StartBound, cancel);
            try { started.GetAwaiter().GetResult(); }
            catch (TimeoutException) when (!worker._ready.Task.IsCompleted)
            {
                throw new TimeoutException($"the Python worker of task '{task}' did not start within {StartBound.TotalSeconds} s");
            }
            return worker;
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    /// <summary>The OPEN frame's payload: the same for a worker process and for thread mode.</summary>
    public static byte[] OpenPayload(string task, int subtask, int parallelism, PyType inputType, IReadOnlyList<WorkerStage> stages,
        RunnerLimits? limits = null) =>
        Msg.Pack(new Dictionary<string, object>
        {
            ["protocol"] = Protocol,
            ["task"] = task,
            ["subtask"] = subtask,
            ["parallelism"] = parallelism,
            ["input_type"] = inputType.ToSpec(),
            ["stages"] = stages.Select(s => (object)s.ToSpec()).ToArray(),
            ["limits"] = (limits ?? RunnerLimits.Default).ToSpec(),
        });

    /// <summary>Sends one frame; blocks while the pipe is full (backpressure from a slow worker).</summary>
    public void Send(byte kind, byte[] payload, CancellationToken cancel)
    {
        FrameLimit.Check(payload.Length, _maxFrame, $"operator '{Task}': one batch for its Python worker",
            "lower python.fn-execution.arrow.batch.size (records per batch), or make the records smaller");
        if (kind is Batch or KeyedBatch or Timers or Windows or Poll) _deadline?.Sent();
        try
        {
            Frames.WriteAsync(_stdin, kind, payload, cancel).AsTask().GetAwaiter().GetResult();
        }
        catch (IOException)
        {
            throw DeathOrDefault() ?? new IOException($"could not write to the Python worker of task '{Task}'");
        }
    }

    /// <summary>Sends CLOSE and waits (bounded) for the worker to answer and exit.</summary>
    public void CloseGracefully(TimeSpan bound, CancellationToken cancel)
    {
        _closing = true;
        Send(Close, Array.Empty<byte>(), cancel);
        bool closed;
        try
        {
            closed = _closed.Task.Wait(bound, cancel);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // The worker answered ERROR (a close() raised) or died: that error, not its wrapper.
            throw e.InnerException!;
        }
        if (!closed)
            throw new TimeoutException($"the Python worker of task '{Task}' did not close within {bound.TotalSeconds} s");
        _process.WaitForExit((int)bound.TotalMilliseconds);
    }

    private void StartReading(Action<byte[]> onResult, Action<Exception> onFailure)
    {
        _ = System.Threading.Tasks.Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var frame = await Frames.ReadAsync(_stdout, $"stdout of the Python worker of task '{Task}'", _stop.Token, _maxFrame,
                        k => k is >= Ready and <= SourceResult).ConfigureAwait(false);
                    if (frame is not { } f)
                    {
                        if (_closing && _closed.Task.IsCompleted) return;
                        throw Died();
                    }
                    switch (f.Kind)
                    {
                        case Ready:
                            var hello = Msg.Unpack(f.Payload, "READY");
                            if (hello.Int("protocol") != Protocol)
                                throw new ProtocolException($"the worker speaks protocol {hello.Int("protocol")}, the engine {Protocol}: reinstall pyflow so both match");
                            _ready.TrySetResult();
                            break;
                        case Result:
                        case KeyedResult:
                        case WindowResult:
                        case SideResult:
                        case SourceResult:
                            onResult(f.Payload);
                            break;
                        case Error:
                            var e = Msg.Unpack(f.Payload, "ERROR");
                            throw PythonFunctionException.FromError(Task, e);
                        case Closed:
                            _closed.TrySetResult();
                            break;
                        default:
                            throw new ProtocolException($"the Python worker of task '{Task}' sent unknown frame kind 0x{f.Kind:x2}");
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _ready.TrySetException(e);
                _closed.TrySetException(e);
                onFailure(e);
            }
        });
    }

    private WorkerDiedException Died()
    {
        // stdout closes as the process dies; give it a moment to be reaped so the status is known.
        int? code = _process.WaitForExit(2000) ? _process.ExitCode : null;
        _stderr.WaitForEnd(TimeSpan.FromSeconds(1));
        return new WorkerDiedException(Task, _process.Id, code, _stderr.Tail());
    }

    private Exception? DeathOrDefault() => _process.WaitForExit(2000) ? Died() : null;

    public void Dispose()
    {
        _deadline?.Dispose();
        _stop.Cancel();
        try
        {
            if (!_process.HasExited) ProcessGroup.KillGroupOf(_process);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
