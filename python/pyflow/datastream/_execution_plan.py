"""``env.get_execution_plan()``: the job built so far as Flink's JSON execution plan (``ExecutionPlanUtil``),
``{"nodes": [{"id", "type", "pact", "contents", "parallelism", "predecessors": [{"id", "ship_strategy",
"side"}]}]}``, so tools written for Flink's plan (and PyFlink's tests) read it.

As in Flink's StreamGraph, partitioning, union and side-output nodes are not operators: they become the
``ship_strategy`` of the edges into the operator that reads them.
"""
import json

from pyflow.datastream._node import DEFAULT_PARALLELISM
from pyflow.datastream.plan import reachable_nodes

VIRTUAL_KINDS = ("partition", "union", "side_output")
# a real node whose output goes through a partitioner: key_by and partition_custom run Python, then shuffle
SHUFFLING_KINDS = {"key_by": "HASH", "partition_custom": "CUSTOM"}


def execution_plan_json(sinks: list, default_parallelism: int) -> str:
    """The JSON plan of the nodes ``sinks`` read from, operators in creation order."""
    if not sinks:
        return json.dumps({"nodes": []})
    nodes = [n for n in reachable_nodes(sinks) if n.kind not in VIRTUAL_KINDS]
    resolved = {}
    for node in nodes:  # inputs first, so a key_by's input is resolved before it
        if node.kind == "key_by" and node.parallelism == DEFAULT_PARALLELISM:
            resolved[node.id] = resolved[_operator_inputs(node.inputs[0], None)[0][0].id]
        else:
            resolved[node.id] = default_parallelism if node.parallelism == DEFAULT_PARALLELISM else node.parallelism
    return json.dumps({"nodes": [_node_json(n, resolved) for n in nodes]}, indent=2)


def _node_json(node, resolved: dict) -> dict:
    if node.kind.startswith("source."):
        pact, kind = "Data Source", f"Source: {node.name}"
    elif node.kind.startswith("sink."):
        pact, kind = "Data Sink", f"Sink: {node.name}"
    else:
        pact, kind = "Operator", node.name
    entry = {"id": node.id, "type": kind, "pact": pact, "contents": kind, "parallelism": resolved[node.id]}
    if node.inputs:
        entry["predecessors"] = [
            {"id": op.id, "ship_strategy": strategy or _default_strategy(resolved[op.id], resolved[node.id]),
             "side": "second"}
            for i in node.inputs for op, strategy in _operator_inputs(i, None)]
    return entry


def _operator_inputs(node, strategy):
    """The operators behind ``node`` (itself, or those a virtual node reads), each with the ship strategy
    set on the way (None: the default)."""
    if node.kind == "partition":
        return _operator_inputs(node.inputs[0], strategy or node.fields["strategy"].upper())
    if node.kind in ("union", "side_output"):
        return [pair for i in node.inputs for pair in _operator_inputs(i, strategy)]
    return [(node, strategy or SHUFFLING_KINDS.get(node.kind))]


def _default_strategy(upstream: int, downstream: int) -> str:
    return "FORWARD" if upstream == downstream else "REBALANCE"  # as Flink's StreamGraph
