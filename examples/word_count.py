"""Word count, as in PyFlink's DataStream example: counts the words of a text file, or of a
built-in sample when no file is given.

    ./dev example                 # the built-in sample
    ./dev example path/to/file    # a text file
    .venv/bin/python examples/word_count.py [file] [--parallelism N] [--collect]

With --collect the final counts come back to this script (execute_and_collect) and are printed
sorted; without it the job prints every running count itself (print() and execute()), as
PyFlink's example does.
"""
import argparse
import sys

from pyflow.common import Types
from pyflow.datastream import RuntimeExecutionMode, StreamExecutionEnvironment

SAMPLE = [
    "To be, or not to be,--that is the question:--",
    "Whether 'tis nobler in the mind to suffer",
    "The slings and arrows of outrageous fortune",
    "Or to take arms against a sea of troubles,",
    "And by opposing end them?--To die,--to sleep,--",
    "No more; and by a sleep to say we end",
    "The heartache, and the thousand natural shocks",
    "That flesh is heir to,--'tis a consummation",
    "Devoutly to be wish'd. To die,--to sleep;--",
]


def split(line):
    """Lower-cased words of a line; punctuation separates words."""
    for word in "".join(c.lower() if c.isalnum() or c == "'" else " " for c in line).split():
        yield word


def word_counts(env, lines):
    """The job: lines -> (word, 1) -> key by word -> running sum."""
    return (
        env.from_collection(lines, type_info=Types.STRING())
        .flat_map(split, output_type=Types.STRING())
        .map(lambda word: (word, 1))
        .key_by(lambda pair: pair[0])
        .reduce(lambda a, b: (a[0], a[1] + b[1]))
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", help="a text file (default: a built-in sample)")
    parser.add_argument("--parallelism", type=int, default=2)
    parser.add_argument("--collect", action="store_true", help="collect the final counts into this script")
    args = parser.parse_args(argv)

    if args.input:
        with open(args.input, encoding="utf-8") as f:
            lines = [line.rstrip("\n") for line in f]
    else:
        lines = SAMPLE

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(args.parallelism)
    if args.collect:
        env.set_runtime_mode(RuntimeExecutionMode.BATCH)  # only the final count per word
        with word_counts(env, lines).execute_and_collect() as results:
            for word, count in sorted(results, key=lambda wc: (-wc[1], wc[0])):
                print(f"{word}\t{count}")
    else:
        word_counts(env, lines).print()
        env.execute("word_count")
    return 0


if __name__ == "__main__":
    sys.exit(main())
