"""Port of PyFlink's examples/datastream/windowing/sliding_time_window.py: counts the records of each 5 ms event-time
window, one starting every 2 ms, per key.

Adapted: PyFlink declares the records ``Types.TUPLE([...])``; PyFlow has no TUPLE type yet, so they travel
pickled (no ``type_info`` / output type). The printed tuples are the same.
"""
import argparse
import sys
from typing import Iterable

from pyflow.common import Encoder, Time, Types, WatermarkStrategy
from pyflow.common.watermark_strategy import TimestampAssigner
from pyflow.datastream import ProcessWindowFunction, StreamExecutionEnvironment
from pyflow.datastream.connectors.file_system import FileSink, OutputFileConfig, RollingPolicy
from pyflow.datastream.window import SlidingEventTimeWindows

DATA = [('hi', 1), ('hi', 2), ('hi', 3), ('hi', 4), ('hi', 5), ('hi', 8), ('hi', 9), ('hi', 15)]


class SecondField(TimestampAssigner):
    """The record's second field is its event time (ms)."""

    def extract_timestamp(self, value, record_timestamp) -> int:
        return int(value[1])


class CountPerWindow(ProcessWindowFunction):
    """(key, window start, window end, number of records) for each window."""

    def process(self, key, context: ProcessWindowFunction.Context, elements: Iterable[tuple]):
        return [(key, context.window().start, context.window().end, sum(1 for _ in elements))]


def windowed(env):
    """The job: timestamps from the records, keyed by word, 5 ms windows sliding by 2 ms, counted per window."""
    watermarks = WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(SecondField())
    return (env.from_collection(DATA)
            .assign_timestamps_and_watermarks(watermarks)
            .key_by(lambda x: x[0], key_type=Types.STRING())
            .window(SlidingEventTimeWindows.of(Time.milliseconds(5), Time.milliseconds(2)))
            .process(CountPerWindow()))


def write(ds, output_path):
    """Prints ``ds``, or writes it under ``output_path`` (part files ``prefix-*.ext``) as the original does."""
    if output_path is None:
        print("Printing result to stdout. Use --output to specify output path.")
        ds.print()
        return
    ds.sink_to(FileSink.for_row_format(output_path, Encoder.simple_string_encoder())
               .with_output_file_config(OutputFileConfig.builder().with_part_prefix("prefix")
                                        .with_part_suffix(".ext").build())
               .with_rolling_policy(RollingPolicy.default_rolling_policy())
               .build())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", dest="output", required=False, help="Output directory to write results to.")
    args, _ = parser.parse_known_args(sys.argv[1:])
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)  # all results in one file
    write(windowed(env), args.output)
    env.execute()
