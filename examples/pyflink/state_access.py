"""Port of PyFlink's examples/datastream/state_access.py: a KeyedProcessFunction keeps a running sum per name
in ValueState and emits (name, sum) for every record."""
from pyflow.common.typeinfo import Types
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.datastream.functions import KeyedProcessFunction, RuntimeContext
from pyflow.datastream.state import ValueStateDescriptor

PAYMENTS = [("Alice", 110.1), ("Bob", 30.2), ("Alice", 20.0), ("Bob", 53.1),
            ("Alice", 13.1), ("Bob", 3.1), ("Bob", 16.1), ("Alice", 20.1)]


class RunningSum(KeyedProcessFunction):
    """The sum of the amounts seen so far for the record's name."""

    def open(self, runtime_context: RuntimeContext):
        self.total = runtime_context.get_state(ValueStateDescriptor("state", Types.PICKLED_BYTE_ARRAY()))

    def process_element(self, value, ctx: "KeyedProcessFunction.Context"):
        total = (self.total.value() or 0) + value[1]
        self.total.update(total)
        yield value[0], total


def state_access_demo():
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_collection(PAYMENTS).key_by(lambda value: value[0]).process(RunningSum()).print()
    env.execute()


if __name__ == "__main__":
    state_access_demo()
