using PyFlow.Engine.Graph;

namespace PyFlow.Engine.Metrics;

/// <summary>
/// Records in and out of every operator of a running job, for progress reports. Each subtask
/// counts into its own <see cref="RecordCounter"/>s (one writer, no locks on the record path);
/// <see cref="Snapshot"/> sums them over subtasks from any thread.
/// </summary>
/// <example><code>
/// var metrics = new JobMetrics();
/// var job = env.ExecuteAsync(metrics, cancel);
/// foreach (var op in metrics.Snapshot()) Console.WriteLine($"{op.Name}: {op.RecordsIn} in, {op.RecordsOut} out");
/// </code></example>
public sealed class JobMetrics
{
    private readonly object _lock = new();
    private readonly SortedList<int, OperatorMetrics> _operators = new(); // by node id: plan order, inputs first
    private readonly Dictionary<Transformation, OperatorMetrics> _byNode = new();

    /// <summary>The counters of one subtask of <paramref name="node"/>; registers the node on first use, in plan order.</summary>
    internal (RecordCounter In, RecordCounter Out) For(Transformation node, int subtask, int parallelism)
    {
        lock (_lock)
        {
            if (!_byNode.TryGetValue(node, out var op))
            {
                op = new OperatorMetrics(node.Name, parallelism);
                _byNode.Add(node, op);
                _operators.Add(node.Id, op);
            }
            return (op.In[subtask], op.Out[subtask]);
        }
    }

    /// <summary>Every operator's totals so far, in plan order (a node after its inputs, sources first).</summary>
    public IReadOnlyList<OperatorCounts> Snapshot()
    {
        lock (_lock)
            return _operators.Values.Select(o => new OperatorCounts(o.Name, o.Parallelism, o.In.Sum(c => c.Value), o.Out.Sum(c => c.Value))).ToList();
    }

    private sealed class OperatorMetrics
    {
        public OperatorMetrics(string name, int parallelism)
        {
            Name = name;
            Parallelism = parallelism;
            In = Enumerable.Range(0, parallelism).Select(_ => new RecordCounter()).ToArray();
            Out = Enumerable.Range(0, parallelism).Select(_ => new RecordCounter()).ToArray();
        }

        public string Name { get; }
        public int Parallelism { get; }
        public RecordCounter[] In { get; }
        public RecordCounter[] Out { get; }
    }
}

/// <summary>One operator's records (main output only), summed over its subtasks. Sources have no records in, sinks none out.</summary>
public sealed record OperatorCounts(string Name, int Parallelism, long RecordsIn, long RecordsOut);

/// <summary>A count written by one thread (its subtask) and read by any.</summary>
internal sealed class RecordCounter
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    /// <summary>Only the owning subtask's thread calls this.</summary>
    public void Add(int n) => Volatile.Write(ref _value, _value + n);
}
