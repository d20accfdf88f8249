"""The harness PyFlink's own tests use (``pyflink/datastream/tests/test_util.py`` and
``pyflink/testing/test_case_utils.py``), rebuilt on PyFlow so that their test bodies run unchanged.

PyFlink's ``DataStreamTestSinkFunction`` wraps a Java sink that keeps the records in the JVM; here it is a
Python ``SinkFunction`` that appends each record, pickled, to a file of its own directory (one file per
subtask), because in process mode the sink runs in a worker process, not in the test's. ``get_results()``
then formats the records as the Java sink's ``toString`` would (``(a,1)`` for a tuple, ``+I[a, 1]`` for a
row, ``null`` for None), which is what the original expected values are written in.
"""
import datetime
import decimal
import os
import pickle
import shutil
import tempfile
import uuid

from pyflow.common import Row
from pyflow.common.watermark_strategy import TimestampAssigner
from pyflow.datastream.functions import SinkFunction


class DataStreamTestSinkFunction(SinkFunction):
    """Collects every record it gets, from any subtask and any worker process, for ``get_results``."""

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="pyflink-suite-sink-")
        self._file = None

    def open(self, runtime_context):
        # a unique name per open: a subtask's file is never shared, even when one worker runs two subtasks
        self._file = open(os.path.join(self.directory, f"part-{uuid.uuid4().hex}"), "ab")

    def invoke(self, value, context):
        pickle.dump(value, self._file)

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def get_results(self, is_python_object: bool = False, stringify: bool = True) -> list:
        """The records collected so far, then forgotten (PyFlink's ``collectAndClear``): as the Java sink's
        strings, or (``is_python_object``) as ``str(record)``, or the records themselves (``stringify=False``)."""
        records = []
        for name in sorted(os.listdir(self.directory)):
            path = os.path.join(self.directory, name)
            with open(path, "rb") as f:
                while True:
                    try:
                        records.append(pickle.load(f))
                    except EOFError:
                        break
            os.remove(path)
        if not is_python_object:
            return [java_string(r) for r in records]
        return [str(r) for r in records] if stringify else records

    def clear(self):
        """Forgets the records and the directory."""
        shutil.rmtree(self.directory, ignore_errors=True)


def java_string(value) -> str:
    """``value`` as Flink's Java types print it (``Tuple.toString``, ``Row.toString``, ``Timestamp.toString``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Row):
        kind = value.get_row_kind().short_string() if hasattr(value, "get_row_kind") else "+I"
        return kind + "[" + ", ".join(java_string(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ",".join(java_string(v) for v in value) + ")"
    if isinstance(value, (bytes, bytearray)):  # a Java byte[] prints as its signed bytes
        return "[" + ", ".join(str(b - 256 if b > 127 else b) for b in value) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(java_string(v) for v in value) + "]"
    if isinstance(value, datetime.datetime):
        fraction = f"{value.microsecond:06d}".rstrip("0") or "0"
        return value.strftime("%Y-%m-%d %H:%M:%S") + "." + fraction
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def assert_equals_sorted(expected: list, actual: list) -> None:
    """PyFlink's ``assert_equals_sorted``: the same elements, in any order."""
    expected.sort(key=str)
    actual.sort(key=str)
    assert expected == actual


class SecondColumnTimestampAssigner(TimestampAssigner):
    """PyFlink's test assigner: the record's second field is its timestamp."""

    def extract_timestamp(self, value, record_timestamp) -> int:
        return int(value[1])


def get_j_env_configuration(env):
    """The environment's own configuration, where PyFlink's tests reach the JVM's (``get_j_env_configuration``)
    to set an option after the environment was made."""
    return env._config
