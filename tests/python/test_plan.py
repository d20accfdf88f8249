"""The driver side without the engine host: plan building and validation, types, errors, and the gateway
client's frame handling against a fake host (a small Python script started as `dotnet`, see FAKE_HOST)."""
import datetime
import doctest
import importlib
import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time

import cloudpickle
import pytest

from pyflow._arrow import read_stream
from pyflow._protocol import frames
from pyflow._protocol.values import from_column
from pyflow.common import (Configuration, EngineError, EngineHostDiedError, EngineHostNotFoundError, PlanError, ProtocolError,
                           PythonFunctionError, Row, Types, WorkerDiedError)
from pyflow.datastream import (FlatMapFunction, KeySelector, MapFunction, ReduceFunction, RuntimeExecutionMode,
                               StreamExecutionEnvironment)
from pyflow.datastream.plan import validate_plan

PYTHON_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "python"))


def new_env(parallelism=2, config=None):
    return StreamExecutionEnvironment.get_execution_environment(config).set_parallelism(parallelism)


def decode_source(node):
    [batch] = read_stream(node["data"])
    return from_column(node["type"], batch.column("v"))


# -- plan shape -----------------------------------------------------------------------------------------------

def test_word_count_plan_lists_nodes_inputs_first_with_kinds_names_and_types():
    env = new_env(3)
    lines = env.from_collection(["a b", "b"], type_info=Types.STRING())
    words = lines.flat_map(lambda s: s.split(), output_type=Types.STRING())
    pairs = words.map(lambda w: (w, 1))
    counts = pairs.filter(lambda p: p[0]).key_by(lambda p: p[0]).reduce(lambda a, b: (a[0], a[1] + b[1]))
    counts.print()
    job = env._take_plan("wc")
    plan = job.plan
    assert [(n["kind"], n["name"], n["type"]["name"], n["parallelism"]) for n in plan["nodes"]] == [
        ("source.collection", "Collection Source", "STRING", 1),
        ("python.flat_map", "Flat Map", "STRING", -1),
        ("python.map", "Map", "PICKLED_BYTE_ARRAY", -1),
        ("python.filter", "Filter", "PICKLED_BYTE_ARRAY", -1),
        ("key_by", "Key By", "PICKLED_BYTE_ARRAY", -1),
        ("python.reduce", "Reduce", "PICKLED_BYTE_ARRAY", -1),
        ("sink.print", "Print to Std. Out", "PICKLED_BYTE_ARRAY", -1),
    ]
    ids = [n["id"] for n in plan["nodes"]]
    assert [n["inputs"] for n in plan["nodes"]] == [[]] + [[i] for i in ids[:-1]]
    assert plan["nodes"][-1]["sink_id"] == 0
    assert (plan["job_name"], plan["parallelism"], plan["runtime_mode"]) == ("wc", 3, "STREAMING")
    assert set(plan) == {"job_name", "parallelism", "runtime_mode", "python", "config", "nodes"}
    assert job.sinks[0].parallelism == 3 and job.sinks[0].kind == "sink.print"
    validate_plan(plan)


def test_key_by_runs_at_the_parallelism_of_its_input_as_in_pyflink():
    env = new_env(4)
    src = env.from_collection([(1, "a"), (1.0, "b")])
    src.key_by(lambda r: r[0]).reduce(lambda a, b: a).print()
    mapped = src.map(lambda r: r)
    mapped.key_by(lambda r: r[0]).reduce(lambda a, b: a).print()
    mapped.set_parallelism(3)  # after key_by: still followed
    key_bys = [n for n in env._take_plan("j").plan["nodes"] if n["kind"] == "key_by"]
    assert [n["parallelism"] for n in key_bys] == [1, 3]


def test_pickled_functions_unpickle_and_work():
    class Times(MapFunction):
        def __init__(self, k):
            self.k = k

        def map(self, value):
            return value * self.k

    class Split(FlatMapFunction):
        def flat_map(self, value):
            yield from value.split(",")

    class First(KeySelector):
        def get_key(self, value):
            return value[0]

    class Longest(ReduceFunction):
        def reduce(self, a, b):
            return a if len(a) >= len(b) else b

    env = new_env()
    src = env.from_collection(["x"])
    src.map(Times(3)).print()
    src.flat_map(Split()).print()
    src.key_by(First()).reduce(Longest()).print()
    src.filter(lambda v: v.startswith("a")).print()
    fns = {n["kind"]: cloudpickle.loads(n["fn"]) for n in env._take_plan("j").plan["nodes"] if "fn" in n}
    assert fns["python.map"]("ab") == "ababab"
    assert list(fns["python.flat_map"]("a,b")) == ["a", "b"]
    assert fns["key_by"]("key") == "k"
    assert fns["python.reduce"]("ab", "abc") == "abc"
    assert fns["python.filter"]("abc") is True and fns["python.filter"]("b") is False


@pytest.mark.parametrize("type_info, values", [
    (Types.INT(), [1, -2, 2 ** 31 - 1]),
    (Types.LONG(), [2 ** 40, -1]),
    (Types.BOOLEAN(), [True, False]),
    (Types.DOUBLE(), [1.5, 2]),
    (Types.STRING(), ["a", "ü"]),
    (Types.PRIMITIVE_ARRAY(Types.BYTE()), [b"\x00\x01", b""]),
    (Types.SQL_TIMESTAMP(), [datetime.datetime(2024, 1, 2, 3, 4, 5, 6)]),
    (None, [("a", 1), {"k": [1, 2]}, Row(name="n", age=3)]),
])
def test_collection_data_decodes_back(type_info, values):
    env = new_env()
    env.from_collection(values, type_info=type_info).print()
    source = env._take_plan("j").plan["nodes"][0]
    assert source["type"]["name"] == (type_info or Types.PICKLED_BYTE_ARRAY())._to_spec()["name"]
    decoded = decode_source(source)
    assert decoded == [float(v) for v in values] if type_info == Types.DOUBLE() else decoded == values


def test_config_and_python_fields(monkeypatch, tmp_path):
    config = Configuration().set_string("python.fn-execution.bundle.size", "7").set_boolean("x.flag", True)
    env = new_env(config=config)
    config.set_string("later", "ignored")  # the env keeps a copy
    env.from_collection([1]).print()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", "relative-missing", PYTHON_DIR, PYTHON_DIR])
    plan = env._take_plan("j").plan
    assert plan["config"] == {"python.fn-execution.bundle.size": "7", "x.flag": "true"}
    from pyflow.datastream.plan import _libpython
    assert plan["python"] == {"executable": sys.executable, "path": [str(tmp_path), PYTHON_DIR], "library": _libpython(),
                              "version": "%d.%d" % sys.version_info[:2]}


def test_only_nodes_reachable_from_sinks_and_env_forgets_sinks():
    env = new_env()
    src = env.from_collection([1, 2], Types.INT())
    src.map(lambda x: x, Types.INT())  # no sink: not part of the job
    src.filter(lambda x: x > 1).print("first")
    first = env._take_plan("one").plan
    assert [n["kind"] for n in first["nodes"]] == ["source.collection", "python.filter", "sink.print"]
    with pytest.raises(PlanError, match="no sinks defined"):
        env._take_plan("again")
    src.print()
    assert [n["kind"] for n in env._take_plan("two").plan["nodes"]] == ["source.collection", "sink.print"]


def test_two_sinks_get_distinct_ids_and_shared_nodes_appear_once():
    env = new_env(2)
    mapped = env.from_collection([1], Types.INT()).map(lambda x: x + 1, Types.LONG())
    mapped.print().set_parallelism(1).name("one")
    mapped.print("p")
    job = env._take_plan("j")
    assert [n["kind"] for n in job.plan["nodes"]] == ["source.collection", "python.map", "sink.print", "sink.print"]
    assert [n["sink_id"] for n in job.plan["nodes"][2:]] == [0, 1]
    assert job.plan["nodes"][2]["name"] == "one" and job.plan["nodes"][2]["parallelism"] == 1
    assert (job.sinks[0].parallelism, job.sinks[1].parallelism, job.sinks[1].identifier) == (1, 2, "p")
    assert job.sinks[1].type_spec == {"name": "LONG"}


def test_execute_without_sinks_is_a_plan_error_before_any_host_starts(monkeypatch):
    monkeypatch.setenv("PYFLOW_ENGINE_HOST", "/nonexistent/PyFlow.Host.dll")
    env = new_env()
    env.from_collection([1])
    with pytest.raises(PlanError, match=r"no sinks defined.*print\(\)"):
        env.execute()


def test_runtime_mode_and_parallelism_resolution():
    env = StreamExecutionEnvironment.get_execution_environment()
    assert env.get_parallelism() == (os.cpu_count() or 1)
    env.from_collection([1]).print()
    assert env._take_plan("j").plan["runtime_mode"] == "STREAMING"
    for mode, expected in [(RuntimeExecutionMode.BATCH, "BATCH"), (RuntimeExecutionMode.AUTOMATIC, "BATCH"),
                           (RuntimeExecutionMode.STREAMING, "STREAMING")]:
        env.set_runtime_mode(mode).from_collection([1]).print()
        assert env._take_plan("j").plan["runtime_mode"] == expected
    config = Configuration().set_string("execution.runtime-mode", "batch").set_integer("parallelism.default", 3)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.from_collection([1]).print()
    plan = env._take_plan("j").plan
    assert (plan["runtime_mode"], plan["parallelism"]) == ("BATCH", 3)
    bad = StreamExecutionEnvironment.get_execution_environment(Configuration().set_string("execution.runtime-mode", "x"))
    bad.from_collection([1]).print()
    with pytest.raises(PlanError, match="execution.runtime-mode"):
        bad._take_plan("j")
    with pytest.raises(TypeError, match="RuntimeExecutionMode"):
        env.set_runtime_mode("BATCH")
    with pytest.raises(PlanError, match=">= 1"):
        env.set_parallelism(0)


# -- plan-time errors -----------------------------------------------------------------------------------------

def test_unpicklable_function_is_refused_by_the_call_that_adds_it():
    lock = threading.Lock()
    ds = new_env().from_collection([1])
    with pytest.raises(PlanError) as info:
        ds.map(lambda x: (lock, x)).name("Locked")
    message = str(info.value)
    assert "DataStream.map()" in message and "operator 'Map'" in message and "lock" in message
    assert "define the function at module level" in message
    with pytest.raises(PlanError, match="KeyedStream.reduce"):
        ds.key_by(lambda x: x).reduce(lambda a, b: (lock, a))


def test_non_callable_is_a_type_error_naming_the_method():
    ds = new_env().from_collection([1])
    with pytest.raises(TypeError, match=r"DataStream.map\(\) expects a callable or a MapFunction, got int"):
        ds.map(42)
    with pytest.raises(TypeError, match=r"DataStream.key_by\(\) expects a callable or a KeySelector"):
        ds.key_by("field")
    with pytest.raises(TypeError, match="output_type must be a TypeInformation"):
        ds.map(str, output_type=int)


@pytest.mark.parametrize("type_info, values, index, fragment", [
    (Types.INT(), [1, 2, "3"], 2, "expected an int"),
    (Types.INT(), [1, 2 ** 31], 1, "out of range"),
    (Types.BYTE(), [1, 200], 1, "-128..127"),
    (Types.INT(), [True], 0, "expected an int"),
    (Types.STRING(), ["a", b"b"], 1, "expected a str"),
    (Types.DOUBLE(), [1.0, "x"], 1, "expected a float"),
    (Types.SQL_TIMESTAMP(), [datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)], 0, "naive"),
    (Types.LONG(), [1, None], 1, "is None"),
    (None, [1, threading.Lock()], 1, "cannot be pickled"),
])
def test_bad_collection_element_is_reported_by_index(type_info, values, index, fragment):
    with pytest.raises(PlanError) as info:
        new_env().from_collection(values, type_info=type_info)
    assert f"element {index}" in str(info.value) and fragment in str(info.value)
    if type_info is not None and fragment != "is None":
        assert repr(type_info) in str(info.value)


def test_parallelism_rules_of_sources_and_keyed_streams():
    ds = new_env().from_collection([1])
    assert ds.set_parallelism(1) is ds
    with pytest.raises(PlanError, match="non-parallel"):
        ds.set_parallelism(2)
    keyed = ds.key_by(lambda x: x)
    for call in (lambda: keyed.set_parallelism(2), lambda: keyed.name("n"), lambda: keyed.uid("u"),
                 keyed.get_name):
        with pytest.raises(PlanError, match="KeyedStream is not supported"):
            call()
    mapped = keyed.map(str).set_parallelism(4).name("Stringify").uid("s1")
    assert mapped.get_name() == "Stringify"


def test_validate_plan_rejects_broken_shapes():
    env = new_env()
    env.from_collection([1]).key_by(lambda x: x).reduce(lambda a, b: a).print()
    plan = env._take_plan("j").plan
    reversed_plan = dict(plan, nodes=list(reversed(plan["nodes"])))
    with pytest.raises(PlanError, match="not an earlier node"):
        validate_plan(reversed_plan)
    no_key = dict(plan, nodes=[n for n in plan["nodes"] if n["kind"] != "key_by"])
    no_key["nodes"][1] = dict(no_key["nodes"][1], inputs=[no_key["nodes"][0]["id"]])
    with pytest.raises(PlanError, match="reduce needs a key_by"):
        validate_plan(no_key)
    with pytest.raises(PlanError, match="unknown kind"):
        validate_plan(dict(plan, nodes=[dict(plan["nodes"][0], kind="source.pulsar")]))


# -- types, rows, configuration, errors -----------------------------------------------------------------------

def test_type_specs_and_planned_types():
    names = ["BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "BIG_INT", "FLOAT", "DOUBLE", "STRING", "SQL_TIMESTAMP",
             "PICKLED_BYTE_ARRAY"]
    for name in names:
        assert getattr(Types, name)()._to_spec() == {"name": name}
    assert Types.PRIMITIVE_ARRAY(Types.BYTE())._to_spec() == {"name": "BYTES"}
    assert Types.PRIMITIVE_ARRAY(Types.INT())._to_spec() == {"name": "PRIMITIVE_ARRAY", "element": {"name": "INT"}}
    for name in ["OBJECT_ARRAY", "CHAR"]:
        with pytest.raises(NotImplementedError, match=f"Types.{name} is not supported yet.*PICKLED_BYTE_ARRAY"):
            getattr(Types, name)([Types.INT()])
    with pytest.raises(TypeError, match="PRIMITIVE_ARRAY: invalid element type Types.STRING()"):
        Types.PRIMITIVE_ARRAY(Types.STRING())


def test_row_behaves_as_tuple_with_names():
    row = Row(word="a", count=2)
    assert row == ("a", 2) and row.count == 2 and row["word"] == "a" and row.as_dict() == {"word": "a", "count": 2}
    assert pickle.loads(pickle.dumps(row)).as_dict() == row.as_dict()
    assert repr(Row(1, "x")) == "<Row(1, 'x')>"


def test_configuration_stores_strings_and_refuses_bad_values():
    config = Configuration().set_integer("a", 3).set_boolean("b", False).set_string("c", "x")
    assert config.to_dict() == {"a": "3", "b": "false", "c": "x"}
    assert (config.get_integer("a"), config.get_boolean("b", True), config.get_string("zz", "d")) == (3, False, "d")
    assert config.contains_key("c") and not config.contains_key("zz")
    with pytest.raises(PlanError, match="'c' must be an integer"):
        config.get_integer("c")
    with pytest.raises(TypeError, match="set_string"):
        config.set_string("n", 1)


def test_error_kinds_map_to_exception_classes():
    from pyflow._gateway.error_map import error_from_map
    base = {"message": "m", "task": "Map -> Filter (1/2)", "operator": "Map"}
    python = error_from_map(dict(base, error="python", python_type="ZeroDivisionError",
                                 python_message="division by zero", python_traceback="Traceback ...\n"))
    assert isinstance(python, PythonFunctionError) and python.operator == "Map"
    assert str(python) == ("Python function in operator 'Map' (task 'Map -> Filter (1/2)') raised ZeroDivisionError: "
                           "division by zero\n\nTraceback from the worker:\nTraceback ...")
    died = error_from_map(dict(base, error="worker_died", exit_code=-9, stderr_tail="MemoryError"))
    assert isinstance(died, WorkerDiedError) and died.exit_code == -9 and "MemoryError" in str(died)
    assert isinstance(error_from_map(dict(base, error="plan")), PlanError)
    protocol = error_from_map(dict(base, error="protocol"))
    assert isinstance(protocol, ProtocolError) and isinstance(protocol, frames.ProtocolError)
    engine = error_from_map(dict(base, error="engine"))
    assert type(engine) is EngineError and "task 'Map -> Filter (1/2)'" in str(engine)
    assert isinstance(error_from_map(dict(base, error="cosmic-ray")), ProtocolError)


@pytest.mark.parametrize("module", [
    "pyflow", "pyflow.errors", "pyflow.common", "pyflow.common.typeinfo", "pyflow.common._nested_types", "pyflow.common.row",
    "pyflow.common.configuration", "pyflow.datastream", "pyflow.datastream.functions", "pyflow.datastream.plan",
    "pyflow.datastream.data_stream", "pyflow.datastream.stream_execution_environment",
    "pyflow.datastream._udf", "pyflow.datastream._collection", "pyflow._gateway.error_map",
    "pyflow._gateway.results", "pyflow.datastream._notebook",
])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


# -- the gateway client against a fake host --------------------------------------------------------------------

FAKE_HOST = textwrap.dedent("""
    import json, os, struct, sys, time
    sys.path.insert(0, {python_dir!r})
    import msgpack
    from pyflow._arrow import Field, RecordBatch, Schema, read_stream, write_stream
    from pyflow._protocol.frames import read_frame, write_frame
    from pyflow._protocol.values import arrow_type, from_column, to_column

    scenario = json.load(open(sys.argv[1]))
    mode = scenario["mode"]
    out = sys.stdout.buffer
    if "pid_file" in scenario:
        open(scenario["pid_file"], "w").write(str(os.getpid()))

    def send(kind, payload=b""):
        write_frame(out, kind, payload)
        out.flush()

    def pack(value):
        return msgpack.packb(value, use_bin_type=True)

    if mode == "no_hello":
        sys.stderr.write("fake host: cannot start\\n")
        sys.exit(3)
    send(0x10, pack({{"protocol": scenario.get("protocol", 1), "engine": "fake"}}))
    if mode == "corrupt":
        out.write(struct.pack("<IB", 0xFFFFFFF0, 0x11))
        out.flush()
        sys.exit(7)
    if mode == "truncated":
        out.write(struct.pack("<IB", 100, 0x11) + b"abc")
        out.flush()
        sys.exit(5)
    kind, payload = read_frame(sys.stdin.buffer, "fake host stdin")
    if "record" in scenario:
        open(scenario["record"], "wb").write(bytes([kind]) + payload)
    plan = msgpack.unpackb(payload, raw=False)["plan"]
    if mode == "fail":
        send(0x13, pack({{"error": "python", "message": "user code failed", "task": "Map (1/1)",
                         "operator": "Map", "python_type": "ValueError", "python_message": "bad",
                         "python_traceback": "Traceback: line 1", "exit_code": None, "stderr_tail": None}}))
    else:  # run / hang: every sink gets the source's records, split over its subtasks
        source = plan["nodes"][0]
        values = from_column(source["type"], read_stream(source["data"])[0].column("v"))
        for node in plan["nodes"]:
            if "sink_id" in node:
                p = plan["parallelism"] if node["parallelism"] == -1 else node["parallelism"]
                for s in range(p):
                    batch = RecordBatch(Schema([Field("v", arrow_type(node["type"]))]),
                                        [to_column(node["type"], values[s::p])])
                    send(0x11, struct.pack("<II", node["sink_id"], s) + write_stream(batch))
        if mode == "die":
            sys.exit(9)
        if mode == "run":
            send(0x14, pack({{"text": "Map (1/2)> worker line"}}))
            send(0x12, pack({{"duration_ms": 42}}))
    while True:
        frame = read_frame(sys.stdin.buffer, "fake host stdin")
        if frame is None:
            break
        if frame[0] == 0x02 and "cancel_marker" in scenario:
            open(scenario["cancel_marker"], "w").write("CANCEL")
""")


@pytest.fixture
def fake_host(tmp_path, monkeypatch):
    """Puts a fake `dotnet` on PATH that runs FAKE_HOST; returns a function setting the scenario."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = tmp_path / "fake_host.py"
    script.write_text(FAKE_HOST.format(python_dir=PYTHON_DIR))
    dotnet = bin_dir / "dotnet"
    dotnet.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    dotnet.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")

    def use(mode, **extra):
        dll = tmp_path / "PyFlow.Host.dll"  # holds the scenario: the fake reads its argv[1]
        dll.write_text(json.dumps(dict(extra, mode=mode)))
        monkeypatch.setenv("PYFLOW_ENGINE_HOST", str(dll))
    return use


def assert_gone(pid_file):
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_missing_host_names_where_it_looked_and_how_to_build(monkeypatch, tmp_path):
    missing = tmp_path / "nope" / "PyFlow.Host.dll"
    monkeypatch.setenv("PYFLOW_ENGINE_HOST", str(missing))
    env = new_env()
    env.from_collection([1]).print()
    with pytest.raises(EngineHostNotFoundError) as info:
        env.execute()
    assert str(missing) in str(info.value) and "./dev build" in str(info.value)
    assert "pip install . --no-build-isolation" in str(info.value)
    assert isinstance(info.value, FileNotFoundError)


def test_missing_dotnet_says_to_install_the_runtime(monkeypatch, tmp_path):
    dll = tmp_path / "PyFlow.Host.dll"
    dll.write_text("")
    monkeypatch.setenv("PYFLOW_ENGINE_HOST", str(dll))
    monkeypatch.setenv("PATH", str(tmp_path))
    env = new_env()
    env.from_collection([1]).print()
    with pytest.raises(EngineHostNotFoundError, match=r"dotnet.*\.NET 10 runtime"):
        env.execute()


def test_corrupt_frame_after_hello_is_a_protocol_error_with_the_exit_code(fake_host):
    fake_host("corrupt")
    env = new_env()
    env.from_collection([1]).print()
    with pytest.raises(ProtocolError, match=r"corrupt or truncated frame.*outside 1\.\..*exit code 7"):
        env.execute()


def test_truncated_frame_is_a_protocol_error(fake_host):
    fake_host("truncated")
    env = new_env()
    env.from_collection([1]).print()
    # A host that exits inside a frame died mid-write: reported as its death, the truncation as the cause.
    with pytest.raises(EngineHostDiedError, match=r"the engine host died \(exit code 5\)") as info:
        env.execute()
    assert isinstance(info.value.__cause__, ProtocolError)
    assert "stream ended inside a frame" in str(info.value.__cause__.__cause__)


def test_host_dying_before_hello_reports_its_exit_code(fake_host):
    fake_host("no_hello")
    env = new_env()
    env.from_collection([1]).print()
    with pytest.raises(EngineError, match=r"waited for HELLO.*exit code 3"):
        env.execute()


def test_other_protocol_version_is_refused(fake_host):
    fake_host("run", protocol=2)
    env = new_env()
    env.from_collection([1]).print()
    with pytest.raises(ProtocolError, match="speaks gateway protocol 2, this driver speaks 1"):
        env.execute()


def test_execute_prints_results_forwards_logs_and_returns_the_result(fake_host, tmp_path, capsys):
    record = tmp_path / "submit.bin"
    fake_host("run", record=str(record))
    env = new_env(2)
    src = env.from_collection(["a", "b", "c"], type_info=Types.STRING())
    src.print()
    src.print("ids").set_parallelism(1)
    result = env.execute("fake job")
    assert (result.get_job_name(), result.get_net_runtime()) == ("fake job", 42)
    out, err = capsys.readouterr()
    assert sorted(out.splitlines()) == sorted(["1> a", "1> c", "2> b", "ids> a", "ids> b", "ids> c"])
    assert err == "Map (1/2)> worker line\n"
    submitted = record.read_bytes()
    assert submitted[0] == 0x01  # SUBMIT
    import msgpack
    submit = msgpack.unpackb(submitted[1:], raw=False)
    assert submit["protocol"] == 1 and submit["plan"]["job_name"] == "fake job"
    assert isinstance(submit["plan"]["nodes"][0]["data"], bytes)


def test_execute_and_collect_yields_values_and_limit_returns_a_list(fake_host):
    fake_host("run")
    env = new_env(2)
    with env.from_collection([3, 1, 2], type_info=Types.INT()).execute_and_collect() as results:
        assert sorted(results) == [1, 2, 3]
    ds = env.from_collection([(1, "a"), (2, "b")])
    assert sorted(ds.execute_and_collect("named", limit=5)) == [(1, "a"), (2, "b")]


def test_host_dying_mid_job_is_an_engine_error_with_its_exit_code(fake_host):
    fake_host("die")
    results = new_env(1).from_collection([1, 2], type_info=Types.INT()).execute_and_collect()
    assert next(results) == 1 and next(results) == 2
    with pytest.raises(EngineHostDiedError, match=r"the engine host died \(exit code 9\) while the job ran; the job has "
                                                  r"no restart strategy") as info:
        next(results)
    assert isinstance(info.value, EngineError) and info.value.exit_code == 9
    assert "closed its output while the driver waited for the job to finish" in str(info.value.__cause__)


def test_failed_job_raises_the_python_error(fake_host):
    fake_host("fail")
    env = new_env()
    env.from_collection([1]).print()
    with pytest.raises(PythonFunctionError) as info:
        env.execute()
    assert (info.value.task, info.value.operator, info.value.python_type) == ("Map (1/1)", "Map", "ValueError")
    assert str(info.value).endswith("raised ValueError: bad\n\nTraceback from the worker:\nTraceback: line 1")


def test_closing_a_collect_iterator_cancels_and_stops_the_host(fake_host, tmp_path):
    tmp = tmp_path
    fake_host("hang", cancel_marker=str(tmp / "cancel"), pid_file=str(tmp / "pid"))
    env = new_env(1)
    results = env.from_collection([1, 2], type_info=Types.LONG()).execute_and_collect()
    assert next(results) == 1
    results.close()
    assert (tmp / "cancel").read_text() == "CANCEL"
    assert_gone(tmp / "pid")
    with pytest.raises(StopIteration):
        next(results)


def test_ctrl_c_during_execute_cancels_stops_the_host_and_reraises(fake_host, tmp_path):
    tmp = tmp_path
    fake_host("hang", cancel_marker=str(tmp / "cancel"), pid_file=str(tmp / "pid"))
    env = new_env(1)
    env.from_collection([1]).print()
    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        env.execute()
    timer.join()
    assert time.monotonic() - started < 10
    assert (tmp / "cancel").read_text() == "CANCEL"
    assert_gone(tmp / "pid")


@pytest.mark.parametrize("module", ["pyflow.worker.main", "pyflow.worker.embedded", "pyflow.datastream", "pyflow.common"])
def test_each_entry_module_imports_first_in_a_fresh_interpreter(module):
    # A worker imports pyflow.worker.main before anything else: an import cycle shows only there.
    run = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
