"""Frames over the limit (pyflow.frame.max-size) say what was too large, where, and which option raises the limit;
a reader tells a too-large frame from a corrupt stream."""
import io
import struct

import pytest

from conftest import make_env
from pyflow._protocol import frames
from pyflow.common import Types
from pyflow.errors import EngineError, PlanError, PythonFunctionError

BIG = 1_500_000


def big_at_5(x):
    return "x" * BIG if x == 5 else str(x)


def _env(mode, limit="1 mb", **options):
    env = make_env(1, mode)
    env._config.set_string("pyflow.frame.max-size", limit)
    for key, value in options.items():
        env._config.set_string(key, value)
    return env


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_a_result_too_large_names_the_operator_the_record_and_the_option(mode):
    env = _env(mode)
    stream = env.from_collection(list(range(10)), type_info=Types.INT()).map(big_at_5, Types.STRING()).name("Blow up")
    with pytest.raises(PythonFunctionError) as info:
        list(stream.execute_and_collect())
    e = info.value
    assert e.operator == "Blow up" and e.python_type == "FrameTooLargeError"
    assert "the results of operator 'Blow up" in e.python_message
    assert f"over the frame limit of {1 << 20} bytes" in e.python_message
    assert f"its largest record, number 5 of 10 in the batch, is about {BIG} bytes: 'xxx" in e.python_message
    assert "pyflow.frame.max-size" in e.python_message and "corrupt" not in e.python_message


def test_a_batch_too_large_for_the_worker_names_the_operator_and_the_option(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("\n".join("y" * 600_000 for _ in range(3)) + "\n")
    env = _env("process")
    env.read_text_file(str(path)).map(len, Types.INT()).name("Measure").print()
    with pytest.raises(EngineError) as info:
        env.execute("too large for the worker")
    text = str(info.value)
    assert "operator 'Measure': one batch of 3 records for its Python worker (its largest, number 0, is about 600000 " \
           "bytes: 'yyy" in text
    assert f"over the frame limit of {1 << 20} bytes" in text and "pyflow.frame.max-size" in text
    assert "python.fn-execution.arrow.batch.size" in text and "corrupt" not in text


def test_a_plan_too_large_is_refused_before_the_host_starts():
    env = _env("process")
    env.from_collection(["z" * 700_000, "z" * 700_000], type_info=Types.STRING()).print()
    with pytest.raises(PlanError, match=r"the plan of job 'huge plan' \(its functions and from_collection data\) is "
                                        r"\d+ bytes, over the frame limit of 1048576 bytes; raise the option "
                                        r"pyflow.frame.max-size"):
        env.execute("huge plan")


def test_a_bad_limit_is_refused_at_plan_time():
    env = _env("process", limit="lots")
    env.from_collection([1]).print()
    with pytest.raises(PlanError, match="'pyflow.frame.max-size' must be a size from 1 mb to 1 gb"):
        env.execute("bad")


def _header(length, kind):
    return io.BytesIO(struct.pack("<IB", length, kind))


def test_the_reader_tells_too_large_from_corrupt():
    with pytest.raises(frames.FrameTooLargeError, match="a frame of kind 0x11 is 2097152 bytes, over this reader's "
                                                        r"limit of 1048576 bytes \(pyflow.frame.max-size\)"):
        frames.read_frame(_header(2 << 20, 0x11), "pipe", 1 << 20, {0x11})
    for length, kind in ((0xFFFFFFF0, 0x11), (2 << 20, 0x7F)):
        with pytest.raises(frames.ProtocolError, match="the stream is corrupt") as info:
            frames.read_frame(_header(length, kind), "pipe", 1 << 20, {0x11})
        assert not isinstance(info.value, frames.FrameTooLargeError)
