"""Jobs and helpers shared by the checkpoint tests: a generator-fed keyed event-time window job whose Python
functions can be made to fail, its plain-Python reference, and finding or killing the job's processes."""
import collections
import os
import pathlib
import re
import signal

from proc_helpers import descendants, wait_for

from pyflow.common import Configuration, RestartStrategies, Time, Types, WatermarkStrategy
from pyflow.common.serialization import Encoder
from pyflow.datastream import (EmbeddedRocksDBStateBackend, HashMapStateBackend, ProcessWindowFunction,
                               StreamExecutionEnvironment)
from pyflow.datastream.connectors import DataGeneratorSource, FileSink
from pyflow.datastream.connectors.file_system import RollingPolicy
from pyflow.datastream.window import TumblingEventTimeWindows

KEYS = 5
WINDOW_MS = 100


def event(i):
    """Record ``i`` of the generator: (key, event time in ms, value)."""
    return (i % KEYS, i, i * 3 + 1)


class WindowSummary(ProcessWindowFunction):
    """One line per key and window: ``key,start,count,sum`` (the lines the sink writes)."""

    def process(self, key, context, elements):
        values = [e[2] for e in elements]
        yield f"{key},{context.window().start},{len(values)},{sum(values)}"


class FailOnce:
    """A map that raises on record ``at`` unless ``marker`` exists, and creates it first: the first attempt
    fails, every later one (restored from a checkpoint) passes."""

    def __init__(self, at: int, marker: str):
        self.at, self.marker = at, marker

    def __call__(self, e):
        if e[1] == self.at and not os.path.exists(self.marker):
            pathlib.Path(self.marker).touch()
            raise RuntimeError(f"injected failure at record {self.at}")
        return e


def reference_lines(count: int) -> list:
    """The window job's output computed in plain Python, sorted."""
    windows = collections.defaultdict(list)
    for i in range(count):
        key, ts, value = event(i)
        windows[(key, ts - ts % WINDOW_MS)].append(value)
    return sorted(f"{k},{start},{len(v)},{sum(v)}" for (k, start), v in windows.items())


def window_env(mode: str, parallelism: int, checkpoints: "pathlib.Path | None", backend: str = "hashmap",
               restore: "pathlib.Path | None" = None, interval_ms: int = 200,
               restarts: bool = True, options: "dict | None" = None) -> StreamExecutionEnvironment:
    """An environment with checkpoints every ``interval_ms`` into ``checkpoints`` (None: off) and fixed-delay
    restarts (unless ``restarts`` is False: then a dead host fails the job instead of being restarted);
    ``options`` are more configuration entries."""
    config = Configuration().set_string("python.execution-mode", mode)
    for key, value in (options or {}).items():
        config.set_string(key, value)
    if restore is not None:
        config.set_string("execution.savepoint.path", str(restore))
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(parallelism)
    if backend == "rocksdb":
        rocksdb = EmbeddedRocksDBStateBackend()
        # Under the test's directory: a killed host cannot delete its working databases.
        rocksdb.set_db_storage_paths(str((checkpoints or restore).parent / "rocksdb"))
        env.set_state_backend(rocksdb)
    else:
        env.set_state_backend(HashMapStateBackend())
    if checkpoints is not None:
        env.enable_checkpointing(interval_ms).get_checkpoint_config().set_checkpoint_storage_dir(str(checkpoints))
        if restarts:
            env.set_restart_strategy(RestartStrategies.fixed_delay_restart(10, 100))
    return env


def add_window_job(env, out: pathlib.Path, count: int, rate: float, fail: "FailOnce | None" = None):
    """Generator (``count`` records at ``rate`` a second) -> timestamps -> key_by -> 100 ms event-time windows
    summarised in Python -> FileSink under ``out``."""
    source = DataGeneratorSource(event, count=count, records_per_second=rate,
                                 output_type=Types.TUPLE([Types.INT(), Types.LONG(), Types.LONG()]))
    stream = env.from_source(source, WatermarkStrategy.for_monotonous_timestamps()
                             .with_timestamp_assigner(lambda e, _: e[1]), "events")
    if fail is not None:
        stream = stream.map(fail, output_type=Types.TUPLE([Types.INT(), Types.LONG(), Types.LONG()]))
    (stream.key_by(lambda e: e[0])
     .window(TumblingEventTimeWindows.of(Time.milliseconds(WINDOW_MS)))
     .process(WindowSummary(), output_type=Types.STRING())
     .sink_to(FileSink.for_row_format(str(out), Encoder.simple_string_encoder())
              .with_rolling_policy(RollingPolicy.on_checkpoint_rolling_policy()).build()))


def committed_lines(out: pathlib.Path) -> list:
    """Every line of the committed part files under ``out`` (hidden in-progress and pending files excluded), sorted."""
    lines = []
    for path in out.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            lines.extend(path.read_text(encoding="utf-8").splitlines())
    return sorted(lines)


def arrivals_per_key(results) -> dict:
    """What each key's running sums say about its records: sorted sums differ by one record each, so the
    differences are the values of the records the reduce saw, once each (sorted, per key)."""
    by_key = {}
    for key, total in results:
        by_key.setdefault(key, []).append(total)
    out = {}
    for key, sums in by_key.items():
        sums.sort()
        out[key] = sorted([sums[0]] + [b - a for a, b in zip(sums, sums[1:])])
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def worker_pids() -> list:
    """The Python worker processes of this test process's engine host(s)."""
    return sorted(p for p in descendants(os.getpid()) if "pyflow.worker" in _cmdline(p))


def host_pids() -> list:
    """The engine host processes this test process started."""
    return sorted(p for p in descendants(os.getpid()) if "PyFlow.Host" in _cmdline(p))


def completed_checkpoints(directory: pathlib.Path) -> list:
    """The ids of the complete checkpoints (``chk-N``) in ``directory``, ascending."""
    if not directory.exists():
        return []
    return sorted(int(m.group(1)) for p in directory.iterdir() if (m := re.fullmatch(r"chk-(\d+)", p.name)))


def wait_for_checkpoint_after(directory: pathlib.Path, after: int, seconds: float = 20.0) -> int:
    """Waits (bounded) for a complete checkpoint with an id above ``after``; returns the newest id."""
    return wait_for(lambda: max(completed_checkpoints(directory), default=0) > after
                    and max(completed_checkpoints(directory)), seconds, f"a checkpoint after chk-{after} in {directory}")


def kill(pid: int) -> None:
    """SIGKILL ``pid`` (gone already is fine: it may have ended between the lookup and now)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
