"""A job restored from a checkpoint that declares a Python keyed state under a checkpointed name with another kind or
type is refused where it declares it, naming the descriptor in the checkpoint and the new one; the same
descriptor restores its values."""
import pytest

from checkpoint_jobs import completed_checkpoints, window_env

from pyflow.common import Types, WatermarkStrategy
from pyflow.datastream import KeyedProcessFunction
from pyflow.datastream.connectors import DataGeneratorSource
from pyflow.datastream.state import ListStateDescriptor, ValueStateDescriptor
from pyflow.errors import JobExecutionError

COUNT = 600


def pair(i):
    return (i % 3, i)


class Totals(KeyedProcessFunction):
    """Each key's running total, in a state declared by ``descriptor``."""

    def __init__(self, descriptor):
        self.descriptor = descriptor

    def open(self, runtime_context):
        if isinstance(self.descriptor, ListStateDescriptor):
            self.state = runtime_context.get_list_state(self.descriptor)
        else:
            self.state = runtime_context.get_state(self.descriptor)

    def process_element(self, value, ctx):
        total = (self.state.value() or 0) + value[1]
        self.state.update(total)
        yield (value[0], total)


def run(env, descriptor, rate):
    source = DataGeneratorSource(pair, count=COUNT, records_per_second=rate,
                                 output_type=Types.TUPLE([Types.INT(), Types.LONG()]))
    totals = (env.from_source(source, WatermarkStrategy.no_watermarks(), "pairs").key_by(lambda p: p[0])
              .process(Totals(descriptor), output_type=Types.TUPLE([Types.INT(), Types.LONG()])).name("totals"))
    with totals.execute_and_collect() as results:
        return list(results)


@pytest.fixture
def checkpointed(tmp_path, request):
    """A checkpoint directory holding a completed checkpoint of the job with ValueState 'total' of LONG."""
    mode = request.param
    checkpoints = tmp_path / "ck"
    run(window_env(mode, 1, checkpoints, interval_ms=50), ValueStateDescriptor("total", Types.LONG()), rate=1000)
    assert completed_checkpoints(checkpoints), "the job ended before any checkpoint completed: nothing to restore"
    return mode, checkpoints


@pytest.mark.parametrize("checkpointed", ["process", "thread"], indirect=True)
@pytest.mark.parametrize("descriptor, declared", [
    (ValueStateDescriptor("total", Types.STRING()), "value<STRING>"),
    (ListStateDescriptor("total", Types.LONG()), "list<LONG>"),
])
def test_a_restored_state_declared_otherwise_is_refused_naming_both(checkpointed, descriptor, declared):
    mode, checkpoints = checkpointed
    with pytest.raises(JobExecutionError) as info:
        run(window_env(mode, 1, None, restore=checkpoints), descriptor, rate=0)
    message = str(info.value)
    assert f"state 'total' is declared as {declared} by this job" in message, message
    assert "the checkpoint it was restored from holds 'total' as value<LONG>" in message, message
    assert "another name" in message


@pytest.mark.parametrize("checkpointed", ["process", "thread"], indirect=True)
def test_the_same_descriptor_restores_its_totals(checkpointed):
    mode, checkpoints = checkpointed
    resumed = run(window_env(mode, 1, None, restore=checkpoints), ValueStateDescriptor("total", Types.LONG()), rate=0)
    # The checkpoint is of the first run's end or earlier: the resumed job carries on from totals it had, so
    # each key's last total is the sum of all its records (the ones replayed after the checkpoint added once).
    assert resumed, "the checkpoint was taken after the last record: nothing was replayed, so nothing was shown"
    finals = {}
    for key, total in resumed:
        finals[key] = total
    assert finals == {k: sum(i for i in range(COUNT) if i % 3 == k) for k in finals}
