"""``DataStream.project`` and ``force_non_parallel`` (PyFlink's), through the real engine in both modes."""
import pytest

from pyflow.common import Types
from pyflow.errors import PlanError

ROWS = [(1, "a", 2.5, True), (2, "b", 3.5, False), (3, "c", 4.5, True)]
ROW_TYPE = Types.TUPLE([Types.INT(), Types.STRING(), Types.DOUBLE(), Types.BOOLEAN()])


def test_project_keeps_the_fields_named_in_order(env):
    ds = env.from_collection(ROWS, ROW_TYPE).map(lambda r: r, output_type=ROW_TYPE).project(2, 0, 2)
    assert repr(ds.get_type()) == "Types.TUPLE([Types.DOUBLE(), Types.INT(), Types.DOUBLE()])"
    assert sorted(ds.execute_and_collect()) == sorted((r[2], r[0], r[2]) for r in ROWS)


def test_project_refuses_untyped_streams_and_bad_indexes(env):
    with pytest.raises(PlanError, match="project\\(\\) needs a stream of Types.TUPLE records"):
        env.from_collection(ROWS).project(0)
    typed = env.from_collection(ROWS, ROW_TYPE)
    for bad in ((), (4,), (-1,), ("0",)):
        with pytest.raises(PlanError, match=r"project\(\) takes one or more field indexes in 0..3"):
            typed.project(*bad)


def test_force_non_parallel_runs_one_subtask(env):
    from pyflow.datastream import ProcessFunction
    env.set_parallelism(2)

    class SubtaskIndex(ProcessFunction):
        def open(self, runtime_context):
            self.index = runtime_context.get_index_of_this_subtask()
            self.count = runtime_context.get_number_of_parallel_subtasks()

        def process_element(self, value, ctx):
            yield value, self.index, self.count

    ds = env.from_collection(list(range(20)), Types.INT()).rebalance() \
        .process(SubtaskIndex(), Types.TUPLE([Types.INT(), Types.INT(), Types.INT()])).force_non_parallel()
    out = list(ds.execute_and_collect())
    assert sorted(out) == [(v, 0, 1) for v in range(20)]
    with pytest.raises(PlanError, match="Set parallelism for KeyedStream is not supported"):
        env.from_collection([1]).key_by(lambda v: v).force_non_parallel()
