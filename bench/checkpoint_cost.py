"""Throughput cost of checkpointing (issue 7) on the issue 4 stateful benchmark (``keyed_state``): a keyed
running sum in a Python KeyedProcessFunction over 2,000,000 records and 100,000 keys, p=1, without checkpoints
and with one every second (exactly-once, heap state), alternating, best of two each. Target: at most 15% slower."""
import re
import shutil
import tempfile
import time

from keyed_state import KEYS, N, RunningSum

from pyflow.common import Configuration, Types
from pyflow.datastream import StreamExecutionEnvironment


def job(data, mode: str, checkpoints: bool):
    config = Configuration().set_string("python.execution-mode", mode)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    directory = tempfile.mkdtemp(prefix="pyflow-bench-ckpt-")
    if checkpoints:
        env.enable_checkpointing(1000).get_checkpoint_config().set_checkpoint_storage_dir(directory)
    stream = (env.from_collection(data, type_info=Types.LONG()).key_by(lambda v: v % KEYS)
              .process(RunningSum(), output_type=Types.LONG()))
    start = time.perf_counter()
    with stream.execute_and_collect() as results:
        count = sum(1 for _ in results)
    elapsed = time.perf_counter() - start
    assert count == len(data)
    taken = max((int(m.group(1)) for p in __import__("pathlib").Path(directory).iterdir()
                 if (m := re.fullmatch(r"chk-(\d+)", p.name))), default=0)
    shutil.rmtree(directory, ignore_errors=True)
    return elapsed, taken


def run(modes=("process", "thread")):
    data = list(range(N))
    for mode in modes:
        off, on, taken = [], [], 0
        for _ in range(2):
            off.append(job(data, mode, False)[0])
            t, taken = job(data, mode, True)
            on.append(t)
        best_off, best_on = min(off), min(on)
        print(f"{mode:7s} no checkpoints      : {N / best_off / 1e6:5.2f} M records/s ({best_off:.2f} s; runs {', '.join(f'{x:.2f}' for x in off)})")
        print(f"{mode:7s} checkpoint every 1 s: {N / best_on / 1e6:5.2f} M records/s ({best_on:.2f} s; runs {', '.join(f'{x:.2f}' for x in on)}; "
              f"{taken} checkpoints in the last run)")
        print(f"{mode:7s} ratio (with / without): {best_off / best_on:.2f} (target >= 0.85)")
