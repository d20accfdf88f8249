using PyFlow.Engine.Partitioning;

namespace PyFlow.Engine.Graph;

/// <summary>
/// The physical plan: operator nodes grouped into chains (vertices), each run as
/// <see cref="JobVertex.Parallelism"/> subtasks, joined by edges that say how records are
/// partitioned. Nodes are chained, as in Flink, when the edge between them is forward (no
/// repartitioning), their parallelism is equal, the upstream node feeds only that node, and
/// the downstream node has only that input.
/// </summary>
public sealed class JobGraph
{
    public IReadOnlyList<JobVertex> Vertices { get; }
    public IReadOnlyList<JobEdge> Edges { get; }

    private JobGraph(IReadOnlyList<JobVertex> vertices, IReadOnlyList<JobEdge> edges)
    {
        Vertices = vertices;
        Edges = edges;
    }

    /// <summary>
    /// Builds the graph from the sinks back; fails with a clear message on an invalid plan.
    /// Without <paramref name="chaining"/> no node is chained (Flink's <c>disableOperatorChaining</c>).
    /// </summary>
    public static JobGraph Build(IReadOnlyList<Transformation> sinks, int defaultParallelism, bool chaining = true)
    {
        if (sinks.Count == 0)
            throw new InvalidOperationException("the job has no sink: add print(), a sink, or collect the results before executing");
        var nodes = new List<Transformation>();
        var seen = new HashSet<Transformation>();
        void Visit(Transformation t)
        {
            if (!seen.Add(t)) return;
            foreach (var i in t.Inputs) Visit(i);
            nodes.Add(t); // inputs first: a topological order
        }
        foreach (var s in sinks) Visit(s);

        // Logical edges between operator nodes, folding partition and side-output nodes into the edge.
        var logical = new List<LogicalEdge>();
        foreach (var node in nodes)
        {
            if (IsVirtual(node)) continue;
            for (var i = 0; i < node.Inputs.Count; i++)
                logical.AddRange(ResolveInputs(node.Inputs[i], node, i, null, false, null, null));
        }
        var operatorNodes = nodes.Where(n => !IsVirtual(n)).ToList();
        var parallelism = operatorNodes.ToDictionary(n => n, n => ResolveParallelism(n, defaultParallelism));

        // Side outputs never chain: they leave their operator through a channel of their own.
        var outDegree = operatorNodes.ToDictionary(n => n, n => logical.Count(e => e.From == n && e.Tag == null));
        var inDegree = operatorNodes.ToDictionary(n => n, n => logical.Count(e => e.To == n));
        var chainedTo = new Dictionary<Transformation, Transformation>(); // downstream -> upstream it is chained to
        foreach (var e in logical)
        {
            if (chaining && e.Tag == null && e.Partitioner == null && parallelism[e.From] == parallelism[e.To] && outDegree[e.From] == 1 && inDegree[e.To] == 1)
                chainedTo[e.To] = e.From;
        }

        var vertexOf = new Dictionary<Transformation, JobVertex>();
        var vertices = new List<JobVertex>();
        foreach (var node in operatorNodes)
        {
            if (chainedTo.TryGetValue(node, out var up))
            {
                var v = vertexOf[up];
                v.AddToChain(node);
                vertexOf[node] = v;
            }
            else
            {
                var v = new JobVertex(vertices.Count, node, parallelism[node]);
                vertices.Add(v);
                vertexOf[node] = v;
            }
        }

        var edges = new List<JobEdge>();
        foreach (var e in logical)
        {
            if (e.Tag == null && chainedTo.TryGetValue(e.To, out var up) && up == e.From) continue;
            var from = vertexOf[e.From];
            var to = vertexOf[e.To];
            var partitioner = e.Partitioner;
            if (partitioner == null && from.Parallelism != to.Parallelism)
                partitioner = Activator.CreateInstance(typeof(RebalancePartitioner<>).MakeGenericType(e.Writer.OutputType)); // Flink's default between unequal parallelism
            edges.Add(new JobEdge(from, to, partitioner, e.Keyed) { FromNode = e.From, Tag = e.Tag, Writer = e.Writer, InputIndex = e.InputIndex });
        }
        return new JobGraph(vertices, edges);
    }

    private static bool IsVirtual(Transformation t) => t is IPartitionNode or ISideOutputNode or IUnionNode;

    private sealed record LogicalEdge(Transformation From, Transformation To, object? Partitioner, bool Keyed, object? Tag, Transformation Writer, int InputIndex);

    /// <summary>
    /// The edges behind one input of <paramref name="consumer"/>, walking back through virtual
    /// nodes: partitions (the one nearest the consumer wins), side outputs (the edge carries the
    /// tag and the side node's type) and unions (one edge per united input).
    /// </summary>
    private static IEnumerable<LogicalEdge> ResolveInputs(Transformation input, Transformation consumer, int inputIndex,
        object? partitioner, bool keyed, object? tag, Transformation? sideNode)
    {
        while (IsVirtual(input))
        {
            switch (input)
            {
                case IUnionNode:
                    foreach (var united in input.Inputs)
                        foreach (var e in ResolveInputs(united, consumer, inputIndex, partitioner, keyed, tag, sideNode))
                            yield return e;
                    yield break;
                case IPartitionNode p:
                    partitioner ??= p.Partitioner;
                    keyed |= p.IsKeyed;
                    break;
                case ISideOutputNode side:
                    tag = side.Tag;
                    sideNode = input;
                    break;
            }
            input = input.Inputs[0];
        }
        yield return new LogicalEdge(input, consumer, partitioner, keyed, tag, sideNode ?? input, inputIndex);
    }

    private static int ResolveParallelism(Transformation node, int defaultParallelism)
    {
        var p = node.Parallelism == -1 ? Math.Min(defaultParallelism, node.MaxParallelism) : node.Parallelism;
        if (p > node.MaxParallelism)
            throw new InvalidOperationException($"'{node.Name}' can run at parallelism {node.MaxParallelism} at most, but {p} was set; lower it with set_parallelism");
        return p;
    }
}

/// <summary>A chain of operator nodes run together in each of its subtasks.</summary>
public sealed class JobVertex
{
    private readonly List<Transformation> _chain = new();

    internal JobVertex(int index, Transformation head, int parallelism)
    {
        Index = index;
        Parallelism = parallelism;
        _chain.Add(head);
    }

    public int Index { get; }
    public int Parallelism { get; }
    public IReadOnlyList<Transformation> Chain => _chain;
    public Transformation Head => _chain[0];
    public Transformation Tail => _chain[^1];
    public string Name => string.Join(" -> ", _chain.Select(t => t.Name));

    internal void AddToChain(Transformation node) => _chain.Add(node);
}

/// <summary>Records from every subtask of <see cref="From"/> to the subtasks of <see cref="To"/>, spread by the partitioner.</summary>
public sealed record JobEdge(JobVertex From, JobVertex To, object? Partitioner, bool Keyed)
{
    /// <summary>The node of <see cref="From"/>'s chain whose output the edge carries (its tail, or any node for a side output).</summary>
    public Transformation FromNode { get; init; } = From.Tail;

    /// <summary>The side output the edge carries, or null for the main output.</summary>
    public object? Tag { get; init; }

    /// <summary>The node whose output type the edge carries (the side-output node for a side output).</summary>
    public Transformation Writer { get; init; } = From.Tail;

    /// <summary>Which input of a two-input operator the edge feeds (0 for one-input operators).</summary>
    public int InputIndex { get; init; }
}
