"""Real-time sensor monitoring: per-sensor sliding-window statistics in event time, and an alert for
every reading above its window's mean + 3 standard deviations.

    .venv/bin/python examples/realtime_monitoring.py                # 8000 readings at 2000/s
    .venv/bin/python examples/realtime_monitoring.py --readings 20000 --rate 5000 --chart alerts.png

A rate-limited generator source emits readings ``(sensor, timestamp_ms, value)`` of four sensors,
ten per sensor per second of event time. Some arrive out of order (up to 400 ms behind, within the
watermark's 1 s bound); a few arrive far too late (their windows have long fired) and go to the
windows' late-data side output instead of being dropped silently. Planted spikes should raise alerts.

Per sensor, 10 s windows sliding by 2 s compute the mean and the (population) standard deviation of
the readings. A window alerts on the readings of its last slide (its last 2 s) that exceed
mean + 3σ, so each reading is judged once, against the 10 s that end with it. The script prints
the alerts, the late readings, and writes a PNG chart of one sensor's readings with its alerts marked.
"""
import argparse
import math
import random
import sys

from pyflow.common import Duration, Time, Types, WatermarkStrategy
from pyflow.common.watermark_strategy import TimestampAssigner
from pyflow.datastream import OutputTag, ProcessWindowFunction, StreamExecutionEnvironment
from pyflow.datastream.connectors import DataGeneratorSource
from pyflow.datastream.window import SlidingEventTimeWindows

SENSORS = 4
STEP_MS = 100          # each sensor reads every 100 ms of event time
WINDOW = Time.seconds(10)
SLIDE = Time.seconds(2)
OUT_OF_ORDERNESS = Duration.of_seconds(1)
LATE = OutputTag("late readings")


def reading(i: int):
    """The i-th reading: ``(sensor, timestamp_ms, value)``, the same on every run."""
    rng = random.Random(i)
    sensor = i % SENSORS
    ts = (i // SENSORS) * STEP_MS
    if rng.random() < 0.1:
        ts -= rng.randrange(50, 400)  # out of order, within the bound
    value = 20.0 + 5 * sensor + rng.gauss(0, 1)
    if i % 997 == 0 and i > 0:
        value += 25.0  # a planted spike
    if i >= 4000 and i % 1000 == 500:
        ts = 2_000 + i // 1000  # far too late: its windows fired long ago
    return f"s{sensor}", max(ts, 0), round(value, 3)


class ReadingTime(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[1]


class Alerts(ProcessWindowFunction):
    """Alerts on the readings of the window's last slide above the window's mean + 3σ."""

    def process(self, key, context, elements):
        values = [r[2] for r in elements]
        mean = sum(values) / len(values)
        std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        last_slide = context.window().end - SLIDE.to_milliseconds()
        for sensor, ts, value in elements:
            if ts >= last_slide and value > mean + 3 * std:
                yield sensor, ts, value, round(mean, 3), round(std, 3)


def monitor(env, readings: int, rate: float):
    """The job: generator -> event time -> key by sensor -> sliding windows -> alerts, and the late
    readings from the windows' side output. Records are ``("ALERT", (sensor, ts, value, mean, std))``
    and ``("LATE", (sensor, ts, value))``."""
    source = DataGeneratorSource(reading, count=readings, records_per_second=rate)
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(OUT_OF_ORDERNESS).with_timestamp_assigner(ReadingTime())
    alerts = (
        env.from_source(source, WatermarkStrategy.no_watermarks(), "sensor readings")
        .assign_timestamps_and_watermarks(strategy)
        .key_by(lambda r: r[0], key_type=Types.STRING())
        .window(SlidingEventTimeWindows.of(WINDOW, SLIDE))
        .side_output_late_data(LATE)
        .process(Alerts())
    )
    late = alerts.get_side_output(LATE)
    return alerts.map(lambda a: ("ALERT", a)).union(late.map(lambda r: ("LATE", r)))


def chart(path: str, readings: int, found: list, sensor: str = "s0") -> None:
    """A PNG of ``sensor``'s readings over event time, its alerts marked in red."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    points = sorted((ts, v) for s, ts, v in map(reading, range(readings)) if s == sensor)
    marked = [(ts, v) for s, ts, v, _, _ in found if s == sensor]
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.plot([t / 1000 for t, _ in points], [v for _, v in points], linewidth=0.6, label=f"{sensor} readings")
    ax.scatter([t / 1000 for t, _ in marked], [v for _, v in marked], color="red", zorder=3, label="alerts")
    ax.set_xlabel("event time (s)")
    ax.set_ylabel("value")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=8000)
    parser.add_argument("--rate", type=float, default=2000, help="readings per second (0: as fast as possible)")
    parser.add_argument("--parallelism", type=int, default=2)
    parser.add_argument("--chart", default="monitoring.png", help="where to write the PNG chart")
    args = parser.parse_args(argv)

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(args.parallelism)
    found, late = [], []
    with monitor(env, args.readings, args.rate).execute_and_collect("realtime_monitoring") as results:
        for kind, record in results:
            (found if kind == "ALERT" else late).append(record)
    found.sort(key=lambda a: (a[1], a[0]))
    for sensor, ts, value, mean, std in found:
        print(f"ALERT {sensor} t={ts / 1000:.1f}s value={value} mean={mean} std={std}")
    for sensor, ts, value in sorted(late, key=lambda r: (r[1], r[0])):
        print(f"LATE  {sensor} t={ts / 1000:.1f}s value={value}")
    chart(args.chart, args.readings, found)
    print(f"{len(found)} alerts, {len(late)} late readings; chart written to {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
