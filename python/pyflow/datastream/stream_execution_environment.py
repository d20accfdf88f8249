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
        """The state backend set (``HashMapStateBackend`` unless set)."""
        from pyflow.datastream.state_backend import EmbeddedRocksDBStateBackend, HashMapStateBackend
        kind = (self._config.get_string("state.backend.type") or "hashmap").strip().lower()
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

    def _take_plan(self, job_name: str, extra_sinks: tuple = ()) -> JobPlan:
        """The plan of the next execution: this env's sinks plus ``extra_sinks``. The env forgets its sinks."""
        if not isinstance(job_name, str):
            raise TypeError(f"job_name must be a str, got {type(job_name).__name__}")
        sinks = self._sinks + list(extra_sinks)
        plan = build_plan(job_name, self.get_parallelism(), self._runtime_mode_name(), self._config.to_dict(), sinks)
        self._sinks = []
        return plan
