"""Daily sales totals from a CSV file, as a bounded job in BATCH mode: the same DataStream API
as the streaming examples, but a keyed reduce emits one final total per day instead of every
running total.

    .venv/bin/python examples/batch_daily_totals.py                      # examples/data/sales.csv
    .venv/bin/python examples/batch_daily_totals.py sales.csv --parallelism 2

The CSV has a header line and rows ``date,category,amount`` (amount in currency units with cents,
e.g. ``12.34``). It prints ``date,sales,total`` lines sorted by date. Amounts are summed in whole
cents, so totals are exact.
"""
import argparse
import os
import sys

from pyflow.common import Types
from pyflow.datastream import RuntimeExecutionMode, StreamExecutionEnvironment

DEFAULT_INPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "sales.csv")


def parse(line: str):
    """``(date, sales, cents)`` of one CSV row: one sale of the row's amount."""
    date, _category, amount = line.split(",")
    units, _, cents = amount.strip().partition(".")
    return date, 1, int(units) * 100 + int((cents + "00")[:2])


def daily_totals(env, path: str):
    """The job: text lines -> parsed rows -> key by date -> sum of sales and cents."""
    return (
        env.read_text_file(path)
        .filter(lambda line: line.strip() != "" and not line.startswith("date,"))
        .map(parse)
        .key_by(lambda row: row[0], key_type=Types.STRING())
        .reduce(lambda a, b: (a[0], a[1] + b[1], a[2] + b[2]))
        .map(lambda t: f"{t[0]},{t[1]},{t[2] // 100}.{t[2] % 100:02d}", output_type=Types.STRING())
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", default=DEFAULT_INPUT, help="the CSV file (default: examples/data/sales.csv)")
    parser.add_argument("--parallelism", type=int, default=2)
    args = parser.parse_args(argv)

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_runtime_mode(RuntimeExecutionMode.BATCH)
    env.set_parallelism(args.parallelism)
    with daily_totals(env, args.input).execute_and_collect("daily_totals") as lines:
        rows = sorted(lines)
    print("date,sales,total")
    for row in rows:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
