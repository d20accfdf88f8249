"""An engine host killed at any moment leaves nothing behind: no host, no worker (not even a stopped one or one
stuck in a user function), within a bounded time. Workers are found by a marker in their environment, since
once the host is dead they are no longer our descendants."""
import os
import signal
import time
import uuid

import pytest

from pyflow.common import Types
from conftest import make_env
from proc_helpers import alive, wait_for, wait_gone

MARKER = "PYFLOW_HOST_DEATH_TEST"


def _marked(marker: str) -> set:
    """Living processes (hosts and workers) whose environment carries ``marker``."""
    needle = f"{MARKER}={marker}".encode()
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle in f.read().split(b"\0") and alive(int(entry)):
                    found.add(int(entry))
        except OSError:
            pass  # gone meanwhile, or not ours
    return found


def _is_worker(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"pyflow.worker" in f.read()
    except OSError:
        return False


def slow(directory):
    """A map that notes its worker's pid in ``directory`` (so the test knows the worker runs it), then is slow."""
    def fn(x):
        open(os.path.join(directory, str(os.getpid())), "w").close()
        time.sleep(0.002)
        return x
    return fn


def hang(directory):
    """The same, but the function never returns: the worker reads no stdin meanwhile."""
    def fn(x):
        open(os.path.join(directory, str(os.getpid())), "w").close()
        time.sleep(3600)
        return x
    return fn


PARALLELISM = 2


@pytest.fixture
def marked_env(monkeypatch):
    marker = uuid.uuid4().hex
    monkeypatch.setenv(MARKER, marker)  # inherited by the host, and by the workers it starts
    return make_env(PARALLELISM, "process"), marker


def _start(env, make_fn, directory, name):
    env.from_collection(list(range(20_000)), type_info=Types.INT()).rebalance() \
        .map(make_fn(str(directory)), output_type=Types.INT()).filter(lambda x: x < 0).print()
    return env.execute_async(name)


def _running_workers(directory) -> set:
    """The pids of the workers inside the user function, once every subtask's is (bounded)."""
    return wait_for(lambda: (lambda pids: pids if len(pids) == PARALLELISM else None)(
        {int(name) for name in os.listdir(directory)}), 60, "every worker to run the function")


def _host_of(client) -> int:
    return client._run.host_pid


def _finish(client, marker):
    """The driver notices the dead host (bounded), and nothing of the job is left."""
    client.wait(timeout=30)  # JobTimeoutError if the driver did not notice its engine host died
    left = wait_gone(_marked(marker) | {_host_of(client)}, seconds=15)
    assert left == set(), f"left behind: {[(p, _is_worker(p)) for p in left]}"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("delay", [0.0, 0.15, 0.4])
def test_host_killed_while_starting(marked_env, tmp_path, sig, delay):
    env, marker = marked_env
    client = _start(env, slow, tmp_path, "starting")
    time.sleep(delay)
    os.kill(_host_of(client), sig)
    _finish(client, marker)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("fn", [slow, hang], ids=["running", "hung"])
def test_host_killed_mid_run(marked_env, tmp_path, sig, fn):
    env, marker = marked_env
    client = _start(env, fn, tmp_path, "mid-run")
    workers = _running_workers(tmp_path)
    assert workers <= _marked(marker)
    os.kill(_host_of(client), sig)
    _finish(client, marker)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_host_killed_while_cancelling(marked_env, tmp_path, sig):
    env, marker = marked_env
    client = _start(env, hang, tmp_path, "cancelling")
    _running_workers(tmp_path)
    client._run.request_cancel()  # CANCEL is on its way (cancel() itself would also wait for the end)
    os.kill(_host_of(client), sig)
    _finish(client, marker)


def test_a_stopped_worker_dies_with_its_host(marked_env, tmp_path):
    """The case of .NET's tree kill: a worker stopped (SIGSTOP), then its host killed."""
    env, marker = marked_env
    client = _start(env, slow, tmp_path, "stopped")
    workers = _running_workers(tmp_path)
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)
    os.kill(_host_of(client), signal.SIGKILL)
    _finish(client, marker)
