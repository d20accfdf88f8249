"""union and the partitionings from Python, with exact results."""
import pytest

from pyflow.common import Types
from pyflow.errors import PlanError


def test_union_of_three_streams_delivers_every_record_once(env):
    a = env.from_collection(list(range(0, 1000)), type_info=Types.LONG())
    b = env.from_collection(list(range(1000, 1500)), type_info=Types.LONG()).map(lambda x: x, output_type=Types.LONG())
    c = env.from_collection(list(range(1500, 1510)), type_info=Types.LONG())
    with a.union(b, c).map(lambda x: x * 2, output_type=Types.LONG()).execute_and_collect() as results:
        assert sorted(results) == [x * 2 for x in range(1510)]


def test_union_refuses_streams_of_different_types(env):
    a = env.from_collection([1], type_info=Types.LONG())
    b = env.from_collection(["x"], type_info=Types.STRING())
    with pytest.raises(PlanError):
        a.union(b)


@pytest.mark.parametrize("how", ["rebalance", "rescale", "shuffle", "forward"])
def test_partitionings_deliver_every_record_once(env, how):
    stream = env.from_collection(list(range(3000)), type_info=Types.LONG())
    partitioned = getattr(stream.map(lambda x: x + 1, output_type=Types.LONG()), how)()
    with partitioned.map(lambda x: x * 10, output_type=Types.LONG()).execute_and_collect() as results:
        assert sorted(results) == [(x + 1) * 10 for x in range(3000)]


def test_broadcast_gives_every_record_to_every_subtask(env, parallelism):
    stream = env.from_collection([1, 2, 3], type_info=Types.LONG()).broadcast()
    with stream.map(lambda x: x, output_type=Types.LONG()).execute_and_collect() as results:
        assert sorted(results) == sorted([1, 2, 3] * parallelism)
