"""A worker gets nothing from the host but its own pipes, and imports only from the driver's sys.path."""
import os
import struct
import subprocess
import sys
import textwrap

import msgpack
import pytest

from conftest import make_env
from pyflow.common import Types
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.datastream.plan import python_environment

FORGED_FINISHED = msgpack.packb({"duration_ms": 1})


def foreign_descriptors(x):
    """The worker's descriptors other than its own stdin/stdout/stderr (and copies of them, such as the one the
    worker keeps for its frames); a forged FINISHED frame is written to each, as a hostile function would."""
    from pyflow.worker import main as worker_main
    own = {os.readlink(f"/proc/self/fd/{fd}") for fd in (0, 1, 2, worker_main.protocol_out_fd)}
    found = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except FileNotFoundError:
            continue  # the descriptor listdir itself used, closed by now
        if fd <= 2 or target in own:
            continue
        found.append(f"{fd} -> {target}")
        if target.startswith("pipe:"):
            try:
                os.write(fd, struct.pack("<IB", len(FORGED_FINISHED) + 1, 0x12) + FORGED_FINISHED)
            except OSError:
                pass
    return f"{x}: {sorted(found)}"


def test_a_worker_sees_only_its_own_pipes_and_cannot_forge_the_end_of_the_job(process_env):
    stream = process_env.from_collection(list(range(5)), type_info=Types.INT()).map(foreign_descriptors, output_type=Types.STRING())
    with stream.execute_and_collect() as results:
        got = sorted(results)
    assert got == [f"{i}: []" for i in range(5)]


def test_the_driver_starts_the_engine_host_without_its_own_descriptors(tmp_path):
    # A descriptor of the driver that is inheritable (as os.pipe() after os.set_inheritable) must still not
    # reach the host: subprocess closes every descriptor but the host's pipes (close_fds).
    leak_r, leak_w = os.pipe()
    os.set_inheritable(leak_w, True)
    try:
        env = StreamExecutionEnvironment.get_execution_environment()
        stream = env.from_collection([1], type_info=Types.INT()).map(lambda x: x, output_type=Types.INT())
        with stream.execute_and_collect() as results:
            host = results._session.run.host_pid  # the host of this job, while it runs
            fds = os.listdir(f"/proc/{host}/fd")
            targets = {os.readlink(f"/proc/{host}/fd/{fd}") for fd in fds if os.path.exists(f"/proc/{host}/fd/{fd}")}
            assert list(results) == [1]
        assert os.readlink(f"/proc/self/fd/{leak_w}") not in targets
    finally:
        os.close(leak_r)
        os.close(leak_w)


def imported_modules(x):
    return f"{x}: msgpack from {os.path.dirname(msgpack_origin())}"


def msgpack_origin():
    import msgpack as m
    return m.__file__


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_workers_never_import_from_the_working_directory(mode, tmp_path, monkeypatch):
    # A module planted in the directory the driver runs in, shadowing one every worker imports: only the
    # driver's sys.path (sent in the plan) is searched, never the working directory implicitly.
    marker = tmp_path / "planted-module-ran"
    planted = tmp_path / "cwd"
    planted.mkdir()
    (planted / "msgpack.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.chdir(planted)
    assert str(planted) not in [os.path.abspath(p or ".") for p in sys.path]  # the driver itself would not import it
    env = make_env(1, mode)
    stream = env.from_collection([1, 2], type_info=Types.INT()).map(imported_modules, output_type=Types.STRING())
    with stream.execute_and_collect() as results:
        got = sorted(results)
    real = os.path.dirname(msgpack.__file__)
    assert got == [f"1: msgpack from {real}", f"2: msgpack from {real}"]
    assert not marker.exists()


def import_path(x):
    return [p for p in sys.path if os.path.exists(p)]


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_workers_search_only_directories_the_driver_searches(mode):
    env = make_env(1, mode)
    stream = env.from_collection([1], type_info=Types.INT()).map(import_path, output_type=Types.PICKLED_BYTE_ARRAY())
    with stream.execute_and_collect() as results:
        (worker_path,) = list(results)
    driver_path = python_environment()["path"]
    assert [p for p in worker_path if p not in driver_path] == []
    assert worker_path[:2] == driver_path[:2]  # the driver's own directories (script, PYTHONPATH) come first
