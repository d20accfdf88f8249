"""The environment's pipeline options that change how a job runs, through the real engine in both modes:
``set_max_parallelism`` (the number of key groups), ``disable_operator_chaining``, ``set_buffer_timeout``, and
the JSON of ``get_execution_plan``; plus ``TimeCharacteristic`` and the future of
``JobClient.get_job_execution_result``."""
import json
import os
import threading
import time
from concurrent.futures import Future

import pytest

from pyflow.common import Configuration, Types
from pyflow.common.job_execution_result import JobExecutionResult
from pyflow.datastream import (KeyedProcessFunction, SinkFunction, SourceFunction, StreamExecutionEnvironment,
                               TimeCharacteristic)
from pyflow.errors import PlanError, PythonFunctionError

KEYS = [f"k{i}" for i in range(200)]


def make_env(mode: str, parallelism: int) -> StreamExecutionEnvironment:
    env = StreamExecutionEnvironment.get_execution_environment(
        Configuration().set_string("python.execution-mode", mode))
    return env.set_parallelism(parallelism)


class SubtaskOfKey(KeyedProcessFunction):
    def open(self, runtime_context):
        self.index = runtime_context.get_index_of_this_subtask()

    def process_element(self, value, ctx):
        yield value, self.index


def subtask_of_each_key(mode: str, parallelism: int, max_parallelism: "int | None") -> dict:
    env = make_env(mode, parallelism)
    if max_parallelism is not None:
        env.set_max_parallelism(max_parallelism)
    out = list(env.from_collection(KEYS, Types.STRING()).key_by(lambda k: k, Types.STRING())
               .process(SubtaskOfKey(), Types.TUPLE([Types.STRING(), Types.INT()])).execute_and_collect())
    assert sorted(k for k, _ in out) == sorted(KEYS)  # every key once
    return dict(out)


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_max_parallelism_is_the_number_of_key_groups(mode):
    by_2 = subtask_of_each_key(mode, 2, 2)
    by_4 = subtask_of_each_key(mode, 2, 4)
    # key group = hash % max; subtask = group * parallelism // max: with 2 groups a key's subtask is bit 0 of
    # its hash, with 4 groups bit 1, so about half the keys move (all 200 staying put is a 2^-200 chance)
    assert by_2 != by_4
    assert sum(by_2[k] != by_4[k] for k in KEYS) > 50
    # with the groups fixed, rescaling moves whole groups: subtask s of 4 is subtask s // 2 of 2
    by_4_at_4 = subtask_of_each_key(mode, 4, 4)
    assert {k: s // 2 for k, s in by_4_at_4.items()} == by_4
    # unset, the engine has 128 key groups
    assert subtask_of_each_key(mode, 2, None) == subtask_of_each_key(mode, 2, 128)


def test_parallelism_above_max_parallelism_is_refused_at_plan_time():
    env = make_env("process", 3).set_max_parallelism(2)
    env.from_collection(KEYS, Types.STRING()).key_by(lambda k: k).map(lambda k: k).print()
    with pytest.raises(PlanError, match=r"'Map' would run at parallelism 3, above the max parallelism 2 .*"
                                        r"set_max_parallelism\(3\)"):
        env.execute()
    for bad in (0, 32769, "8", True):
        with pytest.raises(PlanError, match="set_max_parallelism expects an int in 1..32768"):
            env.set_max_parallelism(bad)
    assert make_env("process", 1).get_max_parallelism() == -1
    env = StreamExecutionEnvironment.get_execution_environment(
        Configuration().set_string("pipeline.max-parallelism", "many"))
    with pytest.raises(PlanError, match="'pipeline.max-parallelism' must be an int in 1..32768, got 'many'"):
        env.get_max_parallelism()


def where():
    return os.getpid(), threading.get_ident()


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_disable_operator_chaining_runs_each_function_on_its_own(mode):
    def run(chaining: bool):
        env = make_env(mode, 1)
        if not chaining:
            env.disable_operator_chaining()
        assert env.is_chaining_enabled() is chaining
        return list(env.from_collection([1, 2, 3], Types.INT()).map(lambda v: (v, where()))
                    .map(lambda t: (t[0], t[1], where())).execute_and_collect())

    for value, first, second in run(True):
        assert first == second  # fused: one worker round trip, on one thread
    unchained = run(False)
    assert sorted(v for v, _, _ in unchained) == [1, 2, 3]
    for _, first, second in unchained:
        # two operators: in process mode two workers, in thread mode two subtask threads
        assert first[0] != second[0] if mode == "process" else first[1] != second[1]


def test_operator_chaining_option_is_checked():
    env = StreamExecutionEnvironment.get_execution_environment(
        Configuration().set_string("pipeline.operator-chaining", "maybe"))
    with pytest.raises(PlanError, match="'pipeline.operator-chaining' must be true or false, got 'maybe'"):
        env.is_chaining_enabled()


def test_execution_plan_is_flinks_json_and_keeps_the_sinks():
    env = make_env("process", 2)
    left = env.from_collection([1, 2, 3], Types.INT())
    right = env.from_collection([4, 5], Types.INT()).map(lambda v: v, Types.INT()).set_parallelism(3)
    (left.union(right).rebalance().map(lambda v: v + 1, Types.INT()).name("plus one").set_parallelism(4)
     .key_by(lambda v: v % 2).reduce(lambda a, b: a + b).print())
    plan = json.loads(env.get_execution_plan())
    node = {n["contents"]: n for n in plan["nodes"]}
    ids = {name: n["id"] for name, n in node.items()}
    assert [n["pact"] for n in plan["nodes"]] == ["Data Source", "Data Source", "Operator", "Operator", "Operator",
                                                  "Operator", "Data Sink"]
    assert [n["parallelism"] for n in plan["nodes"]] == [1, 1, 3, 4, 4, 2, 2]
    assert "predecessors" not in plan["nodes"][0]
    assert node["plus one"]["predecessors"] == [
        {"id": plan["nodes"][0]["id"], "ship_strategy": "REBALANCE", "side": "second"},
        {"id": ids["Map"], "ship_strategy": "REBALANCE", "side": "second"}]
    key_by, reduce_, sink = plan["nodes"][4], plan["nodes"][5], plan["nodes"][6]
    assert key_by["predecessors"] == [{"id": ids["plus one"], "ship_strategy": "FORWARD", "side": "second"}]
    assert reduce_["predecessors"] == [{"id": key_by["id"], "ship_strategy": "HASH", "side": "second"}]
    assert sink["type"] == "Sink: Print to Std. Out"
    assert sink["predecessors"] == [{"id": reduce_["id"], "ship_strategy": "FORWARD", "side": "second"}]
    # the plan leaves the job in place: it still runs
    assert len(env._sinks) == 1


def test_time_characteristic_is_event_time_unless_set():
    env = make_env("process", 1)
    assert env.get_stream_time_characteristic() is TimeCharacteristic.EventTime
    assert env.set_stream_time_characteristic(TimeCharacteristic.ProcessingTime) is env
    assert env.get_stream_time_characteristic() is TimeCharacteristic.ProcessingTime
    with pytest.raises(TypeError, match="expects a TimeCharacteristic"):
        env.set_stream_time_characteristic("EventTime")


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_job_execution_result_is_a_future(mode):
    env = make_env(mode, 1)
    env.from_collection([1, 2], Types.INT()).map(lambda v: v).print()
    client = env.execute_async("future")
    future = client.get_job_execution_result()
    assert isinstance(future, Future)
    result = future.result(timeout=100)
    assert isinstance(result, JobExecutionResult) and result.get_job_id() == client.get_job_id()
    assert future.done() and future.exception() is None

    def boom(v):
        raise ValueError("boom in map")

    env.from_collection([1, 2], Types.INT()).map(boom).print()
    failing = env.execute_async("failing").get_job_execution_result()
    with pytest.raises(PythonFunctionError, match="boom in map"):
        failing.result(timeout=100)
    assert isinstance(failing.exception(), PythonFunctionError)


class OneThenWait(SourceFunction):
    """Emits "first", then waits (at most ``wait_s``) for the sink to have seen it, then says whether it did."""

    def __init__(self, marker: str, wait_s: float):
        self.marker, self.wait_s = marker, wait_s

    def run(self, ctx):
        ctx.collect("first")
        deadline = time.monotonic() + self.wait_s
        while not os.path.exists(self.marker) and time.monotonic() < deadline:
            time.sleep(0.02)
        ctx.collect("seen" if os.path.exists(self.marker) else "not seen")

    def cancel(self):
        pass


class MarkOnFirst(SinkFunction):
    def __init__(self, marker: str):
        self.marker = marker

    def invoke(self, value, context):
        if value == "first":
            open(self.marker, "w").close()


def first_record_seen_while_source_waits(mode: str, tmp_path, timeout_ms: int, wait_s: float) -> bool:
    marker = str(tmp_path / f"seen-{timeout_ms}")
    env = make_env(mode, 2).set_buffer_timeout(timeout_ms)
    stream = env.add_source(OneThenWait(marker, wait_s), type_info=Types.STRING()).rebalance()  # a network edge
    stream.add_sink(MarkOnFirst(marker))
    out = list(stream.map(lambda v: v, Types.STRING()).execute_and_collect())
    assert sorted(out) in (["first", "seen"], ["first", "not seen"])
    return "seen" in out


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_buffer_timeout_bounds_how_long_a_partly_filled_batch_waits(mode, tmp_path):
    # 50 ms: "first" reaches the sink while the source still waits (bounded by 60 s on a loaded machine)
    assert first_record_seen_while_source_waits(mode, tmp_path, 50, 60.0)
    # 10 min: "first" sits in its partly filled batch until the source ends, so the sink never saw it in time
    assert not first_record_seen_while_source_waits(mode, tmp_path, 600_000, 3.0)


def test_buffer_timeout_is_checked():
    env = make_env("process", 1)
    assert env.get_buffer_timeout() == 10
    assert env.set_buffer_timeout(12000).get_buffer_timeout() == 12000
    for bad in (0, -1, 1.5, True):
        with pytest.raises(PlanError, match="set_buffer_timeout expects milliseconds as an int > 0"):
            env.set_buffer_timeout(bad)
    env = StreamExecutionEnvironment.get_execution_environment(
        Configuration().set_string("execution.buffer-timeout", "1 min"))
    assert env.get_buffer_timeout() == 60000
    env = StreamExecutionEnvironment.get_execution_environment(
        Configuration().set_string("execution.buffer-timeout", "soon"))
    with pytest.raises(PlanError, match="'execution.buffer-timeout' must be a positive duration"):
        env.get_buffer_timeout()
    env.from_collection([1]).print()
    with pytest.raises(PlanError, match="option 'execution.buffer-timeout' must be a positive duration such as "
                                        "'100 ms' or '1 min', not 'soon'"):
        env.execute()
