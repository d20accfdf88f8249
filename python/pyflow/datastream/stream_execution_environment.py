"""``StreamExecutionEnvironment``: where a job starts, as PyFlink's."""
import os

from pyflow.common.execution_config import ExecutionConfig
from pyflow.common.configuration import Configuration
from pyflow.common.typeinfo import TypeInformation, Types
from pyflow.datastream._collection import encode_collection
from pyflow.datastream._node import DEFAULT_PARALLELISM, Node
from pyflow.datastream.data_stream import DataStream
from pyflow.datastream.execution_mode import RuntimeExecutionMode
from pyflow.datastream.plan import JobPlan, build_plan
from pyflow.errors import PlanError
from pyflow._compat.missing import pyflink_method_getattr

__all__ = ["StreamExecutionEnvironment"]

DEFAULT_JOB_NAME = "PyFlow Streaming Job"  # Flink: "Flink Streaming Job"
# Flink's option names; set_parallelism / set_runtime_mode take precedence over them.
PARALLELISM_OPTION = "parallelism.default"
RUNTIME_MODE_OPTION = "execution.runtime-mode"
MAX_PARALLELISM_OPTION = "pipeline.max-parallelism"  # read by the engine host: the number of key groups
CHAINING_OPTION = "pipeline.operator-chaining"  # read by the engine host
TIME_CHARACTERISTIC_OPTION = "pipeline.time-characteristic"
BUFFER_TIMEOUT_OPTION = "execution.buffer-timeout"  # read by the engine host
ENGINE_BUFFER_TIMEOUT_MS = 10  # the engine's buffer timeout when the option is not set
ENGINE_KEY_GROUPS = 128  # the engine's number of key groups when pipeline.max-parallelism is not set
MAX_KEY_GROUPS = 32768  # Flink's bound (1 << 15): a key group is two bytes of every RocksDB key


class StreamExecutionEnvironment:
    """The context of a job: its sources, its sinks, its parallelism and options.

    >>> from pyflow.common import Types
    >>> env = StreamExecutionEnvironment.get_execution_environment()
    >>> env.set_parallelism(2).get_parallelism()
    2
    >>> ds = env.from_collection(["a", "bb"], type_info=Types.STRING())
    >>> sink = ds.map(len, output_type=Types.INT()).print()

    ``env.execute("my job")`` then runs it: the engine host prints ``1> 1`` and ``2> 2`` (in some order).
    """

    __getattr__ = pyflink_method_getattr  # PyFlink methods PyFlow lacks raise NotImplementedError

    def __init__(self, configuration: "Configuration | None" = None):
        """Prefer ``get_execution_environment()``. Keeps a copy of ``configuration``."""
        if configuration is not None and not isinstance(configuration, Configuration):
            raise TypeError(f"configuration must be a pyflow.common.Configuration, got {type(configuration).__name__}")
        self._config = Configuration(configuration)
        self._parallelism = None
        self._runtime_mode = None
        self._next_id = 1
        self._sinks = []  # sinks added since the last execution, in order

    @staticmethod
    def get_execution_environment(configuration: "Configuration | None" = None) -> "StreamExecutionEnvironment":
        """A new environment. ``configuration`` holds options with PyFlink's names, passed to the engine.
        They win over the defaults of ``$PYFLOW_CONF_DIR/config.yaml`` when that variable is set
        (``pyflow.common.config_file``, as Flink's ``conf/config.yaml``).

        >>> from pyflow.common import Configuration
        >>> config = Configuration().set_string("python.fn-execution.bundle.size", "1000")
        >>> env = StreamExecutionEnvironment.get_execution_environment(config)
        """
        from pyflow.common.config_file import load_default_options
        merged = Configuration()
        for key, value in load_default_options().items():
            merged.set_string(key, value)
        if configuration is not None:
            if not isinstance(configuration, Configuration):
                raise TypeError(f"configuration must be a pyflow.common.Configuration, got {type(configuration).__name__}")
            for key, value in configuration.to_dict().items():
                merged.set_string(key, value)
        return StreamExecutionEnvironment(merged)

    def set_parallelism(self, parallelism: int) -> "StreamExecutionEnvironment":
        """Sets the default parallelism of the job's operators; returns self."""
        if not isinstance(parallelism, int) or isinstance(parallelism, bool) or parallelism < 1:
            raise PlanError(f"set_parallelism expects an int >= 1, got {parallelism!r}")
        self._parallelism = parallelism
        return self

    def get_parallelism(self) -> int:
        """The default parallelism: set_parallelism's, else option ``parallelism.default``, else the CPU count
        (as Flink's local environment)."""
        if self._parallelism is not None:
            return self._parallelism
        if self._config.contains_key(PARALLELISM_OPTION):
            value = self._config.get_integer(PARALLELISM_OPTION)
            if value < 1:
                raise PlanError(f"configuration option {PARALLELISM_OPTION!r} must be >= 1, got {value}")
            return value
        return os.cpu_count() or 1

    def set_max_parallelism(self, max_parallelism: int) -> "StreamExecutionEnvironment":
        """Sets the number of key groups (Flink's max parallelism, option ``pipeline.max-parallelism``): keyed
        state is split into that many groups, so no operator may run at a higher parallelism; returns self.

        >>> env = StreamExecutionEnvironment.get_execution_environment()
        >>> env.set_max_parallelism(12).get_max_parallelism()
        12
        """
        if not isinstance(max_parallelism, int) or isinstance(max_parallelism, bool) \
                or not 1 <= max_parallelism <= MAX_KEY_GROUPS:
            raise PlanError(f"set_max_parallelism expects an int in 1..{MAX_KEY_GROUPS}, got {max_parallelism!r}")
        self._config.set_string(MAX_PARALLELISM_OPTION, str(max_parallelism))
        return self

    def get_max_parallelism(self) -> int:
        """The max parallelism set, or -1 when not set (as Flink; the engine then has 128 key groups)."""
        if not self._config.contains_key(MAX_PARALLELISM_OPTION):
            return -1
        text = self._config.get_string(MAX_PARALLELISM_OPTION)
        try:
            value = int(text)
        except ValueError:
            value = 0
        if not 1 <= value <= MAX_KEY_GROUPS:
            raise PlanError(f"configuration option {MAX_PARALLELISM_OPTION!r} must be an int in 1..{MAX_KEY_GROUPS}, "
                            f"got {text!r}")
        return value

    def set_buffer_timeout(self, timeout_millis: int) -> "StreamExecutionEnvironment":
        """Sets how long a partly filled batch may wait before it is sent to the next subtask, in ms (option
        ``execution.buffer-timeout``): lower is lower latency, higher is fewer, fuller batches. Must be > 0
        (Flink's -1 and 0 have no equivalent in the engine). Returns self."""
        if not isinstance(timeout_millis, int) or isinstance(timeout_millis, bool) or timeout_millis <= 0:
            raise PlanError(f"set_buffer_timeout expects milliseconds as an int > 0, got {timeout_millis!r} "
                            "(PyFlow's engine always flushes partly filled batches: -1 and 0 are not supported)")
        self._config.set_string(BUFFER_TIMEOUT_OPTION, f"{timeout_millis} ms")
        return self

    def get_buffer_timeout(self) -> int:
        """The buffer timeout in ms (10, the engine's, unless set)."""
        if not self._config.contains_key(BUFFER_TIMEOUT_OPTION):
            return ENGINE_BUFFER_TIMEOUT_MS
        text = self._config.get_string(BUFFER_TIMEOUT_OPTION).strip()
        for suffix, scale in (("ms", 1), ("min", 60_000), ("s", 1000), ("", 1)):
            if text.endswith(suffix) and text[:len(text) - len(suffix)].strip().isdigit():
                value = int(text[:len(text) - len(suffix)]) * scale
                if value > 0:
                    return value
        raise PlanError(f"configuration option {BUFFER_TIMEOUT_OPTION!r} must be a positive duration such as "
                        f"'100 ms' or '1 min', got {text!r}")

    def disable_operator_chaining(self) -> "StreamExecutionEnvironment":
        """Runs every operator on its own (option ``pipeline.operator-chaining: false``): no two operators share
        a subtask, and no two Python functions share a worker round trip. For debugging; slower. Returns self."""
        self._config.set_string(CHAINING_OPTION, "false")
        return self

    def is_chaining_enabled(self) -> bool:
        """Whether operators are chained (True unless ``disable_operator_chaining`` or the option turned it off)."""
        text = self._config.get_string(CHAINING_OPTION, "true").strip().lower()
        if text not in ("true", "false"):
            raise PlanError(f"configuration option {CHAINING_OPTION!r} must be true or false, got {text!r}")
        return text == "true"

    def set_stream_time_characteristic(self, characteristic: "TimeCharacteristic") -> "StreamExecutionEnvironment":
        """Sets the ``TimeCharacteristic`` (option ``pipeline.time-characteristic``). Deprecated in Flink and,
        as there since 1.12, without effect on the job: assigners and timers name their own time. Returns self."""
        from pyflow.datastream.time_characteristic import TimeCharacteristic
        if not isinstance(characteristic, TimeCharacteristic):
            raise TypeError(f"set_stream_time_characteristic expects a TimeCharacteristic (e.g. "
                            f"TimeCharacteristic.EventTime), got {characteristic!r}")
        self._config.set_string(TIME_CHARACTERISTIC_OPTION, characteristic.name)
        return self

    def get_stream_time_characteristic(self) -> "TimeCharacteristic":
        """The ``TimeCharacteristic`` set, ``EventTime`` by default."""
        from pyflow.datastream.time_characteristic import TimeCharacteristic
        text = self._config.get_string(TIME_CHARACTERISTIC_OPTION, "EventTime").strip()
        if text not in TimeCharacteristic.__members__:
            raise PlanError(f"configuration option {TIME_CHARACTERISTIC_OPTION!r} must be one of "
                            f"{', '.join(TimeCharacteristic.__members__)}, got {text!r}")
        return TimeCharacteristic[text]

    def set_runtime_mode(self, execution_mode: RuntimeExecutionMode) -> "StreamExecutionEnvironment":
        """Sets STREAMING, BATCH or AUTOMATIC (BATCH when every source is bounded); returns self."""
        if not isinstance(execution_mode, RuntimeExecutionMode):
            raise TypeError(f"set_runtime_mode expects a RuntimeExecutionMode (e.g. RuntimeExecutionMode.BATCH), "
                            f"got {execution_mode!r}")
        self._runtime_mode = execution_mode
        return self

    def from_collection(self, collection, type_info: "TypeInformation | None" = None) -> DataStream:
        """A bounded, non-parallel source emitting the elements of ``collection`` in order.

        Without ``type_info`` the elements travel pickled (any picklable object). With it, every
        element must fit the type: a bad one is reported here, by index.

        >>> env = StreamExecutionEnvironment.get_execution_environment()
        >>> env.from_collection([1, 2, 3], type_info=Types.LONG()).get_name()
        'Collection Source'
        """
        if isinstance(collection, (str, bytes, bytearray, dict)) or not hasattr(collection, "__iter__"):
            raise TypeError(f"from_collection expects a list (or another iterable) of elements, "
                            f"got {type(collection).__name__}")
        if type_info is None:
            type_info = Types.PICKLED_BYTE_ARRAY()
        elif not isinstance(type_info, TypeInformation):
            raise TypeError(f"from_collection: type_info must be a TypeInformation such as Types.INT(), "
                            f"got {type_info!r}")
        data = encode_collection(list(collection), type_info)
        node = self._add_node("source.collection", "Collection Source", [], type_info, {"data": data}, parallelism=1)
        return DataStream(self, node)

    def from_source(self, source, watermark_strategy, source_name: str) -> DataStream:
        """A stream from a source of ``pyflow.datastream.connectors`` (PyFlink's signature): a
        ``NumberSequenceSource`` (parallel), a ``DataGeneratorSource`` (parallel, rate-limited) or a
        ``FileSource`` of text lines, a ``KafkaSource``; then ``watermark_strategy`` (``WatermarkStrategy.no_watermarks()``
        for none).

        >>> from pyflow.common import WatermarkStrategy
        >>> from pyflow.datastream.connectors import NumberSequenceSource
        >>> env = StreamExecutionEnvironment.get_execution_environment()
        >>> env.from_source(NumberSequenceSource(1, 5), WatermarkStrategy.no_watermarks(), "numbers").get_name()
        'numbers'
        """
        from pyflow.common.watermark_strategy import WatermarkStrategy
        from pyflow.datastream.connectors import DataGeneratorSource, FileSource, NumberSequenceSource
        from pyflow.datastream.connectors.kafka import KafkaSource
        if not isinstance(watermark_strategy, WatermarkStrategy):
            raise TypeError(f"from_source: watermark_strategy must be a WatermarkStrategy, got {watermark_strategy!r}")
        if not isinstance(source_name, str) or not source_name:
            raise TypeError(f"from_source: source_name must be a non-empty str, got {source_name!r}")
        if isinstance(source, NumberSequenceSource):
            stream = DataStream(self, self._add_node("source.sequence", source_name, [], Types.LONG(), source._fields()))
        elif isinstance(source, DataGeneratorSource):
            numbers = DataStream(self, self._add_node("source.sequence", source_name, [], Types.LONG(), source._fields()))
            stream = numbers.map(source.generator_function, output_type=source.output_type).name(source_name)
        elif isinstance(source, FileSource):
            stream = DataStream(self, self._add_node("source.text_file", source_name, [], Types.STRING(),
                                                     {"paths": list(source.paths)}))
        elif isinstance(source, KafkaSource):
            stream = DataStream(self, self._add_node("source.kafka", source_name, [], source._type_info,
                                                     source._fields()))
        else:
            raise TypeError(f"from_source: unsupported source {type(source).__name__}; PyFlow has NumberSequenceSource, "
                            "DataGeneratorSource, FileSource and KafkaSource (pyflow.datastream.connectors)")
        if watermark_strategy._emits or watermark_strategy._assigner is not None:
            stream = stream.assign_timestamps_and_watermarks(watermark_strategy)
        return stream

    def add_source(self, source_func, source_name: str = "Custom Source", type_info=None) -> DataStream:
        """A stream from ``source_func`` (PyFlink's signature): a Python ``SourceFunction`` (``run(ctx)`` collects
        records until it returns or ``cancel()`` is called; non-parallel, run in a Python worker; records travel as
        ``type_info``, pickled without it), or one of PyFlow's own sources, as ``from_source`` with
        ``WatermarkStrategy.no_watermarks()`` (``type_info`` must then be None or the source's type).

        >>> from pyflow.datastream.connectors import NumberSequenceSource
        >>> env = StreamExecutionEnvironment.get_execution_environment()
        >>> env.add_source(NumberSequenceSource(1, 5)).get_name()
        'Custom Source'
        """
        from pyflow.datastream._sources import add_source
        return add_source(self, source_func, source_name, type_info)

    def read_text_file(self, file_path: str, charset_name: str = "UTF-8") -> DataStream:
        """Every line of a text file (or of the files of a directory) as a STRING record; bounded."""
        from pyflow.common.watermark_strategy import WatermarkStrategy
        from pyflow.datastream.connectors import FileSource, StreamFormat
        source = FileSource.for_record_stream_format(StreamFormat.text_line_format(charset_name), file_path).build()
        return self.from_source(source, WatermarkStrategy.no_watermarks(), "Text File Source")

    # -- checkpoints, restarts, state backends ---------------------------------------------------------------

    def enable_checkpointing(self, interval: int, mode: "CheckpointingMode | None" = None) -> "StreamExecutionEnvironment":
        """Takes a checkpoint every ``interval`` ms (``mode``: ``CheckpointingMode.EXACTLY_ONCE``, the default, or
        ``AT_LEAST_ONCE``); returns self. Set a directory too, and usually a restart strategy:

        >>> from pyflow.common.restart_strategy import RestartStrategies
        >>> env = StreamExecutionEnvironment.get_execution_environment()
        >>> config = env.enable_checkpointing(1000).get_checkpoint_config().set_checkpoint_storage_dir("/tmp/ckpts")
        >>> env.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, 1000))
        >>> env.get_checkpoint_interval()
        1000

        After a failure the job restarts from the last completed checkpoint; files written by ``FileSink`` and
        results of ``execute_and_collect`` are exactly-once. To resume a job whose engine died, set
        ``execution.savepoint.path`` to the checkpoint directory (or one ``chk-N`` in it) in the configuration
        and ``execute`` the same job again.
        """
        from pyflow.datastream.checkpointing_mode import CheckpointingMode
        config = self.get_checkpoint_config().set_checkpoint_interval(interval)
        if mode is not None:
            config.set_checkpointing_mode(mode)
        return self

    def get_checkpoint_config(self) -> "CheckpointConfig":
        """The checkpoint options (PyFlink's ``CheckpointConfig``), a view of this environment's configuration."""
        from pyflow.datastream.checkpoint_config import CheckpointConfig
        return CheckpointConfig(self._config)

    def get_checkpoint_interval(self) -> int:
        """The checkpoint interval in ms, -1 when checkpointing is off."""
        return self.get_checkpoint_config().get_checkpoint_interval()

    def get_checkpointing_mode(self) -> "CheckpointingMode":
        """``CheckpointingMode.EXACTLY_ONCE`` unless set otherwise."""
        return self.get_checkpoint_config().get_checkpointing_mode()

    def set_restart_strategy(self, restart_strategy_configuration) -> None:
        """What a failure does: ``RestartStrategies.no_restart()`` (the default: the job fails) or
        ``RestartStrategies.fixed_delay_restart(attempts, delay_ms)`` (restart from the last checkpoint)."""
        from pyflow.common.restart_strategy import RestartStrategyConfiguration
        if not isinstance(restart_strategy_configuration, RestartStrategyConfiguration):
            raise TypeError("set_restart_strategy expects RestartStrategies.no_restart() or "
                            f"RestartStrategies.fixed_delay_restart(...), got {restart_strategy_configuration!r}")
        for key in ("restart-strategy.type", "restart-strategy.fixed-delay.attempts", "restart-strategy.fixed-delay.delay"):
            self._config.remove_config(key)
        for key, value in restart_strategy_configuration._options().items():
            self._config.set_string(key, value)

    def get_restart_strategy(self):
        """The restart strategy set (``no_restart()`` unless set)."""
        from pyflow.common.restart_strategy import _from_options
        return _from_options(self._config)

    def set_state_backend(self, state_backend) -> "StreamExecutionEnvironment":
        """Where keyed state lives: ``HashMapStateBackend()`` (the default) or ``EmbeddedRocksDBStateBackend()``;
        returns self."""
        from pyflow.datastream.state_backend import StateBackend
        if not isinstance(state_backend, StateBackend) or type(state_backend) is StateBackend:
            raise TypeError(f"set_state_backend expects HashMapStateBackend() or EmbeddedRocksDBStateBackend(), "
                            f"got {state_backend!r}")
        self._config.remove_config("state.backend.rocksdb.localdir")
        for key, value in state_backend._options().items():
            self._config.set_string(key, value)
        return self

    def get_state_backend(self):
        """The state backend set, or None when none was (as PyFlink; the job then keeps state on the heap,
        as with ``HashMapStateBackend``)."""
        from pyflow.datastream.state_backend import EmbeddedRocksDBStateBackend, HashMapStateBackend
        if not self._config.contains_key("state.backend.type"):
            return None
        kind = self._config.get_string("state.backend.type").strip().lower()
        if kind == "rocksdb":
            backend = EmbeddedRocksDBStateBackend()
            if self._config.contains_key("state.backend.rocksdb.localdir"):
                backend.set_db_storage_paths(self._config.get_string("state.backend.rocksdb.localdir"))
            return backend
        return HashMapStateBackend()

    def get_config(self) -> "ExecutionConfig":
        """Execution options (PyFlink's ``ExecutionConfig``): the auto-watermark interval."""
        return ExecutionConfig(self._config)

    def execute(self, job_name: "str | None" = None):
        """Runs the job built so far and waits for it; returns a ``JobExecutionResult``.

        Print sinks write to this process's stdout, worker output goes to stderr. A failure raises
        the matching ``JobExecutionError`` (``PythonFunctionError`` for an exception in user code).
        The environment then forgets its sinks, as Flink does: build the next job on it afresh.
        """
        from pyflow._gateway import execute_plan
        return execute_plan(self._take_plan(job_name or DEFAULT_JOB_NAME))

    def execute_async(self, job_name: "str | None" = None):
        """Starts the job built so far and returns at once with a ``JobClient`` (PyFlink's): its
        ``get_job_status()``, ``cancel()``, ``wait(timeout)`` and ``get_job_execution_result()``.

        Print sinks and worker output keep flowing while the caller does other things; progress is
        shown as for ``execute()`` (option ``pyflow.progress``).
        """
        from pyflow._gateway import submit_plan
        return submit_plan(self._take_plan(job_name or DEFAULT_JOB_NAME))

    def get_execution_plan(self) -> str:
        """The job built so far as Flink's JSON execution plan: ``{"nodes": [{"id", "type", "pact",
        "contents", "parallelism", "predecessors": [{"id", "ship_strategy", "side"}]}]}``. Unlike
        ``execute``, the environment keeps its sinks.

        >>> import json
        >>> env = StreamExecutionEnvironment.get_execution_environment().set_parallelism(2)
        >>> sink = env.from_collection([1, 2]).rebalance().map(lambda x: x).print()
        >>> [(n["type"], n["parallelism"]) for n in json.loads(env.get_execution_plan())["nodes"]]
        [('Source: Collection Source', 1), ('Map', 2), ('Sink: Print to Std. Out', 2)]
        """
        from pyflow.datastream._execution_plan import execution_plan_json
        return execution_plan_json(self._sinks, self.get_parallelism())

    # -- used by DataStream ---------------------------------------------------------------------------------

    def _add_node(self, kind: str, name: str, inputs: list, type_info: TypeInformation, fields=None,
                  parallelism: int = DEFAULT_PARALLELISM) -> Node:
        node = Node(self._next_id, kind, name, inputs, type_info, fields, parallelism)
        self._next_id += 1
        return node

    def _add_sink(self, node: Node) -> None:
        self._sinks.append(node)

    def _runtime_mode_name(self) -> str:
        mode = self._runtime_mode
        if mode is None and self._config.contains_key(RUNTIME_MODE_OPTION):
            text = self._config.get_string(RUNTIME_MODE_OPTION).strip().upper()
            if text not in RuntimeExecutionMode.__members__:
                raise PlanError(f"configuration option {RUNTIME_MODE_OPTION!r} must be STREAMING, BATCH or "
                                f"AUTOMATIC, got {self._config.get_string(RUNTIME_MODE_OPTION)!r}")
            mode = RuntimeExecutionMode[text]
        if mode is None:
            return "STREAMING"
        # AUTOMATIC is BATCH when all sources are bounded, and every source PyFlow has is bounded.
        return "BATCH" if mode is RuntimeExecutionMode.AUTOMATIC else mode.name

    def _check_max_parallelism(self, sinks: list) -> None:
        """No operator may have more subtasks than there are key groups (Flink refuses such a job too)."""
        from pyflow.datastream.plan import reachable_nodes
        max_parallelism = self.get_max_parallelism()
        limit = ENGINE_KEY_GROUPS if max_parallelism == -1 else max_parallelism
        default = self.get_parallelism()
        for node in reachable_nodes(sinks):
            if node.kind in ("partition", "union", "side_output", "key_by", "partition_custom"):
                continue  # not operators, or (key_by, partition_custom) run at their input's parallelism
            p = default if node.parallelism == DEFAULT_PARALLELISM else node.parallelism
            if p > 2**31 - 1:
                continue  # past 32 bits: build_plan's parallelism check refuses it, saying so
            if p > limit:
                raise PlanError(f"'{node.name}' would run at parallelism {p}, above the max parallelism {limit} "
                                f"(the number of key groups, option {MAX_PARALLELISM_OPTION!r}); raise it with "
                                f"env.set_max_parallelism({p}) or lower the parallelism")

    def _take_plan(self, job_name: str, extra_sinks: tuple = ()) -> JobPlan:
        """The plan of the next execution: this env's sinks plus ``extra_sinks``. The env forgets its sinks."""
        if not isinstance(job_name, str):
            raise TypeError(f"job_name must be a str, got {type(job_name).__name__}")
        sinks = self._sinks + list(extra_sinks)
        self._check_max_parallelism(sinks)
        plan = build_plan(job_name, self.get_parallelism(), self._runtime_mode_name(), self._config.to_dict(), sinks)
        self._sinks = []
        return plan
