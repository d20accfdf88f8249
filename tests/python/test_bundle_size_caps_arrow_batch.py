"""``python.fn-execution.bundle.size`` set alone below the default Arrow batch size caps the batch, as in
PyFlink (PyFlink's own tests set a bundle size of 1); both set at odds is refused before the job runs."""
import pytest

from pyflow.common import Configuration, Types
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.errors import PlanError


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_a_bundle_size_of_one_runs_record_by_record(mode):
    config = Configuration().set_string("python.execution-mode", mode) \
        .set_string("python.fn-execution.bundle.size", "1")
    env = StreamExecutionEnvironment.get_execution_environment(config).set_parallelism(1)
    out = list(env.from_collection(list(range(50)), Types.INT()).map(lambda v: v * 3, Types.INT())
               .execute_and_collect())
    assert out == [v * 3 for v in range(50)]


def test_an_arrow_batch_above_the_bundle_size_set_both_is_refused():
    config = Configuration().set_string("python.fn-execution.bundle.size", "10") \
        .set_string("python.fn-execution.arrow.batch.size", "20")
    env = StreamExecutionEnvironment.get_execution_environment(config).set_parallelism(1)
    env.from_collection([1, 2], Types.INT()).map(lambda v: v, Types.INT()).print()
    with pytest.raises(PlanError, match=r"'python.fn-execution.arrow.batch.size' \(20\) must not exceed "
                                        r"'python.fn-execution.bundle.size' \(10\)"):
        env.execute()
