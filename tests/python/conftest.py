"""Shared fixtures: every test here drives the real engine host and real Python workers."""
import pytest

from pyflow.common import Configuration
from pyflow.datastream import StreamExecutionEnvironment


@pytest.fixture(params=[1, 2], ids=["p1", "p2"])
def parallelism(request):
    return request.param


def make_env(parallelism: int, mode: str):
    config = Configuration()
    config.set_string("python.execution-mode", mode)
    e = StreamExecutionEnvironment.get_execution_environment(config)
    e.set_parallelism(parallelism)
    return e


@pytest.fixture(params=["process", "thread"])
def env(request, parallelism):
    """Every job test runs in both execution modes (worker processes, and Python embedded in the engine
    host) and at parallelism 1 and 2, with the same expected results."""
    return make_env(parallelism, request.param)


@pytest.fixture
def process_env(parallelism):
    """For tests of worker processes themselves (killing one, its pipes, its stderr)."""
    return make_env(parallelism, "process")
