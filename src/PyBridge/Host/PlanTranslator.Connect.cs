using System.Buffers.Binary;
using PyFlow.Engine.Api;
using PyFlow.PyBridge.Operators;
using PyFlow.PyBridge.Records;

namespace PyFlow.Host;

/// <summary>Plan nodes of two connected streams (<c>python.co_process</c>) and of <c>partition_custom</c>.</summary>
internal sealed partial class PlanTranslator
{
    /// <summary>
    /// A co-map, co-flat-map or (keyed) co-process: the function runs in a worker that gets each
    /// input's records in their own type. Keyed: both inputs are key_by nodes and share keyed state.
    /// </summary>
    private void AddCoProcess(PlanNode node)
    {
        if (node.Inputs.Count != 2) throw new PlanException(node.Name, $"a co-process has two inputs, got {node.Inputs.Count}");
        var inputs = node.Inputs.Select(i => _outputs.TryGetValue(i, out var p)
            ? p
            : throw new PlanException(node.Name, $"input node {i} is not defined before it; nodes must be listed inputs first")).ToArray();
        var keyed = node.Fields.TryGetValue("keyed", out var k) && k is true;
        if (keyed && node.Inputs.Any(i => _plan.Nodes.First(n => n.Id == i).Kind != "key_by"))
            throw new PlanException(node.Name, "a KeyedCoProcessFunction needs two keyed streams: call key_by on both inputs, or ConnectedStreams.key_by(key_selector1, key_selector2)");
        var stage = Stage(node, "co_process") with { InputTypes = new[] { inputs[0].Type, inputs[1].Type } };
        var chain = new PythonChain(node.Name, inputs[0].Type, new[] { stage });
        DataStream<PyRecord> stream;
        try
        {
            stream = PythonCoProcess.Connect(Materialize(inputs[0]), Materialize(inputs[1]), node.Name, chain, _python, _options, _connection.SendLog, keyed, _sideTypes);
        }
        catch (ArgumentException e)
        {
            throw new PlanException(node.Name, e.Message);
        }
        stream.SetParallelism(node.Parallelism);
        _outputs[node.Id] = new Pending { Base = stream, BaseType = node.Type, Parallelism = node.Parallelism, Materialized = stream };
    }

    /// <summary>
    /// PyFlink's <c>partition_custom(partitioner, key_selector)</c>: a Python stage (fused with the
    /// functions before it) runs the key selector and <c>partitioner.partition(key, n)</c> over each
    /// batch and gives each record its partition as 4 little-endian key bytes; the engine's custom
    /// partitioner routes by them, and the partition index is dropped again on the other side.
    /// <c>n</c> is the parallelism of the operator that consumes the partitioned stream.
    /// </summary>
    private void AddCustomPartition(PlanNode node)
    {
        var partitions = ConsumerParallelism(node);
        if (node.Parallelism != -1 && node.Parallelism != partitions)
            throw new PlanException(node.Name, $"the parallelism of partition_custom's result ({node.Parallelism}) differs from that of the operator reading it ({partitions}): " +
                "set the parallelism on that operator; it is the number of partitions");
        var pending = AddStage(node, "custom_partition");
        pending.Stages[^1] = pending.Stages[^1] with { NumPartitions = partitions };
        var routed = Materialize(pending)
            .PartitionCustom<int>((partition, _) => partition, r => BinaryPrimitives.ReadInt32LittleEndian(r.Key.Span))
            .Map(r => r.WithoutKey(), node.Name);
        routed.SetParallelism(partitions);
        _outputs[node.Id] = new Pending { Base = routed, BaseType = node.Type, Parallelism = partitions, Materialized = routed };
    }

    /// <summary>The one parallelism of the operators that read <paramref name="node"/>'s output (-1: the job's).</summary>
    private int ConsumerParallelism(PlanNode node)
    {
        var consumers = _plan.Nodes.Where(n => n.Inputs.Contains(node.Id)).ToList();
        if (consumers.Count == 0)
            throw new PlanException(node.Name, "the result of partition_custom is not used: apply an operator or a sink to it");
        // Result sinks run at the job's parallelism; other nodes at their own, -1 meaning the job's.
        var resolved = consumers.Select(c => c.Kind is "sink.collect" or "sink.print" || c.Parallelism == -1 ? _plan.Parallelism : c.Parallelism).Distinct().ToList();
        if (resolved.Count > 1)
            throw new PlanException(node.Name, $"partition_custom feeds operators of different parallelism ({string.Join(", ", resolved)}); " +
                "its partitioner chooses among one number of partitions: give its consumers one parallelism");
        return resolved[0];
    }
}
