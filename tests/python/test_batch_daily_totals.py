"""examples/batch_daily_totals.py: a BATCH-mode job over a CSV file, checked against totals computed here."""
import collections
import csv
import os
import random
import subprocess
import sys
from decimal import Decimal

from pyflow.datastream import RuntimeExecutionMode

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "batch_daily_totals.py")
sys.path.insert(0, os.path.join(ROOT, "examples"))

import batch_daily_totals  # noqa: E402


def reference(path):
    """``date,sales,total`` lines, by the csv module and Decimal."""
    sales, totals = collections.Counter(), collections.defaultdict(Decimal)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            sales[row["date"]] += 1
            totals[row["date"]] += Decimal(row["amount"])
    return [f"{d},{sales[d]},{totals[d]:.2f}" for d in sorted(sales)]


def write_csv(path, rows: int, seed: int):
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write("date,category,amount\n")
        for _ in range(rows):
            f.write(f"2026-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d},c{rng.randrange(5)},"
                    f"{rng.randrange(0, 10 ** 6)}.{rng.randrange(100):02d}\n")


def test_batch_totals_equal_the_reference_in_both_modes(env, tmp_path):
    path = tmp_path / "sales.csv"
    write_csv(path, 3000, seed=11)
    env.set_runtime_mode(RuntimeExecutionMode.BATCH)
    with batch_daily_totals.daily_totals(env, str(path)).execute_and_collect() as lines:
        got = sorted(lines)
    assert got == reference(path)


def test_batch_mode_emits_one_line_per_day_not_running_totals(process_env, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("date,category,amount\n2026-01-01,a,1.05\n2026-01-01,b,2.10\n2026-01-02,a,0.01\n2026-01-01,c,3\n")
    process_env.set_runtime_mode(RuntimeExecutionMode.BATCH)
    with batch_daily_totals.daily_totals(process_env, str(path)).execute_and_collect() as lines:
        assert sorted(lines) == ["2026-01-01,3,6.15", "2026-01-02,1,0.01"]


def test_the_script_prints_the_shipped_sample_totals():
    run = subprocess.run([sys.executable, EXAMPLE], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    sample = os.path.join(ROOT, "examples", "data", "sales.csv")
    assert run.stdout.splitlines() == ["date,sales,total"] + reference(sample)
