"""A bundle is flushed when its time is up: a slow trickle source gets its results while it runs,
each within bundle.time plus a margin, although no bundle ever fills up."""
import time

import pytest

from pyflow.common import Configuration, Types, WatermarkStrategy
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.datastream.connectors import DataGeneratorSource

RATE, COUNT, BUNDLE_MS = 20, 40, 50
MARGIN_S = 0.4  # scheduling on a busy 2-core machine; a size-only flush would be 2 s late


@pytest.mark.parametrize("mode", ["process", "thread"])
def test_a_trickle_gets_results_within_bundle_time(mode):
    config = Configuration()
    config.set_string("python.execution-mode", mode)
    config.set_string("python.fn-execution.bundle.size", "100000")
    config.set_string("python.fn-execution.arrow.batch.size", "100000")
    config.set_string("python.fn-execution.bundle.time", str(BUNDLE_MS))
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    source = DataGeneratorSource(lambda i: i, count=COUNT, records_per_second=RATE, output_type=Types.LONG())
    stream = (env.from_source(source, WatermarkStrategy.no_watermarks(), "trickle")
              .map(lambda x: x * 10, output_type=Types.LONG()))
    arrivals = []
    with stream.execute_and_collect() as results:
        for value in results:
            arrivals.append((value // 10, time.perf_counter()))
    assert [i for i, _ in arrivals] == list(range(COUNT))
    first = arrivals[0][1]
    # How late each record came, against the source's schedule (index / rate after the first).
    lags = [t - first - i / RATE for i, t in arrivals]
    assert max(lags) - min(lags) < BUNDLE_MS / 1000 + MARGIN_S, lags
    assert arrivals[-1][1] - first > (COUNT - 1) / RATE - BUNDLE_MS / 1000 - MARGIN_S  # spread out, not all at the end
