"""One job at a time per checkpoint directory: a second one is refused, naming the directory and the holder;
the lock goes with the job (at its end, or when its engine host is killed)."""
import pytest

from checkpoint_jobs import (add_window_job, completed_checkpoints, host_pids, kill, reference_lines,
                             committed_lines, wait_for_checkpoint_after, window_env)
from proc_helpers import wait_gone

from pyflow.errors import JobExecutionError

COUNT = 1000


def test_a_second_job_in_a_checkpoint_directory_in_use_is_refused_until_the_first_is_gone(tmp_path):
    checkpoints = tmp_path / "ck"
    # No restarts: the driver would otherwise start a new host for the killed one, and the job would hold on.
    first = window_env("process", 1, checkpoints, restarts=False)
    add_window_job(first, tmp_path / "out-first", 1_000_000, rate=500)  # runs until killed
    client = first.execute_async("first job")
    try:
        wait_for_checkpoint_after(checkpoints, 0)
        (holder,) = host_pids()

        second = window_env("process", 1, checkpoints)
        add_window_job(second, tmp_path / "out-second", COUNT, rate=0)
        with pytest.raises(JobExecutionError) as info:
            second.execute("second job")
        message = str(info.value)
        assert f"the checkpoint directory '{checkpoints}' is in use by another job" in message
        assert f"job 'first job', pid {holder}" in message
        assert completed_checkpoints(checkpoints), "the first job's checkpoints are untouched"
    finally:
        for pid in host_pids():
            kill(pid)  # a killed host holds no lock: the OS dropped it with the process
    assert wait_gone(host_pids()) == set()
    with pytest.raises(JobExecutionError):
        client.get_job_execution_result().result(timeout=60)

    third = window_env("process", 1, checkpoints)
    out = tmp_path / "out-third"
    add_window_job(third, out, COUNT, rate=0)
    third.execute("third job")
    assert committed_lines(out) == reference_lines(COUNT)
