"""A user function that calls sys.exit() fails the job as a Python function error naming the operator and
the exit code, in both execution modes: never "worker died" (process mode), never a bare "PythonException: 5"
from inside the engine host (thread mode)."""
import sys

import pytest

from conftest import make_env
from pyflow.common import Types
from pyflow.datastream import KeyedProcessFunction, MapFunction
from pyflow.errors import PythonFunctionError


def _exit_at_3(x):
    if x == 3:
        sys.exit(5)
    return x


class _ExitOnOpen(MapFunction):
    def open(self, runtime_context):
        sys.exit("cannot start")

    def map(self, value):
        return value


class _ExitInProcess(KeyedProcessFunction):
    def process_element(self, value, ctx):
        raise SystemExit(7)


def _run(stream):
    with pytest.raises(PythonFunctionError) as info:
        list(stream.execute_and_collect())
    return info.value


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_sys_exit_in_a_map_names_the_operator_and_the_code(mode):
    env = make_env(1, mode)
    error = _run(env.from_collection([1, 2, 3, 4], Types.LONG()).map(_exit_at_3, Types.LONG()).name("Exiter"))
    assert error.operator == "Exiter"
    assert error.python_type == "SystemExit"
    assert error.python_message.startswith("the function called sys.exit(5)")
    assert "Python function in operator 'Exiter'" in str(error) and "sys.exit(5)" in str(error)
    # The job's host stays usable: thread mode ran the function inside it.
    with env.from_collection([1, 2], Types.LONG()).map(lambda x: x * 10, Types.LONG()).execute_and_collect() as r:
        assert sorted(r) == [10, 20]


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_sys_exit_in_open_and_in_a_keyed_process_function_is_reported_the_same_way(mode):
    env = make_env(1, mode)
    error = _run(env.from_collection([1], Types.LONG()).map(_ExitOnOpen(), Types.LONG()).name("Opener"))
    assert (error.operator, error.python_type) == ("Opener", "SystemExit")
    assert error.python_message.startswith("the function called sys.exit('cannot start')")

    keyed = env.from_collection([1, 2], Types.LONG()).key_by(lambda x: x).process(_ExitInProcess()).name("Keyed")
    error = _run(keyed)
    assert (error.operator, error.python_type) == ("Keyed", "SystemExit")
    assert error.python_message.startswith("the function called sys.exit(7)")
