"""A Python function that fails on a record read by read_text_file names the file and line of that record
(``err.source_file``, ``err.source_line`` and the message), in both execution modes, when the file source
feeds the function's chain directly; after a repartition the error says nothing of a file."""
import json

import pytest

from conftest import make_env
from pyflow.common import Types
from pyflow.errors import PythonFunctionError


def _write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def _fail(stream):
    with pytest.raises(PythonFunctionError) as info:
        list(stream.execute_and_collect())
    return info.value


def _records(n, bad_line):
    """n JSON lines, a blank line every 1000th, and the malformed one at ``bad_line`` (1-based)."""
    return ["" if i % 1000 == 0 else ("{oops" if i == bad_line else json.dumps({"n": i})) for i in range(1, n + 1)]


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_a_bad_json_line_is_named_by_file_and_line_across_batches_and_after_a_filter(tmp_path, mode):
    # 25,000 lines are three Arrow batches (10,000 each), two of them at the worker at once.
    path = _write(tmp_path / "events.jsonl", _records(25_000, 20_017))
    stream = (make_env(1, mode).read_text_file(path)
              .filter(lambda line: line != "")  # drops rows, so row and line differ inside the worker
              .map(json.loads, output_type=Types.PICKLED_BYTE_ARRAY()).name("Parse"))
    error = _fail(stream)
    assert (error.source_file, error.source_line) == (path, 20_017)
    assert (error.operator, error.python_type) == ("Parse", "JSONDecodeError")
    assert f"while processing the record from line 20017 of file '{path}'" in str(error)


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_each_subtask_names_the_file_it_read(tmp_path, mode):
    _write(tmp_path / "a.jsonl", _records(300, bad_line=-1))
    bad = _write(tmp_path / "b.jsonl", _records(300, bad_line=17))
    stream = make_env(2, mode).read_text_file(str(tmp_path)).flat_map(lambda line: [json.loads(line)["n"]],
                                                                       output_type=Types.LONG())
    error = _fail(stream)
    assert (error.source_file, error.source_line) == (bad, 17)


def test_after_a_repartition_the_error_names_no_file(tmp_path):
    path = _write(tmp_path / "events.jsonl", _records(50, bad_line=9))
    stream = make_env(1, "process").read_text_file(path).rebalance().map(json.loads)
    error = _fail(stream)
    assert error.python_type == "JSONDecodeError"
    assert (error.source_file, error.source_line) == (None, None)
    assert "while processing" not in str(error)


def test_a_function_failing_on_records_not_from_a_file_names_no_file():
    stream = make_env(1, "process").from_collection(["1", "x"], Types.STRING()).map(int)
    error = _fail(stream)
    assert (error.python_type, error.source_file) == ("ValueError", None)


def test_a_function_after_a_vectorized_map_reports_its_own_error(tmp_path):
    # After a pandas stage the rows are a Series, whose iterator gives no position: no record index, and
    # the user's error must come through unchanged (not an error of the index lookup).
    path = _write(tmp_path / "numbers.txt", ["1", "2", "3"])
    stream = (make_env(1, "process").read_text_file(path)
              .map(lambda s: s.astype(int), output_type=Types.LONG(), func_type="pandas")
              .map(lambda x: 1 // (x - 2), output_type=Types.LONG()))
    error = _fail(stream)
    assert (error.python_type, error.source_file) == ("ZeroDivisionError", None)
