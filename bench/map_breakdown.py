"""Where the time of map(lambda x: x * 2 + 1) over 5,000,000 ints goes (issues 4 and 5), process mode, p=1:
each stage timed on its own, in this process or by wrapping the driver's own functions during a real job.
Not a target figure: it attributes the cost behind ``map_vectorized``'s figures."""
import time

import cloudpickle
import numpy as np

import map_vectorized as mv
from pyflow._arrow import Column, Field, RecordBatch, Schema, read_stream, write_stream
from pyflow._gateway import job_run
from pyflow._protocol.values import from_column, to_column
from pyflow.common import Types
from pyflow.datastream._collection import encode_collection
from pyflow.worker.main import PROTOCOL, Chain

N = mv.N
ROWS = 10_000  # python.fn-execution.arrow.batch.size: one BATCH frame
LONG = {"name": "LONG"}


def _best(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _worker_stages():
    """ns a record of each step of the worker's BATCH -> RESULT for a 10k-row int64 batch (Chain.process)."""
    payload = write_stream(RecordBatch(Schema([Field("v", "int64")]),
                                       [Column.from_numpy("int64", np.arange(ROWS, dtype=np.int64))]))
    f = lambda x: x * 2 + 1  # noqa: E731
    chain = Chain({"protocol": PROTOCOL, "task": "t", "input_type": LONG, "subtask": 0, "parallelism": 1,
                   "stages": [{"kind": "map", "name": "Map", "fn": cloudpickle.dumps(f), "type": LONG}]})
    column = read_stream(payload)[0].column("v")
    values = from_column(LONG, column)
    out = [f(v) for v in values]
    result = to_column(LONG, out)
    reps = 100
    steps = [("read_stream (Arrow IPC -> column, no copy)", lambda: read_stream(payload)),
             ("from_column (int64 -> list of int)", lambda: from_column(LONG, column)),
             ("the map itself: [f(v) for v in values]", lambda: [f(v) for v in values]),
             ("to_column (list of int -> int64)", lambda: to_column(LONG, out)),
             ("write_stream (column -> Arrow IPC)",
              lambda: write_stream(RecordBatch(Schema([Field("v", "int64")]), [result]))),
             ("whole Chain.process (all of the above + allocation)", lambda: chain.process(payload))]
    def repeated(fn):
        def run():
            for _ in range(reps):
                fn()  # each result dropped at once, as in the worker
        return run
    return [(name, _best(repeated(fn)) / reps / ROWS * 1e9) for name, fn in steps]


def _driver_results(data):
    """Seconds the driver spends decoding RESULTS frames during a real end-to-end job, and the job's time."""
    spent = [0.0]
    original = job_run.JobRun._results

    def timed(self, payload):
        start = time.perf_counter()
        try:
            return original(self, payload)
        finally:
            spent[0] += time.perf_counter() - start
    job_run.JobRun._results = timed
    try:
        total = mv.run_job(data, 1, False)
    finally:
        job_run.JobRun._results = original
    return spent[0], total


def run():
    data = list(range(N))
    base = min(mv.plain_loop(data) for _ in range(3))
    print(f"plain loop: {base / N * 1e9:5.1f} ns a record ({base:.3f} s for {N:,})")
    print("-- the worker, in this process, one 10k-row batch (ns a record):")
    for name, ns in _worker_stages():
        print(f"   {name:55s} {ns:6.1f}")
    encode = _best(lambda: encode_collection(data, Types.LONG()), 3)
    print(f"-- driver, from_collection: encode 5M ints into the plan (outside the timed job): {encode:.3f} s "
          f"({encode / N * 1e9:.1f} ns a record)")
    decode, e2e = min((_driver_results(data) for _ in range(2)), key=lambda r: r[1])
    print(f"-- driver, execute_and_collect: decoding RESULTS {decode:.3f} s ({decode / N * 1e9:.1f} ns a record) "
          f"of the job's {e2e:.3f} s")
    up = min(mv.run_job([1], 1, False) for _ in range(3))
    up_engine = min(mv.run_in_engine(1, 1, False) for _ in range(3))
    engine = min(mv.run_in_engine(N, 1, False) for _ in range(2))
    print(f"-- jobs, p=1: end to end {e2e:.3f} s (start-up {up:.3f} s) vs in engine {engine:.3f} s "
          f"(start-up {up_engine:.3f} s): moving the data in and the results out costs "
          f"{(e2e - up) - (engine - up_engine):.3f} s more than generating and discarding them in the engine")
