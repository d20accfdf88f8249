"""Word count through the whole stack: driver -> engine host -> workers -> driver."""
import collections
import os
import subprocess
import sys

from pyflow.common import Types
from pyflow.datastream import RuntimeExecutionMode

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples"))

import word_count  # noqa: E402

LINES = ["the quick brown fox", "jumps over the lazy dog", "The DOG sleeps; the fox runs"]


def expected_final():
    words = [w for line in LINES for w in word_count.split(line)]
    return collections.Counter(words)


def test_streaming_reduce_emits_every_running_count_in_order_per_key(env):
    with word_count.word_counts(env, LINES).execute_and_collect() as results:
        got = list(results)
    final = expected_final()
    assert len(got) == sum(final.values())  # one update per occurrence
    per_word = collections.defaultdict(list)
    for word, count in got:
        per_word[word].append(count)
    assert {w: c for w, c in per_word.items()} == {w: list(range(1, n + 1)) for w, n in final.items()}


def test_batch_mode_emits_only_final_counts(env):
    env.set_runtime_mode(RuntimeExecutionMode.BATCH)
    with word_count.word_counts(env, LINES).execute_and_collect() as results:
        got = dict(results)
    assert got == dict(expected_final())


def test_typed_stream_map_filter_at_parallelism(env):
    data = list(range(-500, 1500))
    stream = (env.from_collection(data, type_info=Types.LONG())
              .map(lambda x: x * 3, output_type=Types.LONG())
              .filter(lambda x: x % 2 == 0)
              .map(lambda x: f"v{x}", output_type=Types.STRING()))
    with stream.execute_and_collect() as results:
        got = sorted(results)
    assert got == sorted(f"v{x * 3}" for x in data if (x * 3) % 2 == 0)


def test_keys_compare_by_value_not_by_pickle_bytes(env):
    # 1, 1.0 and True are equal keys in Python; tuples built differently are equal too.
    data = [(1, "a"), (1.0, "b"), ((2, "x"), "c"), (tuple([2, "x"]), "d")]
    stream = (env.from_collection(data)
              .key_by(lambda r: r[0])
              .reduce(lambda a, b: (a[0], a[1] + b[1])))
    env.set_runtime_mode(RuntimeExecutionMode.BATCH)
    with stream.execute_and_collect() as results:
        got = sorted(v for _, v in results)
    assert got == ["ab", "cd"]


def test_the_example_prints_correct_counts(tmp_path):
    text = tmp_path / "in.txt"
    text.write_text("b a b\nc b a\n", encoding="utf-8")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "word_count.py"), str(text), "--collect"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["b\t3", "a\t2", "c\t1"]


def test_the_example_prints_running_counts_with_print_sink(tmp_path):
    text = tmp_path / "in.txt"
    text.write_text("x y x\n", encoding="utf-8")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "word_count.py"), str(text), "--parallelism", "1"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert sorted(out.stdout.splitlines()) == sorted(["('x', 1)", "('y', 1)", "('x', 2)"])


def _environment(parallelism, **options):
    from pyflow.common import Configuration
    from pyflow.datastream import StreamExecutionEnvironment
    config = Configuration()
    for key, value in options.items():
        config.set_string(key, value)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(parallelism)
    return env


def test_unfused_python_operators_hand_arrow_batches_on_whole(parallelism):
    # Chaining off: three Python operators, each in its own worker; batches go from one to the next as Arrow.
    env = _environment(parallelism, **{"python.operator-chaining.enabled": "false"})
    data = list(range(25_000))
    stream = (env.from_collection(data, type_info=Types.LONG())
              .map(lambda x: x * 2, output_type=Types.LONG())
              .map(lambda x: x + 1, output_type=Types.LONG())
              .filter(lambda x: x % 3 == 0))
    with stream.execute_and_collect() as results:
        got = sorted(results)
    assert got == sorted(x * 2 + 1 for x in data if (x * 2 + 1) % 3 == 0)


def test_arrow_batches_smaller_than_the_collection_chunks_decode_and_rebatch(parallelism):
    env = _environment(parallelism, **{"python.fn-execution.arrow.batch.size": "700"})
    data = [f"w{i}" for i in range(23_456)]
    stream = env.from_collection(data, type_info=Types.STRING()).map(lambda s: s.upper(), output_type=Types.STRING())
    with stream.execute_and_collect() as results:
        got = list(results)
    assert sorted(got) == sorted(s.upper() for s in data)


def test_a_collection_straight_to_collect_keeps_order_and_values():
    env = _environment(1)
    data = [float(i) / 7 for i in range(30_001)]
    with env.from_collection(data, type_info=Types.DOUBLE()).execute_and_collect() as results:
        assert list(results) == data


def test_objects_of_a_class_defined_in_the_script_travel_pickled(tmp_path):
    script = tmp_path / "points.py"
    script.write_text(
        "from pyflow.datastream import StreamExecutionEnvironment\n"
        "class Point:\n"
        "    def __init__(self, x, y):\n"
        "        self.x, self.y = x, y\n"
        "env = StreamExecutionEnvironment.get_execution_environment()\n"
        "env.set_parallelism(2)\n"
        "s = env.from_collection([Point(i, -i) for i in range(50)]).map(lambda p: Point(p.x * 10, p.y))\n"
        "with s.execute_and_collect() as results:\n"
        "    print(sorted((p.x, p.y) for p in results) == [(i * 10, -i) for i in range(50)])\n",
        encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
