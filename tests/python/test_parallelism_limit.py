"""Parallelism has a cap (pyflow.parallelism.max): checked by the driver at plan time and again by the host,
and a value past 32 bits is refused, never truncated."""
import os

import pytest

from pyflow._gateway.host_locator import host_command
from pyflow._gateway.job_run import JobRun
from pyflow.common import Configuration, Types
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.errors import PlanError


def _env(limit=None):
    config = Configuration()
    if limit is not None:
        config.set_string("pyflow.parallelism.max", str(limit))
    return StreamExecutionEnvironment.get_execution_environment(config).set_parallelism(1)


def test_an_operator_above_the_limit_is_refused_naming_it_the_limit_and_the_option():
    env = _env(limit=3)
    env.from_collection([1, 2]).map(lambda x: x, Types.INT()).name("Wide").set_parallelism(4).print()
    with pytest.raises(PlanError) as info:
        env.execute("too wide")
    text = str(info.value)
    assert "operator 'Wide': parallelism 4 is above the limit 3 (pyflow.parallelism.max)" in text
    assert "set_string('pyflow.parallelism.max'" in text


def test_the_default_limit_is_four_times_the_cpus():
    cpus = len(os.sched_getaffinity(0))
    env = _env()
    env.from_collection([1]).map(lambda x: x, Types.INT()).set_parallelism(4 * cpus + 1).print()
    with pytest.raises(PlanError, match=f"above the limit {4 * cpus} "):
        env.execute("one too many")


def test_a_job_parallelism_past_32_bits_is_refused_by_the_driver():
    env = _env(limit=2 ** 31 - 1)
    env.set_parallelism(2 ** 32 + 1)
    env.from_collection([1]).map(lambda x: x, Types.INT()).print()
    with pytest.raises(PlanError, match="the job's default parallelism 4294967297 is above the limit 2147483647"):
        env.execute("huge")


def test_a_bad_limit_is_refused():
    env = _env(limit="lots")
    env.from_collection([1]).print()
    with pytest.raises(PlanError, match="'pyflow.parallelism.max' must be an integer from 1 to 2147483647, got 'lots'"):
        env.execute("bad")


def _run_on_host(env, edit):
    """Submits ``env``'s plan after ``edit`` changed it past the driver's checks: what the host alone says."""
    job = env._take_plan("edited")
    edit(job.plan)
    run = JobRun(job, host_command())
    try:
        while run.next_values() is not None:
            pass
    finally:
        run.abort()


def test_the_host_refuses_an_operator_above_the_limit_of_the_plan():
    env = _env(limit=8)
    env.from_collection([1, 2]).map(lambda x: x, Types.INT()).name("Wide").set_parallelism(3).print()
    with pytest.raises(PlanError, match=r"operator 'Wide': parallelism 3 is above the limit 2 \(pyflow.parallelism.max\)"):
        _run_on_host(env, lambda plan: plan["config"].update({"pyflow.parallelism.max": "2"}))


def test_the_host_refuses_a_parallelism_past_32_bits_instead_of_truncating_it_to_1():
    env = _env()
    env.from_collection([1, 2]).map(lambda x: x, Types.INT()).name("Huge").print()

    def widen(plan):
        next(n for n in plan["nodes"] if n["name"] == "Huge")["parallelism"] = 2 ** 32 + 1
    with pytest.raises(PlanError, match="operator 'Huge': parallelism 4294967297 is out of range"):
        _run_on_host(env, widen)
