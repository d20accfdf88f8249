"""Checkpoints and recovery of Python jobs, with real kills: worker processes and the engine host get SIGKILL,
user code raises, and the committed output must still equal, byte for byte after sorting, a failure-free run
of the same job and a plain-Python reference."""
import time

import pytest

from checkpoint_jobs import (FailOnce, add_window_job, arrivals_per_key, committed_lines, completed_checkpoints,
                             host_pids, kill, reference_lines, wait_for_checkpoint_after, window_env, worker_pids)
from proc_helpers import wait_for

from pyflow.common import JobStatus, Types
from pyflow.errors import JobExecutionError

COUNT = 6000


def failure_free(tmp_path, mode: str, parallelism: int, count: int = COUNT) -> list:
    """The window job's committed lines with checkpoints on and nothing failing."""
    out = tmp_path / "failure-free"
    env = window_env(mode, parallelism, tmp_path / "ck-failure-free")
    add_window_job(env, out, count, rate=0)
    env.execute("failure-free")
    lines = committed_lines(out)
    assert lines == reference_lines(count)
    return lines


@pytest.mark.parametrize("backend", ["hashmap", "rocksdb"])
def test_window_job_survives_workers_killed_several_times(tmp_path, capfd, backend):
    # 6 s of input at each source subtask, so three kill-and-recover rounds land while it runs, even on a busy machine.
    count = 2 * COUNT
    expected = failure_free(tmp_path, "process", 2, count)
    out, checkpoints = tmp_path / "out", tmp_path / "ck"
    env = window_env("process", 2, checkpoints, backend)
    add_window_job(env, out, count, rate=1000)
    client = env.execute_async("killed workers")
    last, kills, seen = 0, 0, set()
    while kills < 3:
        last = wait_for_checkpoint_after(checkpoints, last)
        # Only a worker of the running attempt: those of the attempt before may still be on their way out.
        workers = wait_for(lambda: [p for p in worker_pids() if p not in seen], 10, "the job's new Python workers")
        assert client.get_job_status() == JobStatus.RUNNING, f"the job ended before kill {kills + 1}: nothing to recover"
        seen.update(worker_pids())
        kill(workers[kills % len(workers)])
        kills += 1
    assert client.wait(60) == JobStatus.FINISHED
    log = capfd.readouterr().err
    assert "restart 3" in log and "killed by signal 9" in log, log  # every kill was a failure the job recovered from
    assert committed_lines(out) == expected


def test_thread_mode_exception_on_first_attempt_only_recovers(tmp_path):
    expected = failure_free(tmp_path, "thread", 2)
    out, checkpoints, marker = tmp_path / "out", tmp_path / "ck", tmp_path / "failed-once"
    env = window_env("thread", 2, checkpoints)
    add_window_job(env, out, COUNT, rate=2000, fail=FailOnce(at=COUNT // 2 + 17, marker=str(marker)))
    env.execute("exception once")
    assert marker.exists(), "the injected failure never ran: the test would prove nothing"
    assert committed_lines(out) == expected


@pytest.mark.parametrize("backend", ["hashmap", "rocksdb"])
def test_engine_host_killed_then_resumed_from_the_checkpoint_directory(tmp_path, backend):
    expected = failure_free(tmp_path, "process", 2)
    out, checkpoints = tmp_path / "out", tmp_path / "ck"
    env = window_env("process", 2, checkpoints, backend, restarts=False)  # resumed by hand, not by the driver
    add_window_job(env, out, COUNT, rate=1000)
    client = env.execute_async("host killed")
    wait_for_checkpoint_after(checkpoints, 2)
    for pid in host_pids():
        kill(pid)
    with pytest.raises(JobExecutionError):
        client.get_job_execution_result().result()
    partial = committed_lines(out)
    assert len(partial) < len(expected), "the job ended before the kill: nothing left to resume"

    resumed = window_env("process", 2, checkpoints, backend, restore=checkpoints)
    add_window_job(resumed, out, COUNT, rate=0)
    resumed.execute("resumed")
    assert committed_lines(out) == expected


def test_engine_host_killed_is_restarted_by_the_driver_with_the_files_exactly_once(tmp_path, capfd):
    expected = failure_free(tmp_path, "process", 2)
    out, checkpoints = tmp_path / "out", tmp_path / "ck"
    env = window_env("process", 2, checkpoints)
    add_window_job(env, out, COUNT, rate=1000)
    client = env.execute_async("host killed, restarted")
    wait_for_checkpoint_after(checkpoints, 2)
    killed = host_pids()
    assert len(killed) == 1 and client.get_job_status() == JobStatus.RUNNING, "the job ended before the kill"
    kill(killed[0])
    assert client.wait(60) == JobStatus.FINISHED
    log = capfd.readouterr().err
    assert "the engine host died (killed by signal 9 (SIGKILL))" in log and "on a new engine host" in log, log
    assert committed_lines(out) == expected


def test_a_corrupt_newest_checkpoint_is_refused_and_the_one_before_is_used(tmp_path, capfd):
    expected = failure_free(tmp_path, "process", 1)
    out, checkpoints = tmp_path / "out", tmp_path / "ck"
    env = window_env("process", 1, checkpoints, restarts=False)  # resumed by hand, not by the driver
    env.get_checkpoint_config().set_num_retained_checkpoints(3)
    add_window_job(env, out, COUNT, rate=1500)
    client = env.execute_async("to be corrupted")
    wait_for_checkpoint_after(checkpoints, 3)
    for pid in host_pids():
        kill(pid)
    with pytest.raises(JobExecutionError):
        client.get_job_execution_result().result()
    ids = completed_checkpoints(checkpoints)
    assert len(ids) >= 2
    newest = checkpoints / f"chk-{ids[-1]}"
    state = sorted(p for p in newest.iterdir() if p.suffix == ".state")[0]
    state.write_bytes(state.read_bytes()[:-7])  # a partial write

    # Named directly, the damaged checkpoint is refused with the file that is wrong.
    direct = window_env("process", 1, checkpoints, restore=newest)
    add_window_job(direct, out, COUNT, rate=0)
    with pytest.raises(JobExecutionError) as info:
        direct.execute("restore the corrupt one")
    assert state.name in str(info.value) and f"chk-{ids[-1]}" in str(info.value)

    # Given the directory, the job logs the refusal and resumes from the one before.
    capfd.readouterr()
    resumed = window_env("process", 1, checkpoints, restore=checkpoints)
    add_window_job(resumed, out, COUNT, rate=0)
    resumed.execute("resumed")
    log = capfd.readouterr().err
    assert f"chk-{ids[-1]}" in log and f"chk-{ids[-2]}" in log, log
    assert committed_lines(out) == expected


def kill_worker_once_at(i):
    return (i % 7, i)


def test_execute_and_collect_is_exactly_once_across_a_worker_kill(tmp_path):
    from pyflow.datastream.connectors import DataGeneratorSource
    from pyflow.common import WatermarkStrategy
    count, checkpoints = 4000, tmp_path / "ck"
    env = window_env("process", 2, checkpoints)
    source = DataGeneratorSource(kill_worker_once_at, count=count, records_per_second=1000,
                                 output_type=Types.TUPLE([Types.INT(), Types.LONG()]))
    sums = (env.from_source(source, WatermarkStrategy.no_watermarks(), "numbers")
            .key_by(lambda t: t[0]).reduce(lambda a, b: (a[0], a[1] + b[1])))
    seen = []
    with sums.execute_and_collect() as results:
        for value in results:
            seen.append(value)
            if len(seen) == 1:
                wait_for_checkpoint_after(checkpoints, 1)
                kill(wait_for(worker_pids, 10, "the job's Python workers")[-1])
    # Two source subtasks interleave a key's records in any order, so the running sums themselves vary from
    # run to run; what cannot vary is that every record is in exactly one of them, once.
    reference = {}
    for i in range(count):
        reference.setdefault(i % 7, []).append(i)
    assert len(seen) == count
    assert arrivals_per_key(seen) == {k: sorted(v) for k, v in reference.items()}


def stall_once_at_1000(i):
    if i == 1000:
        time.sleep(1.2)  # longer than the checkpoint timeout: the checkpoint in flight cannot pass this task
    return (i % 3, i)


def test_a_checkpoint_that_times_out_is_abandoned_and_the_next_one_completes(tmp_path, capfd):
    import re
    from pyflow.datastream.connectors import DataGeneratorSource
    from pyflow.common import WatermarkStrategy
    count, checkpoints = 3000, tmp_path / "ck"
    env = window_env("process", 1, checkpoints, interval_ms=100)
    env.get_checkpoint_config().set_checkpoint_timeout(300)
    source = DataGeneratorSource(stall_once_at_1000, count=count, records_per_second=2000,
                                 output_type=Types.TUPLE([Types.INT(), Types.LONG()]))
    sums = (env.from_source(source, WatermarkStrategy.no_watermarks(), "numbers")
            .key_by(lambda t: t[0]).reduce(lambda a, b: (a[0], a[1] + b[1])))
    with sums.execute_and_collect() as results:
        seen = list(results)
    log = capfd.readouterr().err
    abandoned = [int(n) for n in re.findall(r"checkpoint (\d+) abandoned", log)]
    assert abandoned, log
    assert max(completed_checkpoints(checkpoints)) > max(abandoned)
    assert not any(p.name.startswith(".chk-") for p in checkpoints.iterdir()), "an abandoned checkpoint left files"
    reference = {}
    for i in range(count):
        reference.setdefault(i % 3, []).append(i)
    assert arrivals_per_key(seen) == reference
