"""Port of PyFlink's examples/datastream/windowing/count_windowing.py: sums the first field of every 3 records
per key (count windows; an incomplete window never fires) and prints (key, sum). Only the imports differ."""
import logging
import sys

import argparse
from typing import Iterable

from pyflow.common import Types
from pyflow.datastream import StreamExecutionEnvironment, WindowFunction
from pyflow.datastream.window import CountWindow


class SumWindowFunction(WindowFunction[tuple, tuple, str, CountWindow]):
    def apply(self, key: str, window: CountWindow, inputs: Iterable[tuple]):
        result = 0
        for i in inputs:
            result += i[0]
        return [(key, result)]


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
        (1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello'), (6, 'hello')],
        type_info=Types.TUPLE([Types.INT(), Types.STRING()]))  # type: DataStream
    data_stream.key_by(lambda x: x[1], key_type=Types.STRING()) \
        .count_window(3) \
        .apply(SumWindowFunction(), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .print()

    env.execute()
