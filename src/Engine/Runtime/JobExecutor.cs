using PyFlow.Engine.Checkpointing;
using PyFlow.Engine.Graph;
using PyFlow.Engine.Metrics;

namespace PyFlow.Engine.Runtime;

/// <summary>
/// Runs a <see cref="JobGraph"/> on this machine: a gate and a thread per subtask, channels
/// between them. The first failing subtask cancels all others; the job then fails with that
/// root cause, never with the cancellations it caused.
/// </summary>
public sealed class JobExecutor
{
    private readonly JobGraph _graph;
    private readonly JobOptions _options;
    private readonly JobMetrics? _metrics;

    /// <param name="graph">the job's physical plan</param>
    /// <param name="options">the job's options</param>
    /// <param name="metrics">when given, every operator counts its records in and out into it</param>
    public JobExecutor(JobGraph graph, JobOptions options, JobMetrics? metrics = null)
    {
        _graph = graph;
        _options = options;
        _metrics = metrics;
    }

    /// <summary>
    /// Runs the job to its end on dedicated threads. Cancelling <paramref name="cancel"/> stops it.
    /// With checkpoints, a restart strategy or a checkpoint to restore, a failed run is restarted
    /// (as the strategy allows) from the newest intact completed checkpoint.
    /// </summary>
    public Task RunAsync(CancellationToken cancel = default)
    {
        var checkpoints = _options.Checkpointing;
        if (!checkpoints.Enabled && _options.RestoreFromCheckpoint == null && !_options.RestartStrategy.ShouldRestart(1))
            return RunAttempt(null, null, cancel);
        return RunWithRecoveryAsync(cancel);
    }

    private IReadOnlyList<VertexInfo> Shape => _graph.Vertices.Select(v => new VertexInfo(v.Index, v.Name, v.Parallelism)).ToList();

    private async Task RunWithRecoveryAsync(CancellationToken cancel)
    {
        var config = _options.Checkpointing;
        config.Validate();
        CompletedCheckpoint? restore = null;
        if (_options.RestoreFromCheckpoint is { } from)
        {
            restore = CheckpointLayout.Resolve(from, config.Log);
            restore.CheckSameShape(Shape);
            config.Log($"restoring the job from checkpoint '{restore.Path}'");
        }
        var coordinator = config.Enabled ? new CheckpointCoordinator(config, restore?.Id ?? 0) : null;
        var failures = 0;
        while (true)
        {
            try
            {
                await RunAttempt(restore, coordinator, cancel).ConfigureAwait(false);
                return;
            }
            catch (JobExecutionException e) when (!cancel.IsCancellationRequested)
            {
                failures++;
                if (!_options.RestartStrategy.ShouldRestart(failures)) throw;
                restore = coordinator?.NewestIntact() ?? restore;
                config.Log($"job failed ({e.Message}); restart {failures} ({_options.RestartStrategy}) from {(restore != null ? $"checkpoint '{restore.Path}'" : "the beginning (no completed checkpoint)")}");
                await Task.Delay(_options.RestartStrategy.Delay, cancel).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One run of every task, from <paramref name="restore"/> or from the start.</summary>
    private Task RunAttempt(CompletedCheckpoint? restore, CheckpointCoordinator? coordinator, CancellationToken cancel)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var gates = _graph.Vertices.ToDictionary(v => v, v => Enumerable.Range(0, v.Parallelism)
            .Select(_ => new InputGate(_graph.Edges.Where(e => e.To == v).Sum(e => e.From.Parallelism), cts.Token)).ToArray());
        var subtasks = new List<(Subtask Subtask, List<object> Operators)>();
        Subtask? building = null;
        try
        {
            foreach (var v in _graph.Vertices)
                for (var i = 0; i < v.Parallelism; i++)
                {
                    building = null;
                    var built = BuildSubtask(v, i, gates, cts.Token, s => building = s, restore, coordinator != null);
                    subtasks.Add(built);
                }
        }
        catch (Exception e)
        {
            // Nothing runs yet: release what the subtasks built so far hold, and fail as a job does.
            foreach (var (s, _) in subtasks) s.Release();
            building?.Release();
            cts.Dispose();
            return Task.FromException(new JobExecutionException(building?.Name ?? "job setup", e));
        }

        var trigger = coordinator != null ? new CheckpointTrigger(coordinator, subtasks.Select(s => s.Subtask.Checkpointer!).ToList(), Shape) : null;
        var failure = new FailureCollector(cts);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = subtasks.Count;
        foreach (var (subtask, operators) in subtasks)
        {
            var thread = new Thread(() =>
            {
                try { subtask.Run(operators); }
                catch (Exception e) { failure.Report(subtask.Name, e); }
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    trigger?.Dispose();
                    if (failure.RootCause is { } root) done.SetException(root);
                    else if (cancel.IsCancellationRequested) done.SetCanceled(cancel);
                    else done.SetResult();
                    cts.Dispose();
                }
            })
            { IsBackground = true, Name = subtask.Name };
            thread.Start();
        }
        return done.Task;
    }

    private (Subtask Subtask, List<object>) BuildSubtask(JobVertex v, int index, Dictionary<JobVertex, InputGate[]> gates, CancellationToken cancel, Action<Subtask> started,
        CompletedCheckpoint? restore, bool checkpointing)
    {
        var gate = gates[v][index];
        var timers = new ProcessingTimers(_options.Clock);
        var subtask = new Subtask($"{v.Name} ({index + 1}/{v.Parallelism})", index, gate, timers, cancel);
        started(subtask);
        var checkpointer = checkpointing || restore != null
            ? new SubtaskCheckpointer(subtask.Name, v.Index, index, subtask, checkpointing) { RestoreFrom = restore?.StateOf(v.Index, index) }
            : null;
        subtask.Checkpointer = checkpointer;
        OperatorContext Context(Transformation node, SideOutputs? sides = null) => new()
        {
            SideOutputs = sides ?? SideOutputs.None,
            OperatorName = node.Name,
            SubtaskIndex = index,
            Parallelism = v.Parallelism,
            MaxParallelism = _options.MaxParallelism,
            Timers = timers,
            Mailbox = subtask,
            Cancellation = cancel,
            Options = _options,
        };

        object Writer(JobEdge edge)
        {
            var writer = edge.Writer.CreateWriterUntyped(edge.Partitioner, gates[edge.To], ChannelOffset(edge) + index, Context(edge.FromNode));
            checkpointer?.AddOutput(writer);
            return writer;
        }

        // Side outputs of each node of the chain, by tag.
        SideOutputs SidesOf(Transformation node)
        {
            var byTag = _graph.Edges.Where(e => e.From == v && e.FromNode == node && e.Tag != null).GroupBy(e => e.Tag!).ToList();
            if (byTag.Count == 0) return SideOutputs.None;
            return new SideOutputs(byTag.ToDictionary(g => g.Key, g =>
            {
                var ws = g.Select(Writer).ToList();
                return ws.Count == 1 ? ws[0] : g.First().Writer.CreateFanOutUntyped(ws);
            }));
        }

        // The tail's main output: one writer per outgoing edge.
        var writers = _graph.Edges.Where(e => e.From == v && e.Tag == null).Select(Writer).ToList();
        object? downstream = writers.Count switch
        {
            0 => null,
            1 => writers[0],
            _ => v.Tail.CreateFanOutUntyped(writers),
        };

        // Operators from the tail back to the head (the source, if any, is not an operator).
        // With metrics, each node's output consumer counts its records out and each operator is
        // wrapped to count its records in; the lifecycle list and owned resources keep the operator itself.
        object? CountOut(Transformation node, object? consumer) =>
            consumer == null || _metrics == null ? consumer : node.CountingOutput(consumer, _metrics.For(node, index, v.Parallelism).Out);
        RecordCounter? InCounter(Transformation node) => _metrics?.For(node, index, v.Parallelism).In;
        var operators = new List<object>();
        for (var n = v.Chain.Count - 1; n >= 0; n--)
        {
            var chained = v.Chain[n];
            if (chained is ITwoInputNode twoInput)
            {
                var op2 = twoInput.CreateConsumer(Context(chained, SidesOf(chained)), CountOut(chained, downstream));
                checkpointer?.AddOperator(n, op2);
                subtask.Own(op2);
                operators.Insert(0, op2);
                downstream = InCounter(chained) is { } in2 ? twoInput.CountingInput(op2, in2) : op2;
                break;
            }
            if (chained is not IOneInputNode node) break;
            var sides = SidesOf(chained);
            var op = node.CreateConsumer(Context(chained, sides), CountOut(chained, downstream));
            checkpointer?.AddOperator(n, op);
            if (!sides.IsEmpty) op = node.WithSideOutputs(op, sides);
            subtask.Own(op);
            operators.Insert(0, op);
            downstream = InCounter(chained) is { } in1 ? node.CountingInput(op, in1) : op;
        }
        if (v.Head is ISourceNode source)
        {
            subtask.Input = source.CreateInput(CountOut(v.Head, downstream)!, index, v.Parallelism, _options.BatchSize, SidesOf(v.Head));
            checkpointer?.SetSource(((ISourceInput)subtask.Input).Reader, v.Head.Name);
            return (subtask, operators);
        }
        var aligner = checkpointer == null ? null
            : new BarrierAligner(gate.NumChannels, _options.Checkpointing.Mode == CheckpointingMode.ExactlyOnce, checkpointer.Perform);
        var processor = v.Head is ITwoInputNode twoInputHead
            ? twoInputHead.CreateInputProcessor(downstream!, gate.NumChannels, _graph.Edges.Where(e => e.To == v && e.InputIndex == 0).Sum(e => e.From.Parallelism))
            : ((IOneInputNode)v.Head).CreateInputProcessor(downstream!, gate.NumChannels);
        var gateInput = new GateInput(processor, aligner);
        if (checkpointer != null) checkpointer.Aborted = gateInput.AbortCheckpoint;
        subtask.Input = gateInput;
        return (subtask, operators);
    }

    /// <summary>First channel of <paramref name="edge"/> in its consumer's gate: edges of input 0 first, then input 1, each in graph order.</summary>
    private int ChannelOffset(JobEdge edge)
    {
        var offset = 0;
        foreach (var e in _graph.Edges.Where(e => e.To == edge.To).OrderBy(e => e.InputIndex))
        {
            if (e == edge) return offset;
            offset += e.From.Parallelism;
        }
        throw new InvalidOperationException("edge not in graph");
    }

    /// <summary>Keeps the first real failure; later ones are usually its consequences.</summary>
    private sealed class FailureCollector
    {
        private readonly CancellationTokenSource _cts;
        private readonly object _lock = new();

        public FailureCollector(CancellationTokenSource cts) => _cts = cts;

        public Exception? RootCause { get; private set; }

        public void Report(string task, Exception e)
        {
            lock (_lock)
            {
                var isConsequence = e is OperationCanceledException && _cts.IsCancellationRequested;
                if (RootCause == null && !isConsequence)
                    RootCause = e is JobExecutionException ? e : new JobExecutionException(task, e);
            }
            try { _cts.Cancel(); } catch (ObjectDisposedException) { }
        }
    }
}
