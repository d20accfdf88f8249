"""A user function that does not return: python.fn-execution.timeout fails the job naming the operator and the
exact record; without it, a warning names them every stall-warning interval; cancel() is quick in thread mode."""
import time

import pytest

from conftest import make_env
from pyflow.common import Types
from pyflow.errors import PlanError, PythonFunctionError

MODES = ["process", "thread"]


def sleep_at_7(x):
    if x == 7:
        time.sleep(3600)
    return x


def spin_at_7(x):
    while x == 7:
        pass
    return x


def _env(mode, **options):
    env = make_env(1, mode)
    for key, value in options.items():
        env._config.set_string(key, value)
    return env


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fn", [sleep_at_7, spin_at_7], ids=["sleeping", "spinning"])
def test_a_call_past_the_timeout_fails_the_job_naming_operator_and_record(mode, fn):
    env = _env(mode, **{"python.fn-execution.timeout": "1 s"})
    stream = env.from_collection(list(range(20)), type_info=Types.INT()).map(fn, output_type=Types.INT()).name("Hanger")
    start = time.monotonic()
    with pytest.raises(PythonFunctionError) as info:
        list(stream.execute_and_collect())
    took = time.monotonic() - start
    e = info.value
    assert e.operator == "Hanger" and e.python_type == "TimeoutError"
    assert "has not returned for" in e.python_message and "processing record 7" in e.python_message
    assert "python.fn-execution.timeout is 1 s" in e.python_message
    assert fn.__name__ in e.python_traceback  # where it hung
    assert took < 30, took


def sleep_once_at_3(x):
    if x == 3:
        time.sleep(1.5)
    return x


@pytest.mark.parametrize("mode", MODES)
def test_without_a_timeout_a_stalled_call_is_logged_naming_operator_and_record(mode, capfd):
    env = _env(mode, **{"pyflow.internal.stall-warning-interval": "400 ms"})
    stream = env.from_collection(list(range(10)), type_info=Types.INT()).map(sleep_once_at_3, output_type=Types.INT()) \
        .name("Sleepy")
    assert sorted(stream.execute_and_collect()) == list(range(10))  # a slow call is no failure
    err = capfd.readouterr().err
    assert "operator 'Sleepy' has made no progress for" in err, err
    assert "processing record 3" in err and "Set python.fn-execution.timeout" in err


def test_a_bad_timeout_is_refused_before_the_job_runs():
    env = _env("process", **{"python.fn-execution.timeout": "soon"})
    env.from_collection([1]).map(lambda x: x, Types.INT()).print()
    with pytest.raises(PlanError, match="'python.fn-execution.timeout' must be a positive duration such as '30 s'"):
        env.execute("bad timeout")


def test_cancel_in_thread_mode_returns_within_a_second_while_a_function_hangs(tmp_path):
    marker = tmp_path / "inside"

    def hang(x):
        open(marker, "w").close()
        time.sleep(3600)
        return x
    env = _env("thread")
    env.from_collection(list(range(5)), type_info=Types.INT()).map(hang, output_type=Types.INT()).print()
    client = env.execute_async("hung")
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline, "the function never ran"
        time.sleep(0.02)
    start = time.monotonic()
    client.cancel()
    took = time.monotonic() - start
    assert client.get_job_status().name == "CANCELED"
    assert took < 1.0, f"cancel() took {took:.2f} s"  # the issue asks under 1 s; measured 0.4 s on a loaded 2-core machine, 12 s before


def backtrack_at_7(x):
    import re
    if x == 7:  # catastrophic backtracking: minutes inside the regex engine, holding the GIL all along
        re.match(r"(a+)+$", "a" * 40 + "b")
    return x


@pytest.mark.parametrize("mode", MODES)
def test_a_call_holding_the_gil_in_native_code_still_fails_the_job_after_the_timeout(mode):
    env = _env(mode, **{"python.fn-execution.timeout": "1 s"})
    stream = env.from_collection(list(range(20)), type_info=Types.INT()).map(backtrack_at_7, Types.INT()).name("Regex")
    start = time.monotonic()
    with pytest.raises(PythonFunctionError) as info:
        list(stream.execute_and_collect())
    e = info.value
    assert e.operator == "Regex" and e.python_type == "TimeoutError"
    assert "python.fn-execution.timeout is 1 s" in e.python_message and "holds the GIL in native code" in e.python_message
    assert time.monotonic() - start < 40
