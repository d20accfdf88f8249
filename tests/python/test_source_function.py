"""env.add_source with a Python SourceFunction: run(ctx) in a worker (or embedded), records and timestamps
through the real engine in both modes at p1/p2; cancel() when the job stops early; an exception in run()
fails the job with its traceback. Expected results are computed here."""
import os
import time

import pytest

from pyflow.common import Types, WatermarkStrategy
from pyflow.datastream import ProcessFunction, SourceFunction
from pyflow.errors import PlanError, PythonFunctionError


class Numbers(SourceFunction):
    """n records, each with timestamp 1000 * i; open/close append to a log."""

    def __init__(self, n, log=None):
        self.n, self.log, self.running = n, log, True

    def open(self, runtime_context):
        self._note("open")

    def run(self, ctx):
        for i in range(self.n):
            if not self.running:
                return
            ctx.collect_with_timestamp(i, 1000 * i)

    def cancel(self):
        self.running = False

    def close(self):
        self._note("close")

    def _note(self, what):
        if self.log:
            with open(self.log, "a") as f:
                f.write(what + "\n")


class WithTimestamp(ProcessFunction):
    def process_element(self, value, ctx):
        yield value, ctx.timestamp()


def test_bounded_source_function_emits_every_record_with_its_timestamp(env, tmp_path):
    log = tmp_path / "log"
    n = 25_000  # more than one queue's worth (10,000): collect() blocks and resumes
    out = (env.add_source(Numbers(n, str(log)), "numbers", Types.LONG())
           .process(WithTimestamp()).execute_and_collect())
    assert sorted(out) == [(i, 1000 * i) for i in range(n)]
    assert log.read_text().splitlines() == ["open", "close"]


class Forever(SourceFunction):
    """Counts up until cancelled; cancel() leaves a marker file."""

    def __init__(self, marker):
        self.marker, self.running = marker, True

    def run(self, ctx):
        i = 0
        while self.running:
            ctx.collect(i)
            i += 1
            time.sleep(0.001)

    def cancel(self):
        self.running = False
        with open(self.marker, "w") as f:
            f.write("cancelled")


def test_unbounded_source_function_is_cancelled_when_the_job_stops(env, tmp_path):
    marker = tmp_path / "cancelled"
    out = env.add_source(Forever(str(marker)), type_info=Types.LONG()).map(lambda v: v * 2, Types.LONG()) \
        .execute_and_collect(limit=50)
    assert len(out) == 50 and len(set(out)) == 50 and all(v % 2 == 0 for v in out)
    deadline = time.monotonic() + 10
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.read_text() == "cancelled"


class Broken(SourceFunction):
    def run(self, ctx):
        ctx.collect("fine")
        raise ValueError("the sensor feed closed unexpectedly")

    def cancel(self):
        pass


def test_exception_in_run_fails_the_job_with_its_traceback(env):
    with pytest.raises(PythonFunctionError, match="the sensor feed closed unexpectedly") as info:
        list(env.add_source(Broken(), type_info=Types.STRING()).execute_and_collect())
    assert "in run" in str(info.value) or "in run" in (getattr(info.value, "python_traceback", "") or "")


def test_python_source_is_non_parallel_and_must_be_a_source_function(env):
    stream = env.add_source(Numbers(3))
    with pytest.raises(PlanError, match="non-parallel"):
        stream.set_parallelism(2)
    with pytest.raises(TypeError, match="add_source\\(\\) expects a pyflow SourceFunction"):
        env.add_source(iter([1, 2]))
