"""Building the PLAN map of docs/ARCHITECTURE.md ("Gateway protocol, version 1") from API nodes, and checking it.

>>> from pyflow.common import Types
>>> from pyflow.datastream import StreamExecutionEnvironment
>>> env = StreamExecutionEnvironment.get_execution_environment()
>>> sink = env.set_parallelism(2).from_collection([1, 2], Types.INT()).map(lambda x: x, Types.INT()).print()
>>> job = env._take_plan("job")
>>> [(n["kind"], n["name"], n["type"]["name"]) for n in job.plan["nodes"]]
[('source.collection', 'Collection Source', 'INT'), ('python.map', 'Map', 'INT'), ('sink.print', 'Print to Std. Out', 'INT')]
"""
import os
import sys
from dataclasses import dataclass

from pyflow._protocol.frame_limit import frame_limit
from pyflow.datastream._parallelism_limit import check_parallelism
from pyflow.datastream._print_format import print_format, record_text
from pyflow.errors import PlanError
from pyflow.datastream._duration_options import check_duration_options
from pyflow.datastream._source_options import check_source_options

PROTOCOL = 1
NODE_KINDS = {
    # kind: (number of inputs, kind-specific fields)
    "source.collection": (0, ("data",)),
    "source.sequence": (0, ("start", "end", "rate")),
    "source.text_file": (0, ("paths",)),
    "source.python": (0, ("fn",)),
    "source.kafka": (0, ("bootstrap_servers", "topics", "starting_offsets", "format", "properties")),
    "python.map": (1, ("fn",)),
    "python.map_pandas": (1, ("fn",)),
    "python.flat_map": (1, ("fn",)),
    "python.filter": (1, ("fn",)),
    "key_by": (1, ("fn",)),
    "python.reduce": (1, ("fn",)),
    "python.keyed_process": (1, ("fn",)),
    "python.process": (1, ("fn",)),
    "side_output": (1, ("tag_id",)),
    "python.window": (1, ("fn", "function_kind", "window", "allowed_lateness_ms")),
    "assign_timestamps": (1, ("out_of_orderness_ms", "emits_watermarks", "idleness_ms")),
    "union": (None, ()),  # two or more inputs of one type
    "partition": (1, ("strategy",)),
    "partition_custom": (1, ("fn",)),
    "python.co_process": (2, ("fn", "keyed")),
    "sink.collect": (1, ("sink_id",)),
    "sink.print": (1, ("sink_id",)),
    "sink.python": (1, ("sink_id", "fn")),
    "sink.kafka": (1, ("sink_id", "bootstrap_servers", "topic", "format", "delivery_guarantee", "properties")),
    "sink.file": (1, ("sink_id", "base_path", "part_prefix", "part_suffix", "part_size", "rollover_interval_ms",
                      "inactivity_interval_ms")),
    "sink.discard": (1, ("sink_id",)),
}
TYPE_NAMES = {"BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "BIG_INT", "FLOAT", "DOUBLE", "STRING", "BYTES",
              "SQL_TIMESTAMP", "PICKLED_BYTE_ARRAY", "SQL_DATE", "SQL_TIME", "LOCAL_DATE", "LOCAL_TIME",
              "LOCAL_DATE_TIME", "INSTANT", "BIG_DEC"}
# Element types of PRIMITIVE_ARRAY (BYTE travels as BYTES).
PRIMITIVE_ELEMENTS = {"BOOLEAN", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE"}
RUNTIME_MODES = ("STREAMING", "BATCH")


@dataclass(frozen=True)
class SinkInfo:
    """What the driver needs to handle RESULTS of one sink: never sent to the host."""

    kind: str  # "sink.print" or "sink.collect"
    type_spec: dict
    parallelism: int  # resolved: never -1
    identifier: "str | None" = None  # print prefix (print(sink_identifier))
    text: "object" = str  # a printed record's line (option pyflow.print.format, _print_format.py)


@dataclass(frozen=True)
class JobPlan:
    """A PLAN map ready for SUBMIT, plus the driver-side view of its sinks by ``sink_id``."""

    plan: dict
    sinks: dict  # sink_id -> SinkInfo


def python_environment() -> dict:
    """The PLAN ``python`` entry: this interpreter and its import path, so workers import what the driver can.

    ``''`` (the current directory) becomes ``os.getcwd()``; entries that do not exist are dropped.
    """
    path, seen = [], set()
    for entry in sys.path:
        full = os.path.abspath(entry or os.getcwd())
        if full not in seen and os.path.exists(full):
            seen.add(full)
            path.append(full)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return {"executable": sys.executable, "path": path, "library": _libpython(), "version": version}


def _libpython() -> "str | None":
    """The driver's shared libpython, which thread mode embeds (None when this Python has none)."""
    import sysconfig
    directory = sysconfig.get_config_var("LIBDIR")
    for name in (sysconfig.get_config_var("INSTSONAME"), sysconfig.get_config_var("LDLIBRARY")):
        if directory and name and os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    return None


def reachable_nodes(sinks: list) -> list:
    """The nodes the sinks read from (sinks included), inputs before consumers (by id, i.e. creation order)."""
    found, stack = {}, list(sinks)
    while stack:
        node = stack.pop()
        if node.id not in found:
            found[node.id] = node
            stack.extend(node.inputs)
    return [found[i] for i in sorted(found)]


def build_plan(job_name: str, parallelism: int, runtime_mode: str, config: dict, sinks: list) -> JobPlan:
    """The PLAN of one execution: the nodes reachable from ``sinks``, each sink numbered by its position."""
    if not sinks:
        raise PlanError("no sinks defined: nothing would run. Add a sink with DataStream.print() or sink_to(), or use "
                        "DataStream.execute_and_collect() to get the results back, before executing.")
    print_format(config)  # a bad value fails every plan, printed or not
    sink_ids = {node.id: index for index, node in enumerate(sinks)}
    nodes, infos = [], {}
    for node in reachable_nodes(sinks):
        entry = node.to_plan()
        if node.kind == "key_by":
            # As PyFlink (PythonConfigUtil.alignTransformation): the key selector runs at its input's
            # parallelism, forward-connected to it, so records of one key keep their order into the shuffle.
            entry["parallelism"] = node.inputs[0].parallelism
        if node.id in sink_ids:
            sink_id = sink_ids[node.id]
            entry["sink_id"] = sink_id
            resolved = parallelism if node.parallelism == -1 else node.parallelism
            text = record_text(config, entry["type"]) if node.kind == "sink.print" else str
            infos[sink_id] = SinkInfo(node.kind, entry["type"], resolved, node.sink_identifier, text)
        nodes.append(entry)
    plan = {"job_name": job_name, "parallelism": parallelism, "runtime_mode": runtime_mode,
            "python": python_environment(), "config": dict(config), "nodes": nodes}
    validate_plan(plan)
    check_source_options(plan["config"])
    check_duration_options(plan["config"])
    check_parallelism(plan)
    frame_limit(plan["config"])  # refused here, with the other options, rather than when the host starts
    return JobPlan(plan, infos)


def validate_plan(plan: dict) -> None:
    """Checks ``plan`` against the PLAN contract; raises PlanError naming the first problem.

    >>> validate_plan({"job_name": "j", "parallelism": 1, "runtime_mode": "STREAMING",
    ...                "python": {"executable": "python3", "path": []}, "config": {}, "nodes": []})
    Traceback (most recent call last):
    pyflow.errors.PlanError: invalid plan: it has no sink node
    """
    def fail(message):
        raise PlanError(f"invalid plan: {message}")

    if not isinstance(plan.get("job_name"), str):
        fail("job_name must be a str")
    if not _is_int(plan.get("parallelism")) or plan["parallelism"] < 1:
        fail(f"parallelism must be an int >= 1, got {plan.get('parallelism')!r}")
    if plan.get("runtime_mode") not in RUNTIME_MODES:
        fail(f"runtime_mode must be one of {RUNTIME_MODES}, got {plan.get('runtime_mode')!r}")
    python = plan.get("python")
    if not isinstance(python, dict) or not isinstance(python.get("executable"), str) \
            or not isinstance(python.get("path"), list) or not all(isinstance(p, str) for p in python["path"]):
        fail("python must be {'executable': str, 'path': [str]}")
    config = plan.get("config")
    if not isinstance(config, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in config.items()):
        fail("config must map str to str")
    nodes = plan.get("nodes")
    if not isinstance(nodes, list) or not all(isinstance(n, dict) for n in nodes):
        fail("nodes must be a list of maps")
    seen, sink_ids = {}, set()  # seen: id -> kind of the nodes listed so far
    for node in nodes:
        _validate_node(node, seen, sink_ids, fail)
        seen[node["id"]] = node["kind"]
    if not sink_ids:
        fail("it has no sink node")


def _type_error(spec, depth: int = 0):
    """Why ``spec`` is not a TYPE (docs/ARCHITECTURE.md, "TYPE"), or None."""
    if depth > 64:
        return "type nesting is deeper than 64"
    name = spec.get("name") if isinstance(spec, dict) else None
    if name in TYPE_NAMES:
        return None
    if name in ("ROW", "ROW_NAMED", "TUPLE"):
        fields = spec.get("fields")
        if not isinstance(fields, list):
            return f"type {name} needs a list 'fields', got {spec!r}"
        if name == "ROW_NAMED":
            names = spec.get("names")
            if not isinstance(names, list) or len(names) != len(fields) or not all(isinstance(n, str) for n in names):
                return f"type ROW_NAMED needs one str in 'names' per field, got {spec!r}"
        children = fields
    elif name == "LIST":
        children = [spec.get("element")]
    elif name == "PRIMITIVE_ARRAY":
        element = spec.get("element")
        if not isinstance(element, dict) or element.get("name") not in PRIMITIVE_ELEMENTS:
            return f"type PRIMITIVE_ARRAY needs an 'element' of {sorted(PRIMITIVE_ELEMENTS)}, got {spec!r}"
        children = [element]
    elif name == "MAP":
        children = [spec.get("key"), spec.get("value")]
    else:
        return (f"type must be {{'name': N}} with N one of {sorted(TYPE_NAMES)}, or a nested ROW, ROW_NAMED, TUPLE, "
                f"LIST, MAP or PRIMITIVE_ARRAY, got {spec!r}")
    for child in children:
        why = _type_error(child, depth + 1)
        if why is not None:
            return why
    return None


def _validate_node(node: dict, seen: dict, sink_ids: set, fail) -> None:
    kind = node.get("kind")
    if kind not in NODE_KINDS:
        fail(f"node {node.get('id')!r} has unknown kind {kind!r}; known: {sorted(NODE_KINDS)}")
    n_inputs, fields = NODE_KINDS[kind]
    label = f"node {node.get('id')!r} ({kind})"
    if not _is_int(node.get("id")) or node["id"] in seen:
        fail(f"{label}: id must be an int not used by an earlier node")
    if not isinstance(node.get("name"), str) or not node["name"]:
        fail(f"{label}: name must be a non-empty str")
    p = node.get("parallelism")
    if not _is_int(p) or (p < 1 and p != -1):
        fail(f"{label}: parallelism must be -1 (the job's) or >= 1, got {p!r}")
    inputs = node.get("inputs")
    if not isinstance(inputs, list) or (len(inputs) != n_inputs if n_inputs is not None else len(inputs) < 2):
        fail(f"{label}: expects {n_inputs if n_inputs is not None else 'two or more'} input(s), has {inputs!r}")
    for i in inputs:
        if i not in seen:
            fail(f"{label}: input {i!r} is not an earlier node (nodes must be listed inputs first)")
    type_spec = node.get("type")
    why = _type_error(type_spec)
    if why is not None:
        fail(f"{label}: {why}")
    for field in fields:
        if field not in node:
            fail(f"{label}: missing field {field!r}")
    if kind in ("python.reduce", "python.keyed_process", "python.window") and seen[inputs[0]] != "key_by":
        fail(f"{label}: reduce needs a key_by node as its input, got a {seen[inputs[0]]} node")
    if kind.startswith("sink."):
        if node["sink_id"] in sink_ids:
            fail(f"{label}: sink_id {node['sink_id']!r} is used twice")
        sink_ids.add(node["sink_id"])


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
