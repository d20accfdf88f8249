"""Shared fixtures: every test here drives the real engine host and real Python workers."""
import pytest

from pyflow.datastream import StreamExecutionEnvironment


@pytest.fixture(params=[1, 2], ids=["p1", "p2"])
def parallelism(request):
    return request.param


@pytest.fixture
def env(parallelism):
    e = StreamExecutionEnvironment.get_execution_environment()
    e.set_parallelism(parallelism)
    return e
