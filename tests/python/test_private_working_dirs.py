"""A job's working directories (checkpoints without a directory given, RocksDB's databases) are its own:
mode 0700, made for the job, and gone when it ends, however it ends."""
import os
import stat

import pytest

from checkpoint_jobs import (add_window_job, committed_lines, kill, reference_lines, wait_for_checkpoint_after,
                             worker_pids)
from proc_helpers import wait_for
from test_checkpoint_recovery import kill_worker_once_at

from pyflow.common import Configuration, RestartStrategies, Types, WatermarkStrategy
from pyflow.datastream import EmbeddedRocksDBStateBackend, StreamExecutionEnvironment
from pyflow.datastream.connectors import DataGeneratorSource
from pyflow.errors import PythonFunctionError


@pytest.fixture
def host_tmp(tmp_path, monkeypatch):
    """The engine host's temporary directory (TMPDIR, which it inherits from the driver)."""
    tmp = tmp_path / "host-tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def numbers(env, count: int, rate: float):
    source = DataGeneratorSource(kill_worker_once_at, count=count, records_per_second=rate,
                                 output_type=Types.TUPLE([Types.INT(), Types.LONG()]))
    return env.from_source(source, WatermarkStrategy.no_watermarks(), "numbers")


def test_checkpoints_without_a_directory_recover_from_a_worker_kill_in_a_private_temporary_one(tmp_path, host_tmp, capfd):
    count, out = 4000, tmp_path / "out"
    env = StreamExecutionEnvironment.get_execution_environment(Configuration().set_string("python.execution-mode", "process"))
    env.set_parallelism(2)
    env.enable_checkpointing(100)  # no directory: Flink would keep them in memory
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, 100))
    add_window_job(env, out, count, rate=1000)
    client = env.execute_async("no checkpoint directory")
    (checkpoints,) = wait_for(lambda: list(host_tmp.glob("pyflow-checkpoints-*")), 20, "the job's checkpoint directory")
    assert mode(checkpoints) == 0o700
    wait_for_checkpoint_after(checkpoints, 1)
    kill(wait_for(worker_pids, 10, "the job's Python workers")[-1])
    client.get_job_execution_result().result(timeout=120)
    assert f"restart 1 (fixed delay (3 attempts, 100 ms)) from checkpoint '{checkpoints}/chk-" in capfd.readouterr().err
    # The file sink commits only what a completed checkpoint covers, so the output is exactly a failure-free run's.
    assert committed_lines(out) == reference_lines(count)
    assert list(host_tmp.iterdir()) == []  # the checkpoints went with the job


def fail_at_1500(t):
    if t[1] == 1500:
        raise RuntimeError("injected failure at 1500")
    return t


def rocksdb_env(local=None):
    env = StreamExecutionEnvironment.get_execution_environment(Configuration().set_string("python.execution-mode", "process"))
    env.set_parallelism(1)
    backend = EmbeddedRocksDBStateBackend()
    if local is not None:
        backend.set_db_storage_paths(str(local))
    env.set_state_backend(backend)
    return env


def private_tree(job_dir) -> dict:
    """Mode of the job directory and of every directory in it."""
    dirs = [job_dir] + [p for p in job_dir.rglob("*") if p.is_dir()]
    return {str(p): oct(mode(p)) for p in dirs}


def test_rocksdb_works_in_a_private_temporary_directory_per_job_removed_at_its_end(host_tmp):
    sums = numbers(rocksdb_env(), 2000, 1000).key_by(lambda t: t[0]).reduce(lambda a, b: (a[0], a[1] + b[1]))
    seen = []
    with sums.execute_and_collect() as results:
        for value in results:
            seen.append(value)
            if len(seen) == 1:
                (job_dir,) = list(host_tmp.glob("pyflow-rocksdb-*"))
                tree = private_tree(job_dir)
                assert len(tree) > 1, "the subtask's database is inside the job's directory"
                assert set(tree.values()) == {"0o700"}, tree
    assert len(seen) == 2000
    assert list(host_tmp.iterdir()) == []


def test_rocksdb_local_dir_gets_private_parents_and_a_job_directory_removed_when_the_job_fails(tmp_path, host_tmp):
    local = tmp_path / "made" / "by-pyflow"
    env = rocksdb_env(local)
    sums = numbers(env, 3000, 2000).map(fail_at_1500, output_type=Types.TUPLE([Types.INT(), Types.LONG()])) \
        .key_by(lambda t: t[0]).reduce(lambda a, b: (a[0], a[1] + b[1]))
    with pytest.raises(PythonFunctionError):
        with sums.execute_and_collect() as results:
            for i, _ in enumerate(results):
                if i == 0:
                    (job_dir,) = list(local.glob("job_*"))
                    assert set(private_tree(job_dir).values()) == {"0o700"}
    assert mode(local) == 0o700 and mode(local.parent) == 0o700
    assert list(local.iterdir()) == []  # the failed job's directory is gone
    assert list(host_tmp.iterdir()) == []
