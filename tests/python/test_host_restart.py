"""The driver restarts a job whose engine host died (Flink's JobManager restarting a lost TaskManager): in
thread mode a Python function ends the host itself (SIGKILL of its own process), in process mode the test
kills the host. Results are compared, in order, with the same job computed in plain Python: a restart from a
checkpoint must neither lose nor repeat a record."""
import os
import pathlib
import signal

import pytest

from checkpoint_jobs import completed_checkpoints, host_pids, kill
from proc_helpers import wait_for, wait_gone

from pyflow.common import Configuration, RestartStrategies, Types, WatermarkStrategy
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.datastream.connectors import DataGeneratorSource
from pyflow.errors import EngineHostDiedError

COUNT, KEYS = 5000, 5  # 5 s at 1000 a second: several quiet moments to kill in (see CheckpointDone)
CHECKPOINT_MS = 1000  # a long quiet between checkpoints, for the kill (see CheckpointDone)
QUIET_SECONDS = 0.3
PAIR = Types.TUPLE([Types.INT(), Types.LONG()])


def reference() -> list:
    """The running sum per key after each record, in record order (the job at parallelism 1)."""
    sums, out = {}, []
    for i in range(COUNT):
        sums[i % KEYS] = sums.get(i % KEYS, 0) + i
        out.append((i % KEYS, sums[i % KEYS]))
    return out


class KillHost:
    """Kills its own process (in thread mode: the engine host) at the first record >= ``at`` that it sees once
    ``ready`` holds; with ``marker`` only once (the file says it happened), without it at every attempt."""

    def __init__(self, at: int, ready, marker: "str | None" = None):
        self.at, self.ready, self.marker = at, ready, marker

    def __call__(self, i):
        if i >= self.at and self.ready() and not (self.marker and os.path.exists(self.marker)):
            if self.marker:
                pathlib.Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return i


class CheckpointDone:
    """True while the newest completed checkpoint in ``directory`` (so the restart resumes from one, not the
    start) completed at least QUIET_SECONDS ago.

    Why the quiet: results are held until their checkpoint completes and are released by mail the sink runs
    right after; a host killed between the completion and that mail loses the results of that checkpoint (held
    results live only in the host's memory: the held-results work makes them survive). A kill while the newest
    checkpoint is that old cannot fall in that gap, so these tests check the host restart, not that race."""

    def __init__(self, directory: str):
        self.directory = directory

    def __call__(self):
        import time
        ids = completed_checkpoints(pathlib.Path(self.directory))
        try:
            return bool(ids) and \
                time.time() - (pathlib.Path(self.directory) / f"chk-{ids[-1]}").stat().st_mtime >= QUIET_SECONDS
        except FileNotFoundError:  # replaced by a newer one meanwhile
            return False


class FileExists:
    def __init__(self, path: str):
        self.path = path

    def __call__(self):
        return os.path.exists(self.path)


class Both:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __call__(self):
        return self.a() and self.b()


class RaiseOnce:
    """Raises at record ``at`` unless ``marker`` exists (an in-host restart: the engine recovers, the host lives)."""

    def __init__(self, at: int, marker: str):
        self.at, self.marker = at, marker

    def __call__(self, i):
        if i == self.at and not os.path.exists(self.marker):
            pathlib.Path(self.marker).touch()
            raise RuntimeError(f"injected failure at {i}")
        return i


def describe_difference(seen: list, expected: list, log: str) -> str:
    """Where ``seen`` first differs from ``expected``, what is missing and repeated: a short failure message."""
    first = next((i for i, (a, b) in enumerate(zip(seen, expected)) if a != b), min(len(seen), len(expected)))
    missing = len(set(expected) - set(seen))
    repeated = len(seen) - len(set(seen))
    return (f"{len(seen)} records, expected {len(expected)}; first difference at {first}; {missing} missing, "
            f"{repeated} repeated\nlog:\n{log[-3000:]}")


def make_env(mode: str, checkpoints: "pathlib.Path | None", attempts: int = 3) -> StreamExecutionEnvironment:
    env = StreamExecutionEnvironment.get_execution_environment(
        Configuration().set_string("python.execution-mode", mode))
    env.set_parallelism(1)
    if checkpoints is not None:
        env.enable_checkpointing(CHECKPOINT_MS).get_checkpoint_config().set_checkpoint_storage_dir(str(checkpoints))
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(attempts, 100))
    return env


def running_sums(env, *maps, rate: int = 1000):
    """Generator (COUNT records at ``rate`` a second) -> ``maps`` -> key_by -> running sum per key."""
    numbers = env.from_source(DataGeneratorSource(lambda i: i, count=COUNT, records_per_second=rate,
                                                  output_type=Types.LONG()),
                              WatermarkStrategy.no_watermarks(), "numbers")
    for fn in maps:
        numbers = numbers.map(fn, output_type=Types.LONG())
    return (numbers.map(lambda i: (i % KEYS, i), output_type=PAIR)
            .key_by(lambda t: t[0]).reduce(lambda a, b: (a[0], a[1] + b[1])))


def test_thread_mode_host_that_kills_itself_is_restarted_from_the_checkpoint_collect(tmp_path, capfd):
    checkpoints, marker = tmp_path / "ck", tmp_path / "killed-once"
    env = make_env("thread", checkpoints)
    stream = running_sums(env, KillHost(COUNT // 3, CheckpointDone(str(checkpoints)), str(marker)))
    with stream.execute_and_collect() as results:
        seen = list(results)
    assert marker.exists(), "the host was never killed: the test would prove nothing"
    log = capfd.readouterr().err
    assert "the engine host died (killed by signal 9 (SIGKILL))" in log and "restart 1" in log, log
    assert f"from the newest checkpoint in '{checkpoints}'" in log, log
    assert seen == reference(), describe_difference(seen, reference(), log)


def test_thread_mode_host_that_kills_itself_is_restarted_from_the_checkpoint_print(tmp_path, capfd):
    checkpoints, marker = tmp_path / "ck", tmp_path / "killed-once"
    env = make_env("thread", checkpoints)
    running_sums(env, KillHost(COUNT // 3, CheckpointDone(str(checkpoints)), str(marker))).print()
    env.execute("printed across a host crash")
    assert marker.exists(), "the host was never killed: the test would prove nothing"
    out = capfd.readouterr()
    assert "restart 1" in out.err and "from the newest checkpoint" in out.err, out.err
    lines, expected = out.out.splitlines(), [str(t) for t in reference()]
    assert lines == expected, describe_difference(lines, expected, out.err)


def test_a_host_that_dies_at_every_attempt_fails_the_job_after_the_budget(tmp_path, capfd):
    checkpoints = tmp_path / "ck"
    env = make_env("thread", checkpoints, attempts=2)
    stream = running_sums(env, KillHost(COUNT // 3, CheckpointDone(str(checkpoints))))
    with pytest.raises(EngineHostDiedError) as info:
        with stream.execute_and_collect() as results:
            list(results)
    e = info.value
    assert e.exit_code == -signal.SIGKILL
    assert "the engine host died (killed by signal 9 (SIGKILL))" in str(e), str(e)
    assert "used all 2 restart attempts" in str(e), str(e)
    log = capfd.readouterr().err
    assert "restart 1" in log and "restart 2" in log and "restart 3" not in log, log


@pytest.mark.parametrize("attempts", [1, 2])
def test_engine_restarts_and_host_restarts_share_one_budget(tmp_path, capfd, attempts):
    # An exception at record 300 (the engine restarts inside the host: restart 1), then the host dies.
    checkpoints, raised, killed = tmp_path / "ck", tmp_path / "raised", tmp_path / "killed"
    env = make_env("thread", checkpoints, attempts=attempts)
    stream = running_sums(env, RaiseOnce(300, str(raised)),
                          KillHost(COUNT // 2, Both(FileExists(str(raised)), CheckpointDone(str(checkpoints))),
                                   str(killed)))
    if attempts == 1:
        with pytest.raises(EngineHostDiedError) as info:
            with stream.execute_and_collect() as results:
                list(results)
        assert "used all 1 restart attempts" in str(info.value) and "1 restarts" in str(info.value), str(info.value)
    else:
        with stream.execute_and_collect() as results:
            assert list(results) == reference()
        log = capfd.readouterr().err
        assert "restart 1 (" in log and "restart 2 (" in log and "on a new engine host" in log, log
    assert raised.exists() and killed.exists()


def test_process_mode_host_killed_from_outside_is_restarted_exactly_once(tmp_path):
    checkpoints = tmp_path / "ck"
    env = make_env("process", checkpoints)
    seen, killed = [], []
    quiet = CheckpointDone(str(checkpoints))
    with running_sums(env).execute_and_collect() as results:
        for value in results:
            seen.append(value)
            if not killed:  # results are held until a checkpoint completes: one has, so this is a restore
                wait_for(quiet, 30, "a quiet moment after a completed checkpoint")
                killed = host_pids()
                assert len(killed) == 1, killed
                kill(killed[0])
    assert not wait_gone(killed, 15)
    assert seen == reference()


def test_without_a_checkpoint_a_host_death_before_any_result_restarts_from_the_beginning(tmp_path, capfd):
    marker = tmp_path / "killed-once"
    env = make_env("thread", None)
    with running_sums(env, KillHost(0, lambda: True, str(marker))).execute_and_collect() as results:
        seen = list(results)
    assert marker.exists()
    assert "from the beginning (no completed checkpoint, and no result was delivered yet)" in capfd.readouterr().err
    assert seen == reference()


def test_without_a_checkpoint_a_host_death_after_results_were_delivered_fails_clearly(tmp_path):
    go = tmp_path / "results-seen"
    env = make_env("thread", None)
    stream = running_sums(env, KillHost(0, FileExists(str(go))), rate=500)
    seen = []
    with pytest.raises(EngineHostDiedError) as info:
        with stream.execute_and_collect() as results:
            for value in results:
                seen.append(value)
                go.touch()
    message = str(info.value)
    assert seen and f"after {len(seen)} results reached the driver" in message, message
    assert "Enable checkpointing" in message and "killed by signal 9" in message
