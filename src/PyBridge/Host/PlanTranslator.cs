using PyFlow.Engine.Api;
using PyFlow.Engine.Sinks;
using PyFlow.Engine.Sources;
using PyFlow.Engine.Windowing;
using PyFlow.Engine.Windowing.Assigners;
using PyFlow.Engine.Windowing.Triggers;
using PyFlow.PyBridge;
using PyFlow.PyBridge.Arrow;
using PyFlow.PyBridge.Operators;
using PyFlow.PyBridge.Records;
using PyFlow.PyBridge.Types;
using PyFlow.PyBridge.Workers;
using PyFlow.PyBridge.Wire;

namespace PyFlow.Host;

/// <summary>
/// Turns a <see cref="JobPlan"/> into engine streams. Consecutive Python functions with no
/// repartition between them, equal parallelism and a single consumer are fused into one
/// <see cref="PythonOperator"/> (PyFlink's Python operator chaining), unless
/// <c>python.operator-chaining.enabled</c> is false.
/// </summary>
internal sealed partial class PlanTranslator
{
    private readonly JobPlan _plan;
    private readonly StreamExecutionEnvironment _env;
    private readonly GatewayConnection _connection;
    private readonly PythonOptions _options;
    private readonly PythonInterpreter _python;
    private readonly LineReadOptions _lineOptions;
    private readonly Dictionary<int, Pending> _outputs = new();
    private readonly Dictionary<int, int> _consumers = new();
    /// <summary>The type of every side output read with get_side_output, by tag id (one type per id in a plan).</summary>
    private readonly Dictionary<string, PyType> _sideTypes = new();
    private readonly HashSet<int> _discarding = new();

    /// <summary>A node's output: a materialized stream plus Python stages not yet turned into an operator.</summary>
    private sealed class Pending
    {
        public required DataStream<PyRecord> Base { get; init; }
        public required PyType BaseType { get; init; }
        public List<WorkerStage> Stages { get; } = new();
        public int Parallelism { get; init; } = -1;
        public DataStream<PyRecord>? Materialized { get; set; }
        public PyType Type => Stages.Count == 0 ? BaseType : Stages[^1].OutputType;
    }

    /// <summary>The job resumes on a new host the driver started after the old one died (see <see cref="ReleasedEpochs.RestoredResultsShown"/>).</summary>
    public bool RestoredResultsShown { get; init; }

    public PlanTranslator(JobPlan plan, StreamExecutionEnvironment env, GatewayConnection connection)
    {
        _plan = plan;
        _env = env;
        _connection = connection;
        try { _options = PythonOptions.FromConfig(plan.Config); }
        catch (ArgumentException e) { throw new PlanException(null, e.Message); }
        _lineOptions = SourceOptions.FromConfig(plan.Config);
        _python = new PythonInterpreter(plan.PythonExecutable, plan.PythonPath, plan.PythonLibrary, plan.PythonVersion);
        try { _python.Validate(); }
        catch (FileNotFoundException e) { throw new PlanException(null, e.Message); }
    }

    public void Translate()
    {
        _env.Parallelism = _plan.Parallelism;
        if (_plan.Config.TryGetValue(AutoWatermarkIntervalKey, out var interval))
            _env.Options.AutoWatermarkInterval = ParseMillis(AutoWatermarkIntervalKey, interval);
        _env.RuntimeMode = _plan.RuntimeMode == "BATCH" ? RuntimeExecutionMode.Batch : RuntimeExecutionMode.Streaming;
        _env.Options.JobName = _plan.JobName;
        CheckpointOptions.Apply(_plan.Config, _env.Options, _connection.SendLog);
        PipelineOptions.Apply(_plan.Config, _env.Options);
        foreach (var node in _plan.Nodes)
            foreach (var input in node.Inputs)
                _consumers[input] = _consumers.GetValueOrDefault(input) + 1;
        foreach (var node in _plan.Nodes.Where(n => n.Kind == "side_output"))
        {
            var id = node.Fields.Str("tag_id");
            if (_sideTypes.TryGetValue(id, out var known) && known != node.Type)
                throw new PlanException(node.Name, $"side output '{id}' is read as {known.Name} and as {node.Type.Name}; give every OutputTag of one id the same type_info");
            _sideTypes[id] = node.Type;
        }
        foreach (var node in _plan.Nodes) Add(node);
    }

    private void Add(PlanNode node)
    {
        if (node.Parallelism is < 1 and not -1)
            throw new PlanException(node.Name, $"parallelism must be at least 1, not {node.Parallelism}");
        switch (node.Kind)
        {
            case "source.collection":
                var source = _env.FromSource(DecodeCollection(node), node.Name);
                _outputs[node.Id] = new Pending { Base = source, BaseType = node.Type, Parallelism = 1 };
                break;
            case "source.python":
            {
                // A Python SourceFunction: non-parallel, run in a Python runner polled by the source subtask.
                var pySource = _env.FromSource(new PythonSource(node.Name, node.Fields.Bytes("fn"), node.Type, _python, _options, _connection.SendLog), node.Name);
                pySource.SetParallelism(1);
                _outputs[node.Id] = new Pending { Base = pySource, BaseType = node.Type, Parallelism = 1, Materialized = pySource };
                break;
            }
            case "source.sequence":
            {
                var start = node.Fields.Int("start");
                var end = node.Fields.Int("end"); // -1: without end
                var rate = Convert.ToDouble(node.Fields["rate"]);
                if (end != -1 && end < start) throw new PlanException(node.Name, $"end ({end}) is before start ({start})");
                if (rate < 0) throw new PlanException(node.Name, $"records per second cannot be negative ({rate})");
                long? count = end == -1 ? null : end - start + 1;
                var numbers = _env.FromSource(new GeneratorSource<PyRecord>(i => PyRecord.OfLong(start + i), count, rate, _env.Options.Clock), node.Name);
                numbers.SetParallelism(node.Parallelism);
                _outputs[node.Id] = new Pending { Base = numbers, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = numbers };
                break;
            }
            case "source.text_file":
            {
                var files = node.Fields.List("paths").Select(p => (string)p!).ToList();
                if (files.Count == 0) throw new PlanException(node.Name, "a file source needs at least one path");
                var missing = files.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
                if (missing.Count > 0) throw new PlanException(node.Name, $"no such file or directory: {string.Join(", ", missing)}");
                var streams = files.Select(p => _env.FromSource(new FileLineSource<PyRecord>(p, line => PyRecord.OfReference(line), lineOptions: _lineOptions), node.Name)).ToList();
                var lines = streams.Count == 1 ? streams[0] : streams[0].Union(streams.Skip(1).ToArray());
                _outputs[node.Id] = new Pending { Base = lines, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = lines };
                break;
            }
            case "source.kafka":
                AddKafkaSource(node);
                break;
            case "union":
            {
                if (node.Inputs.Count < 2) throw new PlanException(node.Name, "a union needs two or more inputs");
                var inputs = node.Inputs.Select(i => _outputs.TryGetValue(i, out var p) ? p : throw new PlanException(node.Name, $"input node {i} is not defined before it")).ToList();
                if (inputs.Any(p => p.Type != inputs[0].Type)) throw new PlanException(node.Name, "every input of a union must have one type");
                var united = Materialize(inputs[0]).Union(inputs.Skip(1).Select(Materialize).ToArray());
                _outputs[node.Id] = new Pending { Base = united, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = united };
                break;
            }
            case "partition":
            {
                var before = Materialize(SingleInput(node));
                var partitioned = node.Fields.Str("strategy") switch
                {
                    "rebalance" => before.Rebalance(),
                    "rescale" => before.Rescale(),
                    "shuffle" => before.Shuffle(),
                    "broadcast" => before.Broadcast(),
                    "forward" => before,
                    var other => throw new PlanException(node.Name, $"unknown partitioning '{other}'; PyFlow knows rebalance, rescale, shuffle, broadcast and forward"),
                };
                _outputs[node.Id] = new Pending { Base = partitioned, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = partitioned };
                break;
            }
            case "python.map":
                AddStage(node, "map");
                break;
            case "python.map_pandas":
                AddStage(node, "map_pandas");
                break;
            case "python.flat_map":
                AddStage(node, "flat_map");
                break;
            case "python.filter":
                AddStage(node, "filter");
                break;
            case "python.process":
                AddStage(node, "process");
                break;
            case "side_output":
                AddSideOutput(node);
                break;
            case "key_by":
                var withKeys = Materialize(AddStage(node, "key_selector"));
                var keyed = withKeys.KeyBy(r => r.Key);
                _outputs[node.Id] = new Pending { Base = keyed, BaseType = node.Type, Parallelism = node.Parallelism };
                break;
            case "assign_timestamps":
                AddTimestampsAndWatermarks(node);
                break;
            case "python.keyed_process":
                var keyedInput = SingleInput(node);
                if (_plan.Nodes.First(n => n.Id == node.Inputs[0]).Kind != "key_by")
                    throw new PlanException(node.Name, "process with a KeyedProcessFunction needs a keyed stream: call key_by(...) first");
                var processChain = new PythonChain(node.Name, keyedInput.Type,
                    new[] { Stage(node, "keyed_process") with { BatchMode = _env.RuntimeMode == RuntimeExecutionMode.Batch } });
                var processed = keyedInput.Base.Transform<PyRecord>(node.Name, (ctx, output) =>
                    new PythonKeyedProcessOperator(ctx, output, processChain, _python, _options, _connection.SendLog, sideOutputTypes: _sideTypes));
                processed.SetParallelism(node.Parallelism);
                _outputs[node.Id] = new Pending { Base = processed, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = processed };
                break;
            case "python.window":
                AddWindow(node);
                break;
            case "python.co_process":
                AddCoProcess(node);
                break;
            case "partition_custom":
                AddCustomPartition(node);
                break;
            case "python.reduce":
                var input = SingleInput(node);
                if (_plan.Nodes.First(n => n.Id == node.Inputs[0]).Kind != "key_by")
                    throw new PlanException(node.Name, "reduce needs a keyed stream: call key_by(...) first");
                var chain = new PythonChain(node.Name, input.Type, new[] { Stage(node, "reduce") });
                var reduced = input.Base.Transform<PyRecord>(node.Name, (ctx, output) => NewOperator(ctx, output, chain));
                reduced.SetParallelism(node.Parallelism);
                _outputs[node.Id] = new Pending { Base = reduced, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = reduced };
                break;
            case "sink.file":
            {
                var lines = SingleInput(node);
                if (lines.Type.Name != "STRING") throw new PlanException(node.Name, $"a file sink writes lines: its input must be STRING, not {lines.Type.Name}");
                var policy = new RollingPolicy
                {
                    MaxPartSize = node.Fields.Int("part_size"),
                    RolloverInterval = TimeSpan.FromMilliseconds(node.Fields.Int("rollover_interval_ms")),
                    InactivityInterval = TimeSpan.FromMilliseconds(node.Fields.Int("inactivity_interval_ms")),
                };
                Materialize(lines).SinkToFiles(node.Fields.Str("base_path"), policy, r => (string)r.Reference!,
                    node.Fields.Str("part_prefix"), node.Fields.Str("part_suffix"), node.Name, node.Parallelism);
                break;
            }
            case "sink.python":
            {
                // A Python SinkFunction: its "sink" stage (fused with the Python stages before it) calls
                // invoke per record and outputs nothing; a discarding sink ends the chain.
                var fed = Materialize(AddStage(node, "sink"));
                fed.SinkTo($"{node.Name} (end)", _ => new DiscardingSink(), node.Parallelism);
                break;
            }
            case "sink.kafka":
                AddKafkaSink(node);
                break;
            case "sink.discard":
                Materialize(SingleInput(node)).SinkTo(node.Name, _ => new DiscardingSink(), node.Parallelism);
                break;
            case "sink.collect":
            case "sink.print":
                var sinkId = (int)node.Fields.Int("sink_id");
                var upstream = SingleInput(node);
                var type = upstream.Type;
                var stream = Materialize(upstream);
                // One per sink for the whole job: restarts rebuild the sinks, not this.
                var released = new ReleasedEpochs { RestoredResultsShown = RestoredResultsShown };
                stream.SinkTo(node.Name, ctx => new ResultSink(_connection, sinkId, ctx, type, released), node.Parallelism);
                break;
            default:
                throw new PlanException(node.Name, $"unknown node kind '{node.Kind}'; this engine knows the kinds of docs/ARCHITECTURE.md (PLAN)");
        }
    }

    /// <summary>
    /// A Python timestamp assigner (fused into the Python chain before it, if any) followed by the
    /// engine's watermark generator with the node's strategy.
    /// </summary>
    private void AddTimestampsAndWatermarks(PlanNode node)
    {
        var input = node.Fields.ContainsKey("fn") ? AddStage(node, "timestamp_assigner") : SingleInput(node);
        var outOfOrderness = node.Fields.Int("out_of_orderness_ms");
        if (outOfOrderness < 0) throw new PlanException(node.Name, $"out-of-orderness cannot be negative, got {outOfOrderness} ms");
        var strategy = node.Fields.TryGetValue("emits_watermarks", out var emits) && emits is false
            ? WatermarkStrategy<PyRecord>.NoWatermarks()
            : WatermarkStrategy<PyRecord>.ForBoundedOutOfOrderness(TimeSpan.FromMilliseconds(outOfOrderness));
        var idleness = node.Fields.Int("idleness_ms");
        if (idleness > 0) strategy = strategy.WithIdleness(TimeSpan.FromMilliseconds(idleness));
        var stream = Materialize(input).AssignTimestampsAndWatermarks(strategy);
        stream.SetParallelism(input.Parallelism);
        _outputs[node.Id] = new Pending { Base = stream, BaseType = node.Type, Parallelism = input.Parallelism, Materialized = stream };
    }

    /// <summary>A keyed window whose function (reduce, aggregate or process) runs in Python, all firings of a round in one call.</summary>
    private void AddWindow(PlanNode node)
    {
        var input = SingleInput(node);
        if (_plan.Nodes.First(n => n.Id == node.Inputs[0]).Kind != "key_by")
            throw new PlanException(node.Name, "window needs a keyed stream: call key_by(...) first");
        var kind = node.Fields.Str("function_kind");
        if (kind is not ("reduce" or "aggregate" or "aggregate_pandas" or "process"))
            throw new PlanException(node.Name, $"unknown window function kind '{kind}'");
        var allWindows = node.Fields.TryGetValue("all", out var all) && all is true;
        var chain = new PythonChain(node.Name, input.Type, new[] { Stage(node, "window_" + kind) with { AllWindows = allWindows } });
        var lateness = TimeSpan.FromMilliseconds(node.Fields.Int("allowed_lateness_ms"));
        var trigger = node.Fields.TryGetValue("trigger", out var t) ? t as IReadOnlyDictionary<object, object?> : null;
        var lateTag = node.Fields.OptStr("late_tag") is { } late ? new OutputTag<PyRecord>(late) : null;
        if (lateTag != null && _sideTypes.TryGetValue(lateTag.Id, out var lateType) && lateType != input.Type)
            throw new PlanException(node.Name, $"late records have the window's input type {input.Type.Name}, but side output '{lateTag.Id}' is read as {lateType.Name}");
        var w = node.Fields.Map("window");
        var eventTime = w.TryGetValue("event_time", out var et) && et is true;
        TimeSpan Ms(string field) => TimeSpan.FromMilliseconds(w.Int(field));
        DataStream<PyRecord> stream;
        try
        {
            stream = w.Str("assigner") switch
            {
                "tumbling" => Windowed(input, node, chain, lateness, eventTime
                    ? TumblingWindows<PyRecord>.OfEventTime(Ms("size_ms"), Ms("offset_ms"))
                    : TumblingWindows<PyRecord>.OfProcessingTime(Ms("size_ms"), Ms("offset_ms")), trigger, null, lateTag),
                "sliding" => Windowed(input, node, chain, lateness, eventTime
                    ? SlidingWindows<PyRecord>.OfEventTime(Ms("size_ms"), Ms("slide_ms"), Ms("offset_ms"))
                    : SlidingWindows<PyRecord>.OfProcessingTime(Ms("size_ms"), Ms("slide_ms"), Ms("offset_ms")), trigger, null, lateTag),
                "session" => Windowed(input, node, chain, lateness, SessionWindows<PyRecord>.WithGap(Ms("gap_ms"), eventTime), trigger, null, lateTag),
                "count" => Windowed(input, node, chain, lateness, GlobalWindows<PyRecord>.Create(), trigger,
                    PurgingTrigger<PyRecord, GlobalWindow>.Of(CountTrigger<PyRecord, GlobalWindow>.Of(w.Int("size"))), lateTag),
                "global" => Windowed(input, node, chain, lateness, GlobalWindows<PyRecord>.Create(), trigger, null, lateTag),
                var other => throw new PlanException(node.Name, $"unknown window assigner '{other}'"),
            };
        }
        catch (ArgumentException e)
        {
            throw new PlanException(node.Name, e.Message);
        }
        stream.SetParallelism(node.Parallelism);
        _outputs[node.Id] = new Pending { Base = stream, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = stream };
    }

    /// <summary>The window operator; the trigger is the plan's (if set), else <paramref name="defaultTrigger"/>, else the assigner's.</summary>
    private DataStream<PyRecord> Windowed<W>(Pending input, PlanNode node, PythonChain chain, TimeSpan lateness, WindowAssigner<PyRecord, W> assigner,
        IReadOnlyDictionary<object, object?>? triggerSpec, Trigger<PyRecord, W>? defaultTrigger, OutputTag<PyRecord>? lateTag) where W : Window
    {
        var trigger = triggerSpec != null ? TriggerPlan.Build<W>(triggerSpec, node.Name) : defaultTrigger;
        return PythonWindows.Window(input.Base, node.Name, chain, lateness, assigner, trigger, _python, _options.Mode, _connection.SendLog, lateTag, _sideTypes, _options.RunnerLimits);
    }

    /// <summary>The records one operator (a process function, a co-process function or a window) sent to one side output tag.</summary>
    private void AddSideOutput(PlanNode node)
    {
        var emitter = _plan.Nodes.FirstOrDefault(n => n.Id == node.Inputs.FirstOrDefault());
        if (emitter?.Kind is not ("python.process" or "python.keyed_process" or "python.window" or "python.co_process"))
            throw new PlanException(node.Name, "side outputs come from process functions and windows; " +
                                               $"'{emitter?.Name}' ({emitter?.Kind}) has none");
        var from = SingleInput(node);
        var operatorStream = Materialize(from);
        // Only side outputs read: the main output still needs a consumer in the engine (Flink just drops it).
        var mainRead = _plan.Nodes.Any(n => n.Kind != "side_output" && n.Inputs.Contains(emitter.Id));
        if (!mainRead && _discarding.Add(emitter.Id)) operatorStream.AddSink((_, _) => { }, $"{emitter.Name} (main output unread)");
        var side = operatorStream.GetSideOutput(new OutputTag<PyRecord>(node.Fields.Str("tag_id")));
        _outputs[node.Id] = new Pending { Base = side, BaseType = node.Type, Parallelism = from.Parallelism, Materialized = side };
    }

    /// <summary>Appends a Python stage to the input's pending chain when it may fuse, else starts a new chain.</summary>
    private Pending AddStage(PlanNode node, string kind)
    {
        var input = SingleInput(node);
        var stage = Stage(node, kind);
        // A key selector runs at its input's parallelism, as PyFlink's key_by does, so a key's
        // records keep their order from a non-parallel source.
        var parallelism = kind is "key_selector" or "custom_partition" && node.Parallelism == -1 ? input.Parallelism : node.Parallelism;
        var canFuse = _options.OperatorChaining && _env.Options.OperatorChaining && input.Materialized == null && input.Stages.Count > 0
                      && _consumers.GetValueOrDefault(node.Inputs[0]) == 1 && input.Parallelism == parallelism;
        Pending pending;
        if (canFuse)
        {
            pending = input;
        }
        else
        {
            pending = new Pending { Base = Materialize(input), BaseType = input.Type, Parallelism = parallelism };
        }
        pending.Stages.Add(stage);
        _outputs[node.Id] = pending;
        return pending;
    }

    private DataStream<PyRecord> Materialize(Pending p)
    {
        if (p.Materialized != null) return p.Materialized;
        if (p.Stages.Count == 0) return p.Materialized = p.Base;
        var name = string.Join(" -> ", p.Stages.Select(s => s.Name));
        var chain = new PythonChain(name, p.BaseType, p.Stages.ToList());
        try { chain.Validate(); }
        catch (ArgumentException e) { throw new PlanException(name, e.Message); }
        var stream = p.Base.Transform<PyRecord>(name, (ctx, output) => NewOperator(ctx, output, chain));
        stream.SetParallelism(p.Parallelism);
        return p.Materialized = stream;
    }

    private PythonOperator NewOperator(PyFlow.Engine.Runtime.OperatorContext ctx, PyFlow.Engine.Runtime.IBatchConsumer<PyRecord> output, PythonChain chain) =>
        new(ctx, output, chain, _python, _options, _env.RuntimeMode == RuntimeExecutionMode.Batch, _connection.SendLog, _sideTypes);

    private Pending SingleInput(PlanNode node)
    {
        if (node.Inputs.Count != 1) throw new PlanException(node.Name, $"expected one input, got {node.Inputs.Count}");
        return _outputs.TryGetValue(node.Inputs[0], out var p)
            ? p
            : throw new PlanException(node.Name, $"input node {node.Inputs[0]} is not defined before it; nodes must be listed inputs first");
    }

    /// <summary>Flink's option name; values as Flink writes them ("200 ms", "1 s") or plain milliseconds.</summary>
    private const string AutoWatermarkIntervalKey = "pipeline.auto-watermark-interval";

    private static TimeSpan ParseMillis(string key, string text)
    {
        var t = text.Trim();
        var (number, scale) = t.EndsWith("ms") ? (t[..^2], 1L) : t.EndsWith('s') ? (t[..^1], 1000L) : (t, 1L);
        return long.TryParse(number.Trim(), out var v) && v >= 0
            ? CheckpointOptions.Millis(key, text, v, scale)
            : throw new PlanException(null, $"option '{key}' must be a duration such as '200 ms', not '{text}'");
    }

    private WorkerStage Stage(PlanNode node, string kind) => new(kind, node.Name, node.Fields.Bytes("fn"), node.Type)
    {
        SideTags = _plan.Nodes.Where(n => n.Kind == "side_output" && n.Inputs.Count == 1 && n.Inputs[0] == node.Id)
            .Select(n => n.Fields.Str("tag_id")).Distinct().ToArray(),
    };

    private static ArrowCollectionSource DecodeCollection(PlanNode node)
    {
        try
        {
            return ArrowCollectionSource.FromStream(node.Fields.Bytes("data"), node.Type, $"data of '{node.Name}'");
        }
        catch (InvalidDataException e)
        {
            throw new PlanException(node.Name, e.Message);
        }
    }
}
