"""Default options from $PYFLOW_CONF_DIR/config.yaml (pyflow.common.config_file), as Flink's conf/config.yaml."""
import os
import subprocess
import sys

import pytest

from pyflow.common import Configuration
from pyflow.common.config_file import load_default_options, parse_options
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.errors import PlanError


def test_no_variable_means_no_defaults():
    assert load_default_options({}) == {}
    assert load_default_options({"PYFLOW_CONF_DIR": ""}) == {}


def test_flat_options_comments_and_quotes(tmp_path):
    (tmp_path / "config.yaml").write_text(
        "# defaults for every script\n\npython.execution-mode: thread   # embedded\n"
        "pipeline.name: \"a # b\"\nparallelism.default: '3'\n")
    assert load_default_options({"PYFLOW_CONF_DIR": str(tmp_path)}) == {
        "python.execution-mode": "thread", "pipeline.name": "a # b", "parallelism.default": "3"}


def test_a_directory_without_the_file_is_a_clear_error(tmp_path):
    with pytest.raises(PlanError, match="PYFLOW_CONF_DIR is .* but its config.yaml cannot be read"):
        load_default_options({"PYFLOW_CONF_DIR": str(tmp_path)})


@pytest.mark.parametrize("text, line", [("python:\n  execution-mode: thread\n", 1), ("a: 1\njust words\n", 2)])
def test_nested_or_malformed_lines_are_refused_with_their_line(text, line):
    with pytest.raises(PlanError, match=f"config.yaml, line {line}: .*nested YAML is not supported"):
        parse_options(text, "config.yaml")


def test_options_in_code_win_over_the_file(tmp_path, monkeypatch):
    (tmp_path / "config.yaml").write_text("python.execution-mode: thread\nparallelism.default: 3\n")
    monkeypatch.setenv("PYFLOW_CONF_DIR", str(tmp_path))
    env = StreamExecutionEnvironment.get_execution_environment(
        Configuration().set_string("python.execution-mode", "process"))
    assert env._config.to_dict() == {"python.execution-mode": "process", "parallelism.default": "3"}
    assert env.get_parallelism() == 3


@pytest.mark.parametrize("mode, runs_in", [("thread", "dotnet"), ("process", "python")])
def test_a_script_runs_in_the_mode_its_config_file_names(tmp_path, mode, runs_in):
    # Thread mode runs the function inside the engine host (a dotnet process), process mode in a Python worker.
    (tmp_path / "config.yaml").write_text(f"python.execution-mode: {mode}\n")
    script = ("import os\nfrom pyflow.datastream import StreamExecutionEnvironment\n"
              "env = StreamExecutionEnvironment.get_execution_environment()\nenv.set_parallelism(1)\n"
              "ds = env.from_collection([1]).map(lambda x: os.path.basename(os.readlink('/proc/self/exe')))\n"
              "print(list(ds.execute_and_collect()))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYFLOW_CONF_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith(f"['{runs_in}")
