"""map(lambda x: x + 1) over 2,000,000 ints: the engine in process mode at parallelism 1,
against the same function applied by a plain Python loop in one process."""
import time

from pyflow.common import Types
from pyflow.datastream import StreamExecutionEnvironment

N = 2_000_000


def plain_loop(data):
    f = lambda x: x + 1  # noqa: E731 - the same lambda the job runs
    start = time.perf_counter()
    out = [f(x) for x in data]
    elapsed = time.perf_counter() - start
    assert sum(out) == sum(data) + len(data)
    return elapsed


def engine(data, parallelism=1):
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(parallelism)
    stream = env.from_collection(data, type_info=Types.LONG()).map(lambda x: x + 1, output_type=Types.LONG())
    # Like the plain loop, the timed part produces the list of results; checking it is not timed.
    start = time.perf_counter()
    with stream.execute_and_collect() as results:
        out = list(results)
    elapsed = time.perf_counter() - start
    assert len(out) == len(data) and sum(out) == sum(data) + len(data)
    return elapsed


def startup():
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    start = time.perf_counter()
    with env.from_collection([1], type_info=Types.LONG()).map(lambda x: x + 1, output_type=Types.LONG()).execute_and_collect() as r:
        assert list(r) == [2]
    return time.perf_counter() - start


def run():
    data = list(range(N))
    base = min(plain_loop(data) for _ in range(3))
    t_start = min(startup() for _ in range(3))
    eng = min(engine(data) for _ in range(3))
    steady = eng - t_start
    print(f"plain Python loop (list comprehension): {N / base / 1e6:6.2f} M records/s ({base:.3f} s)")
    print(f"job start-up (a 1-record job)         : {t_start:.3f} s")
    print(f"engine, process mode, p=1, end to end : {N / eng / 1e6:6.2f} M records/s ({eng:.3f} s)")
    print(f"engine, without the start-up          : {N / steady / 1e6:6.2f} M records/s ({steady:.3f} s)")
    print(f"ratio engine / plain, end to end      : {base / eng:.2f}  (target >= 0.3)")
    print(f"ratio engine / plain, without start-up: {base / steady:.2f}  (target >= 0.3)")
