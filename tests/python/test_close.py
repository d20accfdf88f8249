"""close() of function objects runs once per subtask, after the subtask's last record, in both execution
modes; a close() that raises fails the job with its error. Expected results are computed here."""
import pytest

from pyflow.common import Duration, Types, WatermarkStrategy
from pyflow.common.watermark_strategy import TimestampAssigner
from pyflow.datastream import (FilterFunction, FlatMapFunction, KeyedProcessFunction, MapFunction, ProcessFunction,
                               ProcessWindowFunction)
from pyflow.datastream.window import TumblingEventTimeWindows
from pyflow.errors import PythonFunctionError

N = 40


class _Closing:
    """Counts the records a subtask saw; close() appends "name subtask count" to the log file."""

    def __init__(self, name, log):
        self.name, self.log, self.seen, self.subtask = name, log, 0, None

    def open(self, runtime_context):
        self.subtask = runtime_context.get_index_of_this_subtask() if runtime_context is not None else "?"

    def close(self):
        with open(self.log, "a") as f:
            f.write(f"{self.name} {self.subtask} {self.seen}\n")


class Twice(_Closing, MapFunction):
    def map(self, value):
        self.seen += 1
        return value * 2


class Even(_Closing, FilterFunction):
    def filter(self, value):
        self.seen += 1
        return value % 4 == 0


class Pair(_Closing, FlatMapFunction):
    def flat_map(self, value):
        self.seen += 1
        yield value
        yield value + 1


class Tag(_Closing, ProcessFunction):
    def process_element(self, value, ctx):
        self.seen += 1
        yield value


class Count(_Closing, KeyedProcessFunction):
    def process_element(self, value, ctx):
        self.seen += 1
        yield value


class WindowSum(_Closing, ProcessWindowFunction):
    def process(self, key, context, elements):
        self.seen += 1
        yield sum(elements)


class ValueTs(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value


def _read(log):
    rows = [line.split() for line in log.read_text().splitlines()]
    return [(name, subtask, int(seen)) for name, subtask, seen in rows]


def test_close_runs_once_per_subtask_after_the_last_record(env, tmp_path):
    log = tmp_path / "close.log"
    p = env.get_parallelism()
    stream = (env.from_collection(list(range(N))).rebalance()
              .map(Twice("map", str(log)), output_type=Types.LONG())
              .filter(Even("filter", str(log)))
              .flat_map(Pair("flat_map", str(log)), output_type=Types.LONG())
              .process(Tag("process", str(log)), output_type=Types.LONG())
              .key_by(lambda v: v % 3)
              .process(Count("keyed_process", str(log)), output_type=Types.LONG()))
    out = sorted(stream.execute_and_collect())
    doubled = [2 * v for v in range(N)]
    kept = [v for v in doubled if v % 4 == 0]
    assert out == sorted(v + d for v in kept for d in (0, 1))
    closes = _read(log)
    expected_seen = {"map": N, "filter": N, "flat_map": len(kept), "process": 2 * len(kept), "keyed_process": 2 * len(kept)}
    for name, total in expected_seen.items():
        mine = [c for c in closes if c[0] == name]
        assert sorted(c[1] for c in mine) == [str(i) for i in range(p)], (name, closes)
        assert sum(c[2] for c in mine) == total, (name, closes)
    assert len(closes) == 5 * p


def test_window_function_close_runs_once_per_subtask(env, tmp_path):
    log = tmp_path / "close.log"
    p = env.get_parallelism()
    values = list(range(30))
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(0)) \
        .with_timestamp_assigner(ValueTs())
    out = sorted(env.from_collection(values).assign_timestamps_and_watermarks(strategy)
                 .key_by(lambda v: v % 2)
                 .window(TumblingEventTimeWindows.of(Duration.of_millis(10)))
                 .process(WindowSum("window", str(log)), output_type=Types.LONG())
                 .execute_and_collect())
    windows = {}
    for v in values:
        windows[(v % 2, v // 10)] = windows.get((v % 2, v // 10), 0) + v
    assert out == sorted(windows.values())
    closes = _read(log)
    assert [c[0] for c in closes] == ["window"] * p
    assert sum(c[2] for c in closes) == len(windows)


class FailingClose(MapFunction):
    def map(self, value):
        return value

    def close(self):
        raise RuntimeError("could not flush the connection pool")


def test_close_that_raises_fails_the_job_with_its_error(env):
    with pytest.raises(PythonFunctionError, match="could not flush the connection pool"):
        list(env.from_collection([1, 2, 3]).map(FailingClose(), output_type=Types.INT()).execute_and_collect())
