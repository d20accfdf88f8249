using System.Collections.Concurrent;
using PyFlow.Engine.Sources;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;

namespace PyFlow.PyBridge.Operators;

/// <summary>
/// A Python <c>SourceFunction</c> (<c>env.add_source</c>) as an engine source: non-parallel, its reader
/// drives a Python runner (worker process or embedded) whose <c>run(ctx)</c> fills a bounded queue; each poll
/// sends one POLL frame and takes the SOURCE_RESULT when it is there, never waiting long on the subtask thread.
/// </summary>
public sealed class PythonSource : ISource<PyRecord>
{
    private readonly string _name;
    private readonly WorkerStage _stage;
    private readonly PythonInterpreter _python;
    private readonly PythonOptions _options;
    private readonly Action<string> _log;

    public PythonSource(string name, byte[] function, PyType type, PythonInterpreter python, PythonOptions options, Action<string> log)
    {
        _name = name;
        _stage = new WorkerStage("source", name, function, type);
        _python = python;
        _options = options;
        _log = log;
    }

    public int MaxParallelism => 1;

    public ISourceReader<PyRecord> CreateReader(int subtaskIndex, int parallelism) =>
        new Reader(_name, _stage, _python, _options, _log);

    private sealed class Reader : ISourceReader<PyRecord>
    {
        /// <summary>How long one poll waits for the worker's answer before letting the subtask do other work.</summary>
        private static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(20);
        private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(15);
        private readonly string _name;
        private readonly WorkerStage _stage;
        private readonly PythonInterpreter _python;
        private readonly PythonOptions _options;
        private readonly Action<string> _log;
        private readonly BlockingCollection<byte[]> _answers = new(); // one POLL in flight: at most one answer waits
        private readonly CancellationTokenSource _stop = new();
        private IPythonRunner? _runner;
        private volatile Exception? _failure;
        private bool _waiting;
        private bool _ended;

        public Reader(string name, WorkerStage stage, PythonInterpreter python, PythonOptions options, Action<string> log)
        {
            _name = name;
            _stage = stage;
            _python = python;
            _options = options;
            _log = log;
        }

        public SourceStatus Poll(SourceOutput<PyRecord> output)
        {
            if (_ended) return SourceStatus.End;
            _runner ??= PythonRunners.Start(_options.Mode, _python, _name, 0, 1, _stage.OutputType, new[] { _stage }, _log,
                onResult: payload => _answers.Add(payload),
                onFailure: e => _failure = e,
                _stop.Token, _options.RunnerLimits);
            if (!_waiting)
            {
                var request = Wire.Msg.Pack(new Dictionary<string, object> { ["max"] = Math.Max(1, output.Room) });
                _runner.Send(PythonWorker.Poll, request, _stop.Token);
                _waiting = true;
            }
            if (!_answers.TryTake(out var answer, PollWait))
            {
                if (_failure != null) throw _failure;
                return SourceStatus.NothingAvailable;
            }
            _waiting = false;
            var n = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(answer);
            var header = Wire.Msg.Unpack(answer.AsMemory(4, n), "SOURCE_RESULT");
            var what = $"records of the Python source '{_name}'";
            var batch = ArrowIpc.ReadSingle(answer.AsMemory(4 + n), what);
            var (values, timestamps) = ColumnCodec.ReadRecords(batch, _stage.OutputType, what);
            for (var i = 0; i < values.Length; i++) output.Collect(values[i], timestamps[i]);
            if (header.TryGetValue("ended", out var ended) && ended is true)
            {
                _ended = true;
                _runner.CloseGracefully(CloseBound, _stop.Token); // close() of the function, in the worker
                return SourceStatus.End;
            }
            return values.Length > 0 ? SourceStatus.MoreAvailable : SourceStatus.NothingAvailable;
        }

        public void Dispose()
        {
            if (_runner != null && !_ended && _failure == null)
            {
                // Stopped before its end (cancelled, or another task failed): CLOSE makes the worker call the
                // function's cancel() and close() (bounded); thread mode's Dispose cancels it as well.
                try { _runner.CloseGracefully(TimeSpan.FromSeconds(3), CancellationToken.None); }
                catch (Exception) { }
            }
            _stop.Cancel();
            _runner?.Dispose();
            _stop.Dispose();
        }
    }
}
