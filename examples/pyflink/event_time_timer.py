"""Port of PyFlink's examples/datastream/event_time_timer.py: per name, a running sum in ValueState; every
record registers an event-time timer 2 s after its timestamp, and each timer emits (name, sum at that time).
Watermarks trail the largest timestamp by 2 s (bounded out-of-orderness)."""
from pyflow.common import Duration, WatermarkStrategy
from pyflow.common.typeinfo import Types
from pyflow.common.watermark_strategy import TimestampAssigner
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.datastream.functions import KeyedProcessFunction, RuntimeContext
from pyflow.datastream.state import ValueStateDescriptor

PAYMENTS = [(1000, "Alice", 110.1), (4000, "Bob", 30.2), (3000, "Alice", 20.0), (2000, "Bob", 53.1),
            (5000, "Alice", 13.1), (3000, "Bob", 3.1), (7000, "Bob", 16.1), (10000, "Alice", 20.1)]


class SumWithTimers(KeyedProcessFunction):
    """Adds each amount to its name's sum and reports the sum 2 s (event time) after each record."""

    def open(self, runtime_context: RuntimeContext):
        self.total = runtime_context.get_state(ValueStateDescriptor("state", Types.PICKLED_BYTE_ARRAY()))

    def process_element(self, value, ctx: "KeyedProcessFunction.Context"):
        self.total.update((self.total.value() or 0) + value[2])
        ctx.timer_service().register_event_time_timer(ctx.timestamp() + 2000)

    def on_timer(self, timestamp: int, ctx: "KeyedProcessFunction.OnTimerContext"):
        yield ctx.get_current_key(), self.total.value()


class FirstField(TimestampAssigner):
    """The record's first field is its event time (ms)."""

    def extract_timestamp(self, value, record_timestamp: int) -> int:
        return int(value[0])


def event_time_timer_demo():
    env = StreamExecutionEnvironment.get_execution_environment()
    payments = env.from_collection(PAYMENTS).assign_timestamps_and_watermarks(
        WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_seconds(2)).with_timestamp_assigner(FirstField()))
    payments.key_by(lambda value: value[1]).process(SumWithTimers()).print()
    env.execute()


if __name__ == "__main__":
    event_time_timer_demo()
