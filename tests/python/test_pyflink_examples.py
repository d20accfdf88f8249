"""Runs each port of PyFlink's examples (examples/pyflink) as a user would, in a subprocess with this venv's
Python, and checks its output against results computed here in plain Python."""
import ast
import collections
import importlib.util
import itertools
import json
import pathlib
import re
import os
import subprocess
import sys

import pytest


EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "pyflink"
TIMEOUT_S = 100
PRINT_HINT = "Printing result to stdout. Use --output to specify output path."
SUBTASK_PREFIX = re.compile(r"^(\d+)> ")


_conf_dir = None  # the PYFLOW_CONF_DIR of the current test's execution mode


@pytest.fixture(params=["process", "thread"], autouse=True)
def execution_mode(request, tmp_path_factory):
    """Every example runs unchanged in both execution modes, chosen by a PYFLOW_CONF_DIR/config.yaml
    (as a user would for a whole set of scripts), with the same expected output."""
    global _conf_dir
    conf = tmp_path_factory.mktemp(f"conf-{request.param}")
    (conf / "config.yaml").write_text(f"python.execution-mode: {request.param}\n")
    _conf_dir = str(conf)
    yield request.param
    _conf_dir = None


def run(example: str, *args: str) -> list:
    """The example's stdout lines, with Flink's ``N> `` subtask prefixes removed."""
    proc = subprocess.run([sys.executable, str(EXAMPLES / example), *args], capture_output=True, text=True,
                          timeout=TIMEOUT_S, cwd=EXAMPLES, env={**os.environ, "PYFLOW_CONF_DIR": _conf_dir})
    assert proc.returncode == 0, f"{example} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return [SUBTASK_PREFIX.sub("", line) for line in proc.stdout.splitlines()]


def records(lines: list) -> list:
    return [ast.literal_eval(line) for line in lines]


PASSAGE_HEAD = "To be, or not to be,--that is the question:--"


def test_word_count_counts_the_builtin_passage():
    lines = run("word_count.py")
    assert lines[:3] == ["Executing word_count example with default input data set.",
                         "Use --input to specify file input.", PRINT_HINT]
    counts = records(lines[3:])
    # the example's input (its module, loaded under its own name: examples/word_count.py is another
    # "word_count"); the counting below is this test's own
    spec = importlib.util.spec_from_file_location("pyflink_example_word_count", EXAMPLES / "word_count.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    PASSAGE = example.PASSAGE
    assert PASSAGE[0] == PASSAGE_HEAD and len(PASSAGE) == 35
    expected = collections.Counter(word for line in PASSAGE for word in line.split())
    assert sorted(counts) == sorted(expected.items())  # BATCH mode: one final count per word


def test_word_count_reads_a_file_and_writes_part_files(tmp_path):
    text = ["the quick brown fox", "jumps over the lazy dog", "", "the end"]
    (tmp_path / "in.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    lines = run("word_count.py", "--input", str(tmp_path / "in.txt"), "--output", str(out))
    assert lines == []
    parts = sorted(p for p in out.rglob("*") if p.is_file())
    assert parts and all(p.name.startswith("prefix") and p.name.endswith(".ext") for p in parts)
    written = [line for p in parts for line in p.read_text(encoding="utf-8").splitlines()]
    expected = collections.Counter(word for line in text for word in line.split())
    assert sorted(records(written)) == sorted(expected.items())


PAYMENTS = [("Alice", 110.1), ("Bob", 30.2), ("Alice", 20.0), ("Bob", 53.1),
            ("Alice", 13.1), ("Bob", 3.1), ("Bob", 16.1), ("Alice", 20.1)]


def test_state_access_emits_each_names_running_sum():
    out = records(run("state_access.py"))
    expected = collections.defaultdict(list)
    totals = collections.defaultdict(float)
    for name, amount in PAYMENTS:
        totals[name] = totals[name] + amount if name in totals else amount
        expected[name].append((name, totals[name]))
    by_name = collections.defaultdict(list)
    for name, total in out:
        by_name[name].append((name, total))
    assert by_name == expected  # per key, in arrival order


def test_event_time_timer_reports_each_names_sum_when_its_timers_fire():
    out = records(run("event_time_timer.py"))
    payments = [(1000, "Alice", 110.1), (4000, "Bob", 30.2), (3000, "Alice", 20.0), (2000, "Bob", 53.1),
                (5000, "Alice", 13.1), (3000, "Bob", 3.1), (7000, "Bob", 16.1), (10000, "Alice", 20.1)]
    for name in ("Alice", "Bob"):
        amounts = [amount for _, n, amount in payments if n == name]
        prefix_sums = list(itertools.accumulate(amounts))
        timers = {ts + 2000 for ts, n, _ in payments if n == name}  # one firing per distinct timer time
        fired = [total for n, total in out if n == name]
        assert len(fired) == len(timers)
        # a timer reports the sum of the records before the watermark that fired it: a prefix sum, never
        # decreasing; the last ones fire at the end of input, after every record
        assert all(total in prefix_sums for total in fired)
        assert fired == sorted(fired) and fired[-1] == prefix_sums[-1]
    assert len(out) == 8


def test_process_json_data_keeps_the_records_from_china():
    out = records(run("process_json_data.py"))
    assert sorted(out, key=lambda r: r[0]) == [
        (2, {"name": "hello", "tel": 136, "addr": {"country": "China", "city": "Shanghai"}}),
        (4, {"name": "PyFlink", "tel": 33, "addr": {"country": "China", "city": "Hangzhou"}})]


def test_basic_operations_prints_map_filter_and_reduce_results():
    people = {1: ("Flink", 123, "Germany", "Berlin"), 2: ("hello", 135, "China", "Shanghai"),
              3: ("world", 124, "USA", "NewYork"), 4: ("PyFlink", 32, "China", "Hangzhou")}

    def info(pid, tel):
        name, _, country, city = people[pid]
        return json.dumps({"name": name, "tel": tel, "addr": {"country": country, "city": city}})

    mapped = [(pid, info(pid, p[1] + 1)) for pid, p in people.items()]
    running, reduced = {}, []
    for pid, p in people.items():
        running[p[2]] = running.get(p[2], 0) + p[1]
        reduced.append((p[2], running[p[2]]))
    assert records(run("basic_operations.py")) == mapped + [mapped[0]] + reduced


def count_windows(data, windows_of):
    """(key, start, end, count) per window, in the order windows end (a plain-Python window count)."""
    counts = collections.Counter()
    for key, ts in data:
        for start, end in windows_of(ts):
            counts[(key, start, end)] += 1
    return sorted(((k, s, e, n) for (k, s, e), n in counts.items()), key=lambda w: (w[2], w[1]))


TIME_DATA = [("hi", 1), ("hi", 2), ("hi", 3), ("hi", 4), ("hi", 5), ("hi", 8), ("hi", 9), ("hi", 15)]


def test_tumbling_time_window():
    expected = count_windows(TIME_DATA, lambda ts: [(ts - ts % 5, ts - ts % 5 + 5)])
    assert expected == [("hi", 0, 5, 4), ("hi", 5, 10, 3), ("hi", 15, 20, 1)]
    lines = run("windowing/tumbling_time_window.py")
    assert lines[0] == PRINT_HINT and records(lines[1:]) == expected


def test_sliding_time_window():
    def sliding(ts, size=5, slide=2):
        last_start = ts - ts % slide
        return [(s, s + size) for s in range(last_start, ts - size, -slide)]
    expected = count_windows(TIME_DATA, sliding)
    lines = run("windowing/sliding_time_window.py")
    assert lines[0] == PRINT_HINT and records(lines[1:]) == expected


def test_session_with_gap_window():
    data, gap = [("hi", t) for t in (1, 2, 3, 4, 8, 9, 15)], 5
    sessions = []
    for _, ts in data:  # in timestamp order already
        if sessions and ts < sessions[-1][1]:
            sessions[-1] = [sessions[-1][0], ts + gap, sessions[-1][2] + 1]
        else:
            sessions.append([ts, ts + gap, 1])
    expected = [("hi", s, e, n) for s, e, n in sessions]
    assert expected == [("hi", 1, 14, 6), ("hi", 15, 20, 1)]
    lines = run("windowing/session_with_gap_window.py")
    assert lines[0] == PRINT_HINT and records(lines[1:]) == expected


def test_tumbling_count_window(tmp_path):
    data = [(1, "hi"), (2, "hello"), (3, "hi"), (4, "hello"), (5, "hi"), (6, "hello"), (6, "hello")]
    per_key = collections.defaultdict(list)
    for value, key in data:
        per_key[key].append(value)
    expected = sorted((key, sum(values[i:i + 3])) for key, values in per_key.items()
                      for i in range(0, len(values) - len(values) % 3, 3))  # incomplete windows never fire
    assert expected == [("hello", 12), ("hi", 9)]
    lines = run("windowing/tumbling_count_window.py")
    assert lines[0] == PRINT_HINT and sorted(records(lines[1:])) == expected
    # and with --output, the same results in the part files
    assert run("windowing/tumbling_count_window.py", "--output", str(tmp_path)) == []
    written = [line for p in sorted(tmp_path.rglob("prefix*.ext")) for line in p.read_text().splitlines()]
    assert sorted(records(written)) == expected


def test_tumbling_time_window_with_continuous_trigger():
    size, interval = 10, 5
    windows = collections.defaultdict(list)  # window start -> record timestamps
    for _, ts in TIME_DATA:
        windows[ts - ts % size].append(ts)
    expected = []
    for start, stamps in sorted(windows.items()):
        # Flink's ContinuousEventTimeTrigger: a timer at the window's last ms, and a chain of timers every
        # `interval` from the first record, each capped at that last ms; every distinct timer fires. The whole
        # collection is in before the end-of-input watermark fires them, so each firing sees every record.
        last = start + size - 1
        timers, t = {last}, stamps[0] - stamps[0] % interval + interval
        while True:
            timers.add(min(t, last))
            if t >= last:
                break
            t += interval
        expected += [("hi", start, start + size, len(stamps))] * len(timers)
    assert expected == [("hi", 0, 10, 7), ("hi", 0, 10, 7), ("hi", 10, 20, 1)]
    lines = run("windowing/tumbling_time_window_with_continuous_trigger.py")
    assert lines[0] == PRINT_HINT and records(lines[1:]) == expected


def sliding_5_2(ts, size=5, slide=2):
    last_start = ts - ts % slide
    return [(s, s + size) for s in range(last_start, ts - size, -slide)]


def test_sliding_window():
    expected = count_windows(TIME_DATA, sliding_5_2)
    lines = run("windowing/sliding_window.py")
    assert lines[0] == PRINT_HINT and records(lines[1:]) == expected


def test_tumbling_windowing():
    expected = [(k, n) for k, _, _, n in count_windows(TIME_DATA, lambda ts: [(ts - ts % 5, ts - ts % 5 + 5)])]
    assert records(run("windowing/tumbling_windowing.py")) == expected


def test_sliding_windowing():
    expected = [(k, n) for k, _, _, n in count_windows(TIME_DATA, sliding_5_2)]
    assert records(run("windowing/sliding_windowing.py")) == expected


def test_count_windowing():
    data = [(1, "hi"), (2, "hello"), (3, "hi"), (4, "hello"), (5, "hi"), (6, "hello"), (6, "hello")]
    pending, expected = collections.defaultdict(list), []
    for value, key in data:  # a window fires on its third record, in arrival order
        pending[key].append(value)
        if len(pending[key]) == 3:
            expected.append((key, sum(pending.pop(key))))
    assert expected == [("hi", 9), ("hello", 12)]
    assert records(run("windowing/count_windowing.py")) == expected
