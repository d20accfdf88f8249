"""PyFlink completeness: every public PyFlink name PyFlow mirrors (python/pyflow/_compat/pyflink_names.py) is
either really implemented, or raises NotImplementedError saying so; a real implementation always wins."""
import importlib
import pathlib
import sys

import pytest

import pyflow.datastream
from pyflow._compat.completeness import MISSING, PLACEHOLDER, SUPPORTED, all_statuses, is_placeholder
from pyflow._compat.missing import PyFlinkMethodNotSupportedError, PyFlinkNameNotSupportedError
from pyflow._compat.pyflink_names import CLASS_METHODS, MODULES
from pyflow.common import Types
from pyflow.datastream import DataStream, KeyedStream, StreamExecutionEnvironment

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import gen_docs  # noqa: E402


@pytest.fixture(scope="module")
def statuses():
    return all_statuses()


def _call_with_nones(fn):
    import inspect
    params = [p for p in inspect.signature(fn).parameters.values()
              if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return fn(*([None] * len(params)))


def test_every_name_is_implemented_or_raises_a_clear_not_implemented_error(statuses, record_property):
    assert len(statuses) == sum(map(len, MODULES.values())) + sum(len(m) for _, m in CLASS_METHODS.values())
    missing = []
    for s in statuses:
        assert s.state in (SUPPORTED, PLACEHOLDER, MISSING), s
        if s.state == SUPPORTED:
            continue
        missing.append(s.qualified)
        if s.state == PLACEHOLDER:  # defined, and its only statement raises NotImplementedError: check it does
            owner = importlib.import_module(s.owner) if s.owner.startswith("pyflow") else None
            obj = getattr(owner, s.name) if owner else getattr(_instance(s.owner), s.name)
            with pytest.raises(NotImplementedError):
                _call_with_nones(obj)
        elif s.owner.startswith("pyflow"):
            assert s.detail == (f"{s.owner}.{s.name} is a PyFlink name PyFlow does not support yet; "
                                "see docs/migration.md")
        elif isinstance(_instance(s.owner), str):  # the class itself is missing (ConnectedStreams without connect)
            assert s.detail == _instance(s.owner)
        else:
            assert s.detail == (f"{_pyflow_class_of(s.owner)}.{s.name} is a PyFlink method PyFlow does not "
                                "support yet; see docs/migration.md")
    print(f"\n{len(missing)} of {len(statuses)} PyFlink names are missing in PyFlow:\n  " + "\n  ".join(missing))
    record_property("missing_pyflink_names", " ".join(missing))  # in the JUnit XML too
    assert any(s.state == SUPPORTED for s in statuses)


_instances = {}


def _instance(owner):
    if not _instances:
        from pyflow._compat.completeness import sample_instances
        _instances.update(sample_instances())
    return _instances[owner]


def _pyflow_class_of(owner):
    instance = _instance(owner)
    return instance.__name__ if isinstance(instance, type) else type(instance).__name__


def test_from_import_of_a_missing_name_raises_the_not_implemented_error(statuses):
    missing = [s for s in statuses if s.state == MISSING and s.owner.startswith("pyflow")]
    assert missing, "every PyFlink module name is implemented: nothing left to check here"
    for s in missing:
        with pytest.raises(NotImplementedError) as e:
            exec(f"from {s.owner} import {s.name}", {})
        assert isinstance(e.value, PyFlinkNameNotSupportedError)
        assert not isinstance(e.value, (AttributeError, ImportError))
        assert str(e.value) == f"{s.owner}.{s.name} is a PyFlink name PyFlow does not support yet; see docs/migration.md"


def test_a_missing_stream_method_raises_not_implemented_error_naming_it(statuses):
    missing = [s for s in statuses if s.state == MISSING and s.owner in ("DataStream", "KeyedStream")]
    assert missing
    ds = StreamExecutionEnvironment.get_execution_environment().from_collection([1], type_info=Types.INT())
    stream = {"DataStream": ds, "KeyedStream": ds.key_by(lambda v: v)}
    for s in missing:
        with pytest.raises(NotImplementedError) as e:
            getattr(stream[s.owner], s.name)(None)
        assert str(e.value) == (f"{s.owner}.{s.name} is a PyFlink method PyFlow does not support yet; "
                                "see docs/migration.md")
        # still an AttributeError too, so feature tests answer "absent" instead of raising
        assert isinstance(e.value, PyFlinkMethodNotSupportedError) and isinstance(e.value, AttributeError)
        assert not hasattr(stream[s.owner], s.name)
        assert getattr(stream[s.owner], s.name, "absent") == "absent"


def test_names_pyflink_does_not_have_stay_plain_attribute_and_import_errors():
    with pytest.raises(AttributeError) as e:
        pyflow.datastream.NoSuchPyFlinkName  # noqa: B018
    assert not isinstance(e.value, NotImplementedError)
    with pytest.raises(ImportError):
        exec("from pyflow.datastream import NoSuchPyFlinkName", {})
    ds = StreamExecutionEnvironment.get_execution_environment().from_collection([1])
    with pytest.raises(AttributeError) as e:
        ds.no_such_method  # noqa: B018
    assert not isinstance(e.value, NotImplementedError)
    # private probes (IPython's display machinery, pickle) are never answered by the hook
    assert getattr(ds, "_repr_mimebundle_", None) is None
    assert getattr(ds, "__setstate__", None) is None


def test_a_real_implementation_wins_over_the_hook():
    class ConnectingStream(DataStream):
        def connect(self, other):
            """A stand-in for the real connect another branch adds."""
            return ("connected", other)

    env = StreamExecutionEnvironment.get_execution_environment()
    ds = env.from_collection([1])
    real = ConnectingStream(env, ds._node)
    assert real.connect(7) == ("connected", 7)
    assert hasattr(real, "connect")
    # module names: once defined (here patched in), the hook is never asked
    sentinel = type("OutputTag", (), {"__doc__": "stand-in"})
    module_dict = vars(pyflow.datastream)
    before = module_dict.get("OutputTag", sentinel)
    module_dict["OutputTag"] = sentinel
    try:
        namespace = {}
        exec("from pyflow.datastream import OutputTag", namespace)
        assert namespace["OutputTag"] is sentinel
    finally:
        if before is sentinel:
            del module_dict["OutputTag"]
        else:
            module_dict["OutputTag"] = before


def test_subclasses_get_the_methods_of_every_pyflink_class_they_stand_for():
    keyed = StreamExecutionEnvironment.get_execution_environment().from_collection([1]).key_by(lambda v: v)
    assert isinstance(keyed, KeyedStream)
    for name in CLASS_METHODS["KeyedStream"][1] + CLASS_METHODS["DataStream"][1]:
        try:
            getattr(keyed, name)
        except NotImplementedError as e:
            assert str(e).startswith(f"KeyedStream.{name} is a PyFlink method")


def test_is_placeholder_tells_a_stub_from_an_implementation():
    def stub(x):
        """Not yet."""
        raise NotImplementedError("planned")

    def partial(x):
        if x:
            raise NotImplementedError("only falsy")
        return x

    class Stubbed:
        def __init__(self, *args):
            raise NotImplementedError

    assert is_placeholder(stub) and is_placeholder(Stubbed)
    assert not is_placeholder(partial) and not is_placeholder(len) and not is_placeholder(DataStream)


def test_the_table_holds_what_the_issue_asks_pyflow_to_mirror():
    """The names issue 6 lists are in PyFlink's table (so the completeness check covers them)."""
    methods = {c: set(m) for c, (_, m) in CLASS_METHODS.items()}
    assert {"get_execution_environment", "set_parallelism", "set_runtime_mode", "enable_checkpointing",
            "get_config", "from_collection", "read_text_file", "from_source", "add_source", "execute",
            "execute_async"} <= methods["StreamExecutionEnvironment"]
    assert {"map", "flat_map", "filter", "key_by", "union", "connect", "process", "assign_timestamps_and_watermarks",
            "window_all", "get_side_output", "print", "sink_to", "add_sink", "execute_and_collect", "name", "uid",
            "set_parallelism", "rebalance", "rescale", "shuffle", "broadcast", "partition_custom"} \
        <= methods["DataStream"]
    assert {"reduce", "sum", "min", "max", "min_by", "max_by", "window", "count_window", "process"} \
        <= methods["KeyedStream"]
    for c in ("WindowedStream", "AllWindowedStream"):
        assert {"reduce", "aggregate", "process", "apply", "trigger", "allowed_lateness",
                "side_output_late_data"} <= methods[c]
    assert {"MapFunction", "FlatMapFunction", "FilterFunction", "KeySelector", "ReduceFunction", "AggregateFunction",
            "ProcessFunction", "KeyedProcessFunction", "ProcessWindowFunction", "CoMapFunction", "CoFlatMapFunction",
            "CoProcessFunction", "KeyedCoProcessFunction", "RuntimeContext"} \
        <= set(MODULES["pyflow.datastream.functions"])
    assert {"Time", "Encoder", "Duration", "Types", "Row", "WatermarkStrategy"} <= set(MODULES["pyflow.common"])
    assert {"ROW", "ROW_NAMED", "TUPLE", "LIST", "MAP", "PICKLED_BYTE_ARRAY"} <= methods["Types"]
    for names in list(MODULES.values()) + [m for _, m in CLASS_METHODS.values()]:
        assert len(names) == len(set(names)), "a name twice in one list"


def test_migration_table_is_current():
    path = ROOT / "docs" / "migration.md"
    assert path not in gen_docs.stale(), "docs/migration.md is out of date: run .venv/bin/python tools/gen_docs.py"
