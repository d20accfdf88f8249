"""Sources of pyflow.datastream.connectors and read_text_file, with exact results."""
import time

from pyflow.common import Duration, Types, WatermarkStrategy
from pyflow.datastream.connectors import DataGeneratorSource, FileSource, NumberSequenceSource, StreamFormat


def test_number_sequence_is_every_number_once_at_any_parallelism(env):
    stream = env.from_source(NumberSequenceSource(-5, 9_999), WatermarkStrategy.no_watermarks(), "numbers")
    with stream.map(lambda x: x * 3, output_type=Types.LONG()).execute_and_collect() as results:
        assert sorted(results) == [x * 3 for x in range(-5, 10_000)]


def test_a_rate_limited_generator_keeps_its_rate(env):
    source = DataGeneratorSource(lambda i: f"event-{i}", count=600, records_per_second=1000, output_type=Types.STRING())
    start = time.monotonic()
    with env.from_source(source, WatermarkStrategy.no_watermarks(), "events").execute_and_collect() as results:
        got = sorted(results)
    assert got == sorted(f"event-{i}" for i in range(600))
    assert time.monotonic() - start >= 0.5  # 600 records at 1000/s cannot take less than 0.6 s (minus a little)


def test_file_source_and_read_text_file_give_every_line(env, tmp_path):
    (tmp_path / "a.txt").write_text("one\ntwo\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("three\n", encoding="utf-8")
    source = FileSource.for_record_stream_format(StreamFormat.text_line_format(), str(tmp_path)).process_static_file_set().build()
    with env.from_source(source, WatermarkStrategy.no_watermarks(), "files").execute_and_collect() as results:
        assert sorted(results) == ["one", "three", "two"]
    with env.read_text_file(str(tmp_path / "a.txt")).map(str.upper, output_type=Types.STRING()).execute_and_collect() as r:
        assert sorted(r) == ["ONE", "TWO"]


def test_from_source_applies_the_watermark_strategy(env):
    from pyflow.datastream import KeyedProcessFunction

    class AtEnd(KeyedProcessFunction):
        def process_element(self, value, ctx):
            ctx.timer_service().register_event_time_timer(ctx.timestamp())
            return []

        def on_timer(self, timestamp, ctx):
            yield timestamp

    strategy = (WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_millis(5))
                .with_timestamp_assigner(lambda v, _: v * 10))
    env.get_config().set_auto_watermark_interval(50)
    stream = env.from_source(NumberSequenceSource(1, 20), strategy, "timed").key_by(lambda v: v % 3).process(AtEnd())
    with stream.execute_and_collect() as results:
        assert sorted(results) == [v * 10 for v in range(1, 21)]


def test_file_sink_writes_every_record_as_a_line_in_named_part_files(env, tmp_path):
    from pyflow.common import Encoder
    from pyflow.datastream.connectors import FileSink, OutputFileConfig, RollingPolicy
    out = tmp_path / "out"
    sink = (FileSink.for_row_format(str(out), Encoder.simple_string_encoder())
            .with_output_file_config(OutputFileConfig.builder().with_part_prefix("counts").with_part_suffix(".txt").build())
            .with_rolling_policy(RollingPolicy.default_rolling_policy(part_size=200))
            .build())
    data = [(f"w{i % 7}", i) for i in range(300)]
    env.from_collection(data).map(lambda p: (p[0], p[1] * 2)).sink_to(sink)
    env.execute("file sink")
    files = sorted(p.name for p in out.iterdir())
    assert files and all(f.startswith("counts-") and f.endswith(".txt") for f in files)  # no hidden in-progress files
    assert len(files) > 2  # rolled by size
    lines = sorted(line for f in out.iterdir() for line in f.read_text(encoding="utf-8").splitlines())
    assert lines == sorted(str((w, i * 2)) for w, i in data)
