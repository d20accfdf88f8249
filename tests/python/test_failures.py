"""Every failure gives a clear error in the driver, fast, and nothing hangs."""
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from pyflow._protocol.frames import read_frame, write_frame
from pyflow.common import Types
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.errors import EngineHostNotFoundError, PlanError, ProtocolError, PythonFunctionError, WorkerDiedError


def divide_by_zero_at_42(x):
    return 10 // (x - 42)


def test_a_raising_user_function_names_the_operator_and_carries_the_traceback(env):
    stream = env.from_collection(list(range(100)), type_info=Types.INT()).map(divide_by_zero_at_42, output_type=Types.INT()).name("Divider")
    with pytest.raises(PythonFunctionError) as info:
        with stream.execute_and_collect() as results:
            list(results)
    e = info.value
    assert e.python_type == "ZeroDivisionError"
    assert e.operator == "Divider"
    assert "return 10 // (x - 42)" in e.python_traceback  # the original source line
    assert "Divider" in str(e) and "ZeroDivisionError" in str(e)


def test_a_missing_engine_host_says_how_to_build_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PYFLOW_ENGINE_HOST", str(tmp_path / "nope" / "PyFlow.Host.dll"))
    env = StreamExecutionEnvironment.get_execution_environment()
    with pytest.raises(EngineHostNotFoundError) as info:
        env.from_collection([1, 2]).map(lambda x: x).execute_and_collect().close()
    assert "nope" in str(info.value) and "./dev build" in str(info.value)


def test_an_unpicklable_function_is_refused_before_the_job_starts(env):
    lock = threading.Lock()
    with pytest.raises(PlanError) as info:
        env.from_collection([1]).map(lambda x: (lock, x))
    assert "operator 'Map' cannot be pickled" in str(info.value) and "_thread.lock" in str(info.value)


def kill_self_at_500(x):
    if x == 500:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_a_worker_killed_with_sigkill_fails_the_job_within_seconds(process_env):
    stream = process_env.from_collection(list(range(2000)), type_info=Types.INT()).map(kill_self_at_500, output_type=Types.INT())
    start = time.monotonic()
    with pytest.raises(WorkerDiedError) as info:
        with stream.execute_and_collect() as results:
            list(results)
    assert time.monotonic() - start < 15
    e = info.value
    assert e.exit_code == 137
    assert "signal 9" in str(e) and "SIGKILL" in str(e) and "Map" in str(e)


def write_corrupt_frame(x):
    if x == 10:
        from pyflow.worker import main as worker_main
        os.write(worker_main.protocol_out_fd, b"\xff\xff\xff\x7f\x11garbage")
        time.sleep(30)  # the engine must not wait for the rest of this "frame"
    return x


def test_a_corrupt_frame_from_a_worker_fails_the_job_without_hanging(process_env):
    stream = process_env.from_collection(list(range(20)), type_info=Types.INT()).map(write_corrupt_frame, output_type=Types.INT())
    start = time.monotonic()
    with pytest.raises(ProtocolError) as info:
        with stream.execute_and_collect() as results:
            list(results)
    assert time.monotonic() - start < 20
    assert "frame length" in str(info.value)


def test_a_corrupt_frame_to_the_engine_host_is_reported_and_the_host_exits():
    from pyflow._gateway.host_locator import locate_host
    host = subprocess.Popen(["dotnet", str(locate_host())], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        kind, _ = read_frame(host.stdout, "host stdout")
        assert kind == 0x10  # HELLO
        host.stdin.write(b"\x04\x00\x00\x00\x01abc")  # a SUBMIT whose payload is not msgpack
        host.stdin.flush()
        kind, payload = read_frame(host.stdout, "host stdout")
        assert kind == 0x13  # FAILED
        import msgpack
        error = msgpack.unpackb(payload)
        assert error["error"] == "protocol" and "SUBMIT" in error["message"]
        host.stdin.close()
        assert host.wait(timeout=15) == 0
    finally:
        if host.poll() is None:
            host.kill()


def chatty(x):
    print(f"seen {x}")
    return x


def test_print_in_a_user_function_reaches_the_driver_stderr_prefixed_by_task(tmp_path):
    script = tmp_path / "chatty.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})\n"
        "from test_failures import chatty\n"
        "from pyflow.common import Types\n"
        "from pyflow.datastream import StreamExecutionEnvironment\n"
        "env = StreamExecutionEnvironment.get_execution_environment()\n"
        "env.set_parallelism(1)\n"
        "with env.from_collection([7, 8], type_info=Types.INT()).map(chatty, output_type=Types.INT()).execute_and_collect() as r:\n"
        "    print(sorted(r))\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[7, 8]"  # user prints never mix into results or stdout frames
    assert "[Map (1/1)] seen 7" in out.stderr and "[Map (1/1)] seen 8" in out.stderr


def test_print_in_thread_mode_goes_to_stderr_not_into_the_results(tmp_path):
    script = tmp_path / "chatty_thread.py"
    script.write_text(
        "import sys, os\n"
        f"sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})\n"
        "from test_failures import chatty\n"
        "from pyflow.common import Configuration, Types\n"
        "from pyflow.datastream import StreamExecutionEnvironment\n"
        "config = Configuration(); config.set_string('python.execution-mode', 'thread')\n"
        "env = StreamExecutionEnvironment.get_execution_environment(config)\n"
        "env.set_parallelism(1)\n"
        "def loud(x):\n"
        "    os.write(1, b'native write to fd 1\\n')\n"
        "    return chatty(x)\n"
        "with env.from_collection([7, 8], type_info=Types.INT()).map(loud, output_type=Types.INT()).execute_and_collect() as r:\n"
        "    print(sorted(r))\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[7, 8]"
    assert "seen 7" in out.stderr and "native write to fd 1" in out.stderr
