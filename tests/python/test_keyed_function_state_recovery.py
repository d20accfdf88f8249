"""Keyed state of a MapFunction on a KeyedStream is checkpointed like a KeyedProcessFunction's: after an
exception injected on the first attempt, the job restarts from a checkpoint and every running sum (value state
read and written in map()) is what a failure-free run gives. Results are collected exactly-once."""
from test_checkpoint_recovery import arrivals_per_key
from test_checkpoint_state import COUNT, assert_restarted_from_a_checkpoint, checkpointed, values_per_key

from pyflow.common import Types
from pyflow.datastream import MapFunction
from pyflow.datastream.state import ValueStateDescriptor


class RunningSum(MapFunction):
    def open(self, runtime_context):
        self.sum = runtime_context.get_state(ValueStateDescriptor("sum", Types.LONG()))

    def map(self, value):
        total = (self.sum.value() or 0) + value[2]
        self.sum.update(total)
        return value[0], total


def test_keyed_map_state_survives_a_restart(env, tmp_path, capfd):
    stream = checkpointed(env, tmp_path, "hashmap").key_by(lambda e: e[0]).map(RunningSum())
    with stream.execute_and_collect() as results:
        seen = list(results)
    assert_restarted_from_a_checkpoint(tmp_path, capfd.readouterr().err)
    assert len(seen) == COUNT and arrivals_per_key(seen) == values_per_key()
