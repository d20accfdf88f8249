"""PyFlow benchmarks. Never part of the test run: ``./dev bench [name ...]``.

Each benchmark prints its figures and a ratio against a baseline measured in the same run,
because the machines we run on are noisy.
"""
import platform
import sys
import time
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import map_throughput  # noqa: E402
import keyed_state  # noqa: E402
import map_vectorized  # noqa: E402
import checkpoint_cost  # noqa: E402
import recovery_time  # noqa: E402
import map_breakdown  # noqa: E402
import nexmark_bench  # noqa: E402

BENCHMARKS = {"map_throughput": map_throughput.run, "map_vectorized": map_vectorized.run, "keyed_state": keyed_state.run,
              "map_breakdown": map_breakdown.run, "checkpoint_cost": checkpoint_cost.run, "recovery_time": recovery_time.run,
              "nexmark": nexmark_bench.run}


def main(argv):
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; known: {sorted(BENCHMARKS)}", file=sys.stderr)
        return 2
    print(f"# {time.strftime('%Y-%m-%d')} | {platform.platform()} | {os.cpu_count()} cores | Python {platform.python_version()}")
    for name in names:
        print(f"## {name}")
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
