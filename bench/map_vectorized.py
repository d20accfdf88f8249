"""map(lambda x: x * 2 + 1) over 5,000,000 ints (issues 4 and 5): per record at parallelism 1 and 2,
vectorized (func_type="pandas"), and thread mode (Python embedded in the engine), against a plain
Python loop in the same run.
Two kinds of figures, each minus the start-up of a 1-record job of the same kind:
- "end to end": the data ships inside the plan (from_collection) and the results come back into the script as
  a list (execute_and_collect), as the plain loop has its input and output as lists;
- "in engine": the data starts and ends in the engine (NumberSequenceSource -> the Python map ->
  DiscardingSink), so the figure is the Python function's cost apart from the driver's transport. The sink's
  record count (the job's final progress) checks that every record went through the map."""
import time

from pyflow.common import Configuration, Types
from pyflow.common.watermark_strategy import WatermarkStrategy
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.datastream.connectors import DiscardingSink, NumberSequenceSource

N = 5_000_000


def plain_loop(data):
    f = lambda x: x * 2 + 1  # noqa: E731 - the same lambda the job runs
    start = time.perf_counter()
    out = [f(x) for x in data]
    elapsed = time.perf_counter() - start
    assert len(out) == len(data)
    return elapsed


def _env(mode, parallelism):
    config = Configuration()
    config.set_string("python.execution-mode", mode)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(parallelism)
    return env


def run_in_engine(n, parallelism, vectorized, mode="process"):
    """NumberSequenceSource(0, n - 1) -> map -> DiscardingSink: no record crosses to the driver."""
    env = _env(mode, parallelism)
    source = env.from_source(NumberSequenceSource(0, n - 1), WatermarkStrategy.no_watermarks(), "numbers")
    if vectorized:
        stream = source.map(lambda s: s * 2 + 1, output_type=Types.LONG(), func_type="pandas")
    else:
        stream = source.map(lambda x: x * 2 + 1, output_type=Types.LONG())
    stream.sink_to(DiscardingSink())
    start = time.perf_counter()
    client = env.execute_async("in engine")
    client.get_job_execution_result()
    elapsed = time.perf_counter() - start
    sink = [o for o in client.get_progress().operators if o.name == "Discarding Sink"]
    assert sink and sink[0].records_in == n, client.get_progress()
    return elapsed


def run_job(data, parallelism, vectorized, mode="process"):
    """from_collection(data) -> map -> execute_and_collect, into a list: the data ships in the plan and every
    result comes back to the script."""
    env = _env(mode, parallelism)
    source = env.from_collection(data, type_info=Types.LONG())
    if vectorized:
        stream = source.map(lambda s: s * 2 + 1, output_type=Types.LONG(), func_type="pandas")
    else:
        stream = source.map(lambda x: x * 2 + 1, output_type=Types.LONG())
    start = time.perf_counter()
    with stream.execute_and_collect() as results:
        out = list(results)
    elapsed = time.perf_counter() - start
    assert len(out) == len(data) and sum(out) == 2 * sum(data) + len(data)
    return elapsed


JOBS = [("per record, p=1", 1, False, "process"), ("per record, p=2", 2, False, "process"),
        ("vectorized, p=1", 1, True, "process"), ("thread mode, p=1", 1, False, "thread"),
        ("thread mode vectorized", 1, True, "thread")]


def _figures(title, job, startup_job, base):
    """Runs each of JOBS once with ``job(parallelism, vectorized, mode)``; subtracts the best of 3 runs of
    ``startup_job`` of the same kind (mode, parallelism, vectorized or not: a vectorized job's worker imports
    pandas, thread mode starts an interpreter in the host)."""
    print(f"-- {title}")
    steady = {}
    for name, parallelism, vectorized, mode in JOBS:
        up = min(startup_job(parallelism, vectorized, mode) for _ in range(3))
        t = job(parallelism, vectorized, mode)
        steady[name] = max(t - up, 1e-9)
        print(f"{name:25s}: {N / t / 1e6:6.2f} M records/s ({t:.3f} s, start-up {up:.3f} s); without start-up "
              f"{N / steady[name] / 1e6:6.2f} M/s, ratio to the plain loop {base / steady[name]:.2f}")
    print(f"vectorized / per record  : {steady['per record, p=1'] / steady['vectorized, p=1']:.2f}x (target >= 30x); "
          f"thread mode: {steady['thread mode, p=1'] / steady['thread mode vectorized']:.2f}x")
    print(f"thread / process, p=1    : {steady['per record, p=1'] / steady['thread mode, p=1']:.2f}x")
    return steady


def run():
    data = list(range(N))
    base = min(plain_loop(data) for _ in range(3))
    print(f"plain Python loop        : {N / base / 1e6:6.2f} M records/s ({base:.3f} s)")
    print("targets (per record, end to end): >= 0.5x the loop at p=1, >= 0.9x at p=2, thread mode >= 0.7x at p=1; "
          "vectorized >= 30x per record")
    _figures("end to end: from_collection (data in the plan) -> map -> execute_and_collect into a list; "
             "start-up = the same job over 1 record",
             lambda p, v, m: run_job(data, p, v, m), lambda p, v, m: run_job([1], p, v, m), base)
    _figures("in engine: NumberSequenceSource -> map -> DiscardingSink (no record crosses to or from the driver); "
             "start-up = the same job over 1 record",
             lambda p, v, m: run_in_engine(N, p, v, m), lambda p, v, m: run_in_engine(1, p, v, m), base)
