"""``execute_and_collect`` and ``print`` with checkpoints are exactly-once across real failures that land right
after a checkpoint completed, while the results held for it may not have reached the driver yet: a Python worker
killed with SIGKILL (process mode) or a function that raises (thread mode). Every record is counted: each must be
in exactly one running sum the driver saw. The function places its failure inside that window (see RunningSums);
the kill still runs 20 times, as the issue asked, since where the window falls depends on thread timing (each run
a few seconds, each its own test, so the 120 s per-test bound holds on a loaded machine). Before the fix every run
lost 100-200 of 2000 results."""
import ast
import json
import os
import pathlib
import signal
import time

import pytest

from checkpoint_jobs import arrivals_per_key, window_env

from pyflow.common import Types, WatermarkStrategy
from pyflow.datastream import KeyedProcessFunction
from pyflow.datastream.connectors import DataGeneratorSource
from pyflow.datastream.state import ValueStateDescriptor

COUNT = 3000  # 1.5 s of input at each of the two source subtasks (1000 records a second each)
KEYS = 7


def numbered(i):
    return (i % KEYS, i)


class RunningSums(KeyedProcessFunction):
    """The running sum of each key, one output per record, failing once inside the one moment that matters: a
    call that began after this subtask took its part of a checkpoint and lasts until that checkpoint completed.
    The results held for the checkpoint are then still in the sink (its subtask is blocked in this very call,
    so the completion notice waits), and the failure comes before they were released. ``how`` is ``"kill"``
    (the worker SIGKILLs itself: a real kill) or ``"raise"``; ``marker`` makes it fail only once."""

    def __init__(self, checkpoints: str, marker: str, how: str):
        self.checkpoints, self.marker, self.how = pathlib.Path(checkpoints), marker, how

    def open(self, runtime_context):
        self.subtask = runtime_context.get_index_of_this_subtask()
        self.sum = runtime_context.get_state(ValueStateDescriptor("sum", Types.LONG()))

    def process_element(self, value, ctx):
        if not os.path.exists(self.marker):
            self._fail_if_a_checkpoint_completes_now()
        total = (self.sum.value() or 0) + value[1]
        self.sum.update(total)
        yield (value[0], total)

    def _fail_if_a_checkpoint_completes_now(self):
        vertex = self._my_vertex()
        if vertex is None:
            return
        for pending in self.checkpoints.glob(".chk-*.inprogress"):
            if not (pending / f"v{vertex}-s{self.subtask}.state").exists():
                continue
            completed = self.checkpoints / pending.name[1:-len(".inprogress")]
            deadline = time.monotonic() + 20
            while not completed.exists() and pending.exists() and time.monotonic() < deadline:
                time.sleep(0.002)
            if completed.exists():
                pathlib.Path(self.marker).touch()
                if self.how == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                raise RuntimeError(f"injected failure right after {completed.name} completed")

    def _my_vertex(self):
        """This chain's vertex index, from the metadata of a completed checkpoint (None before the first)."""
        for done in self.checkpoints.glob("chk-*"):
            try:
                vertices = json.loads((done / "_metadata").read_text())["vertices"]
            except (OSError, ValueError):
                continue
            return next(v["index"] for v in vertices if "running sums" in v["name"])
        return None


def running_sums(env, function):
    """Generator -> key_by -> Python keyed process: the running sum of each key, one per record."""
    source = DataGeneratorSource(numbered, count=COUNT, records_per_second=1000,
                                 output_type=Types.TUPLE([Types.INT(), Types.LONG()]))
    return (env.from_source(source, WatermarkStrategy.no_watermarks(), "numbers")
            .key_by(lambda t: t[0])
            .process(function, output_type=Types.TUPLE([Types.INT(), Types.LONG()])).name("running sums"))


def expected_arrivals() -> dict:
    reference = {}
    for i in range(COUNT):
        reference.setdefault(i % KEYS, []).append(i)
    return reference


def assert_every_record_once(seen: list) -> None:
    # A lost record leaves a gap between two sums of its key, a repeated one a difference of 0 or a sum twice.
    assert len(seen) == COUNT, f"the driver saw {len(seen)} results of {COUNT}"
    assert arrivals_per_key(seen) == expected_arrivals()


def failing_job(tmp_path, mode: str):
    checkpoints, marker = tmp_path / "ck", tmp_path / "failed-once"
    checkpoints.mkdir(parents=True)
    # Short bundles: the function runs every few ms, so some call begins between this subtask's part of a
    # checkpoint and the checkpoint's completion.
    env = window_env(mode, 2, checkpoints, interval_ms=20, options={"python.fn-execution.bundle.time": "5"})
    how = "kill" if mode == "process" else "raise"
    return env, running_sums(env, RunningSums(str(checkpoints), str(marker), how)), marker


def assert_recovered(marker: pathlib.Path, log: str, mode: str) -> None:
    assert marker.exists() and "restart 1" in log, log  # the failure happened, and the job recovered from it
    if mode == "process":
        assert "killed by signal 9" in log, log


ATTEMPTS = 8  # where the window falls depends on thread timing (about a third of runs miss it): a run that never hit it proves nothing, so try again


def collected_until_it_failed(tmp_path, capfd, mode: str):
    """Runs the job (each attempt checked for exactly-once) until one attempt failed inside the window."""
    for attempt in range(ATTEMPTS):
        env, sums, marker = failing_job(tmp_path / f"attempt-{attempt}", mode)
        with sums.execute_and_collect() as results:
            seen = list(results)
        log = capfd.readouterr().err
        assert_every_record_once(seen)
        if marker.exists():
            assert_recovered(marker, log, mode)
            return
    pytest.fail(f"in {ATTEMPTS} runs no call of the function fell between a checkpoint's snapshot and its completion")


@pytest.mark.parametrize("run", range(20))
def test_collect_survives_a_worker_killed_right_after_a_checkpoint(tmp_path, capfd, run):
    collected_until_it_failed(tmp_path, capfd, "process")


@pytest.mark.parametrize("run", range(4))
def test_thread_mode_collect_survives_a_failure_right_after_a_checkpoint(tmp_path, capfd, run):
    collected_until_it_failed(tmp_path, capfd, "thread")


@pytest.mark.parametrize("mode", ["process", "thread"])
@pytest.mark.parametrize("run", range(3))
def test_print_survives_a_failure_right_after_a_checkpoint(tmp_path, capfd, mode, run):
    for attempt in range(ATTEMPTS):
        env, sums, marker = failing_job(tmp_path / f"attempt-{attempt}", mode)
        sums.print()
        env.execute("printed sums")
        out, log = capfd.readouterr()
        # At parallelism 2 each line is "<subtask>> (key, sum)".
        assert_every_record_once([ast.literal_eval(line.split("> ", 1)[1]) for line in out.splitlines()])
        if marker.exists():
            assert_recovered(marker, log, mode)
            return
    pytest.fail(f"in {ATTEMPTS} runs no call of the function fell between a checkpoint's snapshot and its completion")
