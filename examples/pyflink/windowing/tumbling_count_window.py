"""Port of PyFlink's examples/datastream/windowing/tumbling_count_window.py: sums the first field over each window of
3 records per key (a key's last, incomplete window never fires).

Adapted: PyFlink declares the records ``Types.TUPLE([...])``; PyFlow has no TUPLE type yet, so they travel
pickled (no ``type_info`` / output type). The printed tuples are the same.

Adapted too: the original applies a ``WindowFunction`` with ``.apply(...)``, which PyFlow does not
have yet; a ``ProcessWindowFunction`` with ``.process(...)`` computes the same sums.
"""
import argparse
import sys
from typing import Iterable

from pyflow.common import Encoder, Types
from pyflow.datastream import ProcessWindowFunction, StreamExecutionEnvironment
from pyflow.datastream.connectors.file_system import FileSink, OutputFileConfig, RollingPolicy

DATA = [(1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello'), (6, 'hello')]


class SumPerWindow(ProcessWindowFunction):
    """(key, sum of the first fields) for each window of 3 records."""

    def process(self, key, context: ProcessWindowFunction.Context, elements: Iterable[tuple]):
        return [(key, sum(e[0] for e in elements))]


def windowed(env):
    """The job: keyed by word, windows of 3 records, summed per window."""
    return (env.from_collection(DATA)
            .key_by(lambda x: x[1], key_type=Types.STRING())
            .count_window(3)
            .process(SumPerWindow()))


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
