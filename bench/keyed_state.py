"""A keyed running sum in a Python KeyedProcessFunction over 2,000,000 records and 100,000 keys
(issue 4), in process and thread mode, against the same running sums in a plain Python dict."""
import time

from pyflow.common import Configuration, Types
from pyflow.datastream import KeyedProcessFunction, StreamExecutionEnvironment
from pyflow.datastream.state import ValueStateDescriptor

N = 2_000_000
KEYS = 100_000


class RunningSum(KeyedProcessFunction):
    def open(self, runtime_context):
        self.total = runtime_context.get_state(ValueStateDescriptor("total", Types.LONG()))

    def process_element(self, value, ctx):
        total = (self.total.value() or 0) + value
        self.total.update(total)
        yield total


def plain(data):
    start = time.perf_counter()
    totals, out = {}, []
    for v in data:
        k = v % KEYS
        t = totals.get(k, 0) + v
        totals[k] = t
        out.append(t)
    return time.perf_counter() - start


def job(data, mode):
    config = Configuration()
    config.set_string("python.execution-mode", mode)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    stream = (env.from_collection(data, type_info=Types.LONG()).key_by(lambda v: v % KEYS)
              .process(RunningSum(), output_type=Types.LONG()))
    start = time.perf_counter()
    with stream.execute_and_collect() as results:
        out = list(results)
    elapsed = time.perf_counter() - start
    assert len(out) == len(data)
    return elapsed


def run():
    data = list(range(N))
    base = min(plain(data) for _ in range(2))
    print(f"plain Python dict      : {N / base / 1e6:6.2f} M records/s ({base:.2f} s)")
    for mode in ("process", "thread"):
        t = job(data, mode)
        print(f"KeyedProcessFunction, {mode:7s}: {N / t / 1e6:6.2f} M records/s end to end ({t:.2f} s), "
              f"ratio to the plain dict {base / t:.2f}")
