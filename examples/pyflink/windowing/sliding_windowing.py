"""Port of PyFlink's examples/datastream/windowing/sliding_windowing.py: counts the records of each 5 ms
event-time window per key, one starting every 2 ms, and prints (key, count). Only the imports differ."""
import logging
import sys

import argparse
from typing import Iterable

from pyflow.common import Types, WatermarkStrategy, Time
from pyflow.common.watermark_strategy import TimestampAssigner
from pyflow.datastream import StreamExecutionEnvironment, ProcessWindowFunction
from pyflow.datastream.window import CountWindow, SlidingEventTimeWindows


class TimestampAssigner(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp) -> int:
        return int(value[1])


class CountWindowProcessFunction(ProcessWindowFunction[tuple, tuple, str, CountWindow]):
    def process(self,
                key: str,
                content: ProcessWindowFunction.Context,
                elements: Iterable[tuple]) -> Iterable[tuple]:
        return [(key, len([e for e in elements]))]

    def clear(self, context: ProcessWindowFunction.Context) -> None:
        pass


if __name__ == '__main__':
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")

    parser = argparse.ArgumentParser()
    parser.add_argument(
        '--output',
        dest='output',
        required=False,
        help='Output file to write results to.')

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)

    data_stream = env.from_collection([
        ('hi', 1), ('hi', 2), ('hi', 3), ('hi', 4), ('hi', 5), ('hi', 8), ('hi', 9), ('hi', 15)],
        type_info=Types.TUPLE([Types.STRING(), Types.INT()]))  # type: DataStream

    watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(TimestampAssigner())
    data_stream.assign_timestamps_and_watermarks(watermark_strategy) \
        .key_by(lambda x: x[0], key_type=Types.STRING()) \
        .window(SlidingEventTimeWindows.of(Time.milliseconds(5), Time.milliseconds(2), Time.seconds(0))) \
        .process(CountWindowProcessFunction(), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .print()

    env.execute()
