"""DiscardingSink (a PyFlow extension): the records reach the sink and are dropped in the engine. The counts come
from the job's final progress, so the test sees every record arrive although none comes back."""
import pytest

from pyflow.common import PythonFunctionError, Types
from pyflow.common.watermark_strategy import WatermarkStrategy
from pyflow.datastream.connectors import DiscardingSink, NumberSequenceSource


def _final_counts(client) -> dict:
    client.get_job_execution_result().result()
    return {o.name: (o.records_in, o.records_out) for o in client.get_progress().operators}


def test_every_record_reaches_the_discarding_sink(env):
    n = 30_000
    expected = sum(1 for x in range(1, n + 1) if (x * 2 + 1) % 3 == 0)  # plain-Python reference
    numbers = env.from_source(NumberSequenceSource(1, n), WatermarkStrategy.no_watermarks(), "numbers")
    numbers.map(lambda x: x * 2 + 1, output_type=Types.LONG()).filter(lambda x: x % 3 == 0) \
        .sink_to(DiscardingSink())
    counts = _final_counts(env.execute_async("discard"))
    assert counts["Discarding Sink"] == (expected, 0)
    assert counts["numbers"] == (0, n)


def test_a_vectorized_map_into_a_discarding_sink(env):
    n = 25_000
    numbers = env.from_source(NumberSequenceSource(0, n - 1), WatermarkStrategy.no_watermarks(), "numbers")
    numbers.map(lambda s: s * 2 + 1, output_type=Types.LONG(), func_type="pandas").sink_to(DiscardingSink())
    assert _final_counts(env.execute_async("discard pandas"))["Discarding Sink"] == (n, 0)


def test_a_failing_function_before_a_discarding_sink_fails_the_job(env):
    def boom(x):
        if x == 77:
            raise ValueError("no 77 here")
        return x
    env.from_collection(list(range(100)), type_info=Types.LONG()).map(boom, output_type=Types.LONG()) \
        .sink_to(DiscardingSink())
    with pytest.raises(PythonFunctionError, match="no 77 here"):
        env.execute("discard failing")


def test_sink_to_names_the_sinks_it_takes(env):
    with pytest.raises(TypeError, match="expects a FileSink, a KafkaSink or a DiscardingSink.*got list"):
        env.from_collection([1]).sink_to([])
