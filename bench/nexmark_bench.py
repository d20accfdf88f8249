"""Nexmark q5 (hot items), q7 (highest bid) and q11 (user sessions) in Python on PyFlow, against a
plain-Python single-threaded implementation of each query on the same generated events (issue 13).

Figures are events/s (every generated event: persons and auctions are read and filtered out, as in
Flink's Nexmark) per core used: PyFlow at parallelism 1, end to end from submitting the job to its last
result. Flink 1.13's own Nexmark figures per core, the goal: q5 22.1k/s, q7 12.3k/s, q11 39.7k/s.
Each PyFlow result is checked against the plain one, so a fast wrong answer cannot pass.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "nexmark"))

import generator  # noqa: E402
import plain  # noqa: E402
import pyflow_queries  # noqa: E402
from pyflow.common import Configuration  # noqa: E402
from pyflow.datastream import StreamExecutionEnvironment  # noqa: E402

EVENTS = int(os.environ.get("NEXMARK_EVENTS", "1000000"))  # bench knob only, read at the entry point
FLINK_PER_CORE = {"q5": 22_100, "q7": 12_300, "q11": 39_700}


def _pyflow(query, events, mode):
    config = Configuration().set_string("python.execution-mode", mode)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    stream = getattr(pyflow_queries, query)(env, events)
    start = time.perf_counter()
    with stream.execute_and_collect() as results:
        out = sorted(tuple(r) for r in results)
    return time.perf_counter() - start, out


def run():
    events = generator.events(EVENTS)
    print(f"{EVENTS:,} events ({sum(1 for e in events if e[0] == 'B'):,} bids), "
          f"{(events[-1][-1] - events[0][-1]) / 1000:.0f} s of event time")
    for query in ("q5", "q7", "q11"):
        start = time.perf_counter()
        expected = getattr(plain, query)(events)
        base = time.perf_counter() - start
        print(f"{query} plain Python        : {EVENTS / base:12,.0f} events/s ({base:.2f} s, {len(expected)} results)")
        for mode in ("process", "thread"):
            elapsed, got = _pyflow(query, events, mode)
            verdict = "same results" if got == expected else f"WRONG RESULTS ({len(got)} vs {len(expected)})"
            rate = EVENTS / elapsed
            print(f"{query} PyFlow {mode:7s} p1  : {rate:12,.0f} events/s ({elapsed:.2f} s), "
                  f"ratio to plain {base / elapsed:.2f}, to Flink per core {rate / FLINK_PER_CORE[query]:.2f}; "
                  f"{verdict}")
