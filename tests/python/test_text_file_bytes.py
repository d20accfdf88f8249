"""read_text_file refuses bytes it would otherwise change or hoard: invalid UTF-8 (unless
``pyflow.source.invalid-utf8: replace``) and lines longer than ``pyflow.source.max-line-length`` (64 mb by
default), each naming the file and line; the host's memory stays bounded by the limit, not the file."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import make_env
from pyflow.common import Configuration, Types
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.errors import EngineError, PlanError


def _env(**options):
    config = Configuration()
    for key, value in options.items():
        config.set_string(key, value)
    e = StreamExecutionEnvironment.get_execution_environment(config)
    e.set_parallelism(1)
    return e


def _invalid_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": "\xff"}\n{"a": 3}\n')  # 0xFF at byte offset 16, line 2
    return str(path)


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_invalid_utf8_fails_naming_file_line_and_byte_offset(tmp_path, mode):
    path = _invalid_file(tmp_path)
    stream = make_env(1, mode).read_text_file(path).map(json.loads, output_type=Types.PICKLED_BYTE_ARRAY())
    with pytest.raises(EngineError) as info:
        list(stream.execute_and_collect())
    assert f"'{path}' is not valid UTF-8 at byte offset 16 (line 2, byte 8 of the line: 0xFF)" in str(info.value)
    assert "pyflow.source.invalid-utf8" in str(info.value)


def test_replace_reads_invalid_bytes_as_the_replacement_character(tmp_path):
    env = _env(**{"pyflow.source.invalid-utf8": "replace"})
    with env.read_text_file(_invalid_file(tmp_path)).execute_and_collect() as results:
        assert list(results) == ['{"a": 1}', '{"a": "\ufffd"}', '{"a": 3}']


def test_a_line_over_the_configured_limit_fails_naming_file_and_line(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("short\n" + "x" * 1024 + "\n" + "y" * 1025 + "\nafter\n", encoding="utf-8")
    with pytest.raises(EngineError) as info:
        list(_env(**{"pyflow.source.max-line-length": "1 kb"}).read_text_file(str(path)).execute_and_collect())
    assert f"line 3 of '{path}' (starting at byte 1031) is longer than the limit of 1024 bytes" in str(info.value)
    assert "pyflow.source.max-line-length" in str(info.value)


@pytest.mark.parametrize("key, value, expected", [
    ("pyflow.source.invalid-utf8", "ignore", "must be 'fail' or 'replace', not 'ignore'"),
    ("pyflow.source.max-line-length", "0", "'0' is out of range: it must be between 1 byte and 1073741824 bytes"),
    ("pyflow.source.max-line-length", "2 gb", "'2 gb' is out of range"),
    ("pyflow.source.max-line-length", "lots", "must be a size such as '64 mb'"),
    ("pyflow.source.max-line-lenght", "1 mb", "unknown option 'pyflow.source.max-line-lenght'"),
])
def test_bad_source_options_are_refused_at_plan_time(tmp_path, key, value, expected):
    (tmp_path / "a.txt").write_text("a\n", encoding="utf-8")
    with pytest.raises(PlanError, match="") as info:
        _env(**{key: value}).read_text_file(str(tmp_path / "a.txt")).execute_and_collect()
    assert expected in str(info.value)


# Runs in its own process so that RUSAGE_CHILDREN's peak is the engine host of this one job.
_MEASURE = textwrap.dedent("""
    import json, resource, sys
    from pyflow.datastream import StreamExecutionEnvironment
    env = StreamExecutionEnvironment.get_execution_environment()
    try:
        list(env.read_text_file(sys.argv[1]).execute_and_collect())
        error = None
    except Exception as e:
        error = f"{type(e).__name__}: {e}"
    print(json.dumps({"error": error, "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
""")


def test_a_gigabyte_line_fails_at_the_default_limit_with_the_host_memory_bounded(tmp_path):
    path = tmp_path / "no-newline.bin"
    with open(path, "wb") as f:
        f.truncate(1 << 30)  # sparse: 1 GiB of zero bytes (valid UTF-8, no line end), no disk used
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["error"] is not None and report["error"].startswith("EngineError"), report
    assert f"line 1 of '{path}' (starting at byte 0) is longer than the limit of {64 << 20} bytes" in report["error"]
    # The host's peak resident memory: its runtime (~100 MB) plus at most the 64 MiB line being read,
    # far below the 1 GiB it would hold (and twice that as a string) without the limit.
    peak_mib = report["peak_kib"] / 1024
    assert 20 < peak_mib < 400, f"host peak RSS {peak_mib:.0f} MiB"
