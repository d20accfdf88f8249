"""DataStream.add_sink with a Python SinkFunction (invoke per record, in order per subtask, open/close once per
subtask) and with PyFlow's FileSink, through the real engine in both modes at p1/p2; env.add_source with
PyFlow's sources. Expected results are computed here."""
import pytest

from pyflow.common import Duration, Encoder, Types, WatermarkStrategy
from pyflow.common.watermark_strategy import TimestampAssigner
from pyflow.datastream import SinkFunction
from pyflow.datastream.connectors import DataGeneratorSource, FileSink, FileSource, NumberSequenceSource, StreamFormat
from pyflow.errors import PythonFunctionError

N = 200


class FileLines(SinkFunction):
    """Writes "value timestamp" lines to one file per subtask, and "closed" at close()."""

    def __init__(self, directory):
        self.directory = directory
        self.file = None

    def open(self, runtime_context):
        index = runtime_context.get_index_of_this_subtask()
        self.file = open(f"{self.directory}/part-{index}", "a")

    def invoke(self, value, context):
        self.file.write(f"{value} {context.timestamp()}\n")

    def close(self):
        self.file.write("closed\n")
        self.file.close()


class ValueTs(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value * 10


def test_sink_function_gets_every_record_in_order_per_subtask(env, tmp_path):
    p = env.get_parallelism()
    strategy = WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(ValueTs())
    (env.from_collection(list(range(N)), Types.LONG()).assign_timestamps_and_watermarks(strategy)
     .rebalance().map(lambda v: v + 1, Types.LONG())
     .add_sink(FileLines(str(tmp_path))))
    env.execute("python sink")
    parts = sorted(tmp_path.iterdir())
    assert [f.name for f in parts] == [f"part-{i}" for i in range(p)]
    seen = []
    for f in parts:
        lines = f.read_text().splitlines()
        assert lines[-1] == "closed" and lines.count("closed") == 1
        rows = [tuple(int(x) for x in line.split()) for line in lines[:-1]]
        assert [v for v, _ in rows] == sorted(v for v, _ in rows)  # in order within the subtask
        seen += rows
    assert sorted(seen) == [(v + 1, v * 10) for v in range(N)]


class Failing(SinkFunction):
    def invoke(self, value, context):
        if value == 3:
            raise IOError("the database refused record 3")


def test_sink_function_that_raises_fails_the_job(env):
    env.from_collection([1, 2, 3, 4], Types.INT()).add_sink(Failing())
    with pytest.raises(PythonFunctionError, match="the database refused record 3"):
        env.execute("failing sink")


def test_add_sink_takes_a_file_sink_and_refuses_other_objects(env, tmp_path):
    out = tmp_path / "out"
    data = list(range(50))
    env.from_collection(data).map(lambda v: v * 3).add_sink(
        FileSink.for_row_format(str(out), Encoder.simple_string_encoder()).build())
    env.execute("file sink")
    lines = sorted(int(line) for f in out.iterdir() for line in f.read_text().splitlines())
    assert lines == [v * 3 for v in data]
    with pytest.raises(TypeError, match="add_sink\\(\\) expects a pyflow SinkFunction"):
        env.from_collection(data).add_sink(print)


def test_add_source_takes_pyflow_sources(env, tmp_path):
    numbers = sorted(env.add_source(NumberSequenceSource(1, 40)).map(lambda v: v * 2, Types.LONG())
                     .execute_and_collect())
    assert numbers == [v * 2 for v in range(1, 41)]
    generated = sorted(env.add_source(DataGeneratorSource(lambda i: f"g{i}", count=30, output_type=Types.STRING()),
                                      "generator").execute_and_collect())
    assert generated == sorted(f"g{i}" for i in range(30))
    path = tmp_path / "in.txt"
    path.write_text("a\nbb\nccc\n")
    source = FileSource.for_record_stream_format(StreamFormat.text_line_format(), str(path)) \
        .process_static_file_set().build()
    assert sorted(env.add_source(source).map(len, Types.INT()).execute_and_collect()) == [1, 2, 3]
    with pytest.raises(TypeError, match="add_source\\(\\) expects"):
        env.add_source(lambda: None)
