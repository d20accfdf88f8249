"""``DataStream``, ``KeyedStream`` and ``DataStreamSink``, as PyFlink's. Each method adds a plan node."""
import itertools

import cloudpickle

from pyflow.common.typeinfo import TypeInformation, Types
from pyflow.datastream._keyed_functions import KeyAndValue, KeyedAdapter, KeyedReduce, needs_keyed_state
from pyflow.datastream._udf import pickle_function
from pyflow.datastream.functions import (FilterFunction, FlatMapFunction, KeySelector, MapFunction,
                                         ReduceFunction)
from pyflow.errors import PlanError
from pyflow._compat.missing import pyflink_method_getattr

__all__ = ["DataStream", "KeyedStream", "DataStreamSink"]

COLLECT_JOB_NAME = "DataStream Collect"  # Flink's default name for executeAndCollect


def _check_type(type_info, api: str, argument: str):
    if type_info is not None and not isinstance(type_info, TypeInformation):
        raise TypeError(f"{api}(): {argument} must be a TypeInformation such as Types.INT(), got {type_info!r}")
    return type_info


def _check_parallelism(parallelism, api: str) -> int:
    if not isinstance(parallelism, int) or isinstance(parallelism, bool) or parallelism < 1:
        raise PlanError(f"{api}() expects an int >= 1, got {parallelism!r}")
    return parallelism


def _check_name(value, api: str) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{api}() expects a non-empty str, got {value!r}")
    return value


def _pickle(obj, api: str, what: str) -> bytes:
    try:
        return cloudpickle.dumps(obj)
    except Exception as e:  # noqa: BLE001 - pickling fails with many exception types
        raise PlanError(f"{api}(): {what} cannot be pickled ({type(e).__name__}: {e}); Python functions run in "
                        "worker processes: avoid unpicklable fields such as open files or locks "
                        "(create them in open() or inside the function)") from e


class DataStream:
    """A stream of records of one type. Transformations return new streams; nothing runs until execute.

    >>> from pyflow.common import Types
    >>> from pyflow.datastream import StreamExecutionEnvironment
    >>> env = StreamExecutionEnvironment.get_execution_environment()
    >>> words = env.from_collection(["a b", "b"]).flat_map(str.split, output_type=Types.STRING())
    >>> counts = words.map(lambda w: (w, 1)).key_by(lambda p: p[0]).reduce(lambda a, b: (a[0], a[1] + b[1]))
    >>> counts.get_name()
    'Reduce'

    ``counts.print()`` then ``env.execute()``, or ``list(counts.execute_and_collect())``, runs it.
    """

    __getattr__ = pyflink_method_getattr  # PyFlink methods PyFlow lacks raise NotImplementedError

    def __init__(self, env, node):
        self._env = env
        self._node = node

    def __repr__(self) -> str:
        """The plan up to this stream, one line per node (see ``pyflow.datastream._render``)."""
        from pyflow.datastream._render import render_text
        return render_text(self)

    def _repr_html_(self) -> str:
        """The plan up to this stream as an HTML table (Jupyter shows it for a stream in a cell's last line)."""
        from pyflow.datastream._render import render_html
        return render_html(self)

    def get_name(self) -> str:
        """The name of the operator that produces this stream."""
        return self._node.name

    def name(self, name: str) -> "DataStream":
        """Sets the operator's name, shown in task names and errors; returns self."""
        self._node.name = _check_name(name, "DataStream.name")
        return self

    def uid(self, uid: str) -> "DataStream":
        """Sets the operator's stable id (kept for PyFlink compatibility; state restore is not built yet)."""
        self._node.uid = _check_name(uid, "DataStream.uid")
        return self

    def set_parallelism(self, parallelism: int) -> "DataStream":
        """Sets the operator's parallelism; returns self. A collection source is non-parallel (1 only)."""
        _check_parallelism(parallelism, "DataStream.set_parallelism")
        if self._node.kind in ("source.collection", "source.python") and parallelism != 1:
            raise PlanError(f"the {'collection' if self._node.kind == 'source.collection' else 'Python'} source '{self._node.name}' is non-parallel: its parallelism must be 1, "
                            f"got {parallelism}. Set the parallelism of the operators after it instead.")
        self._node.parallelism = parallelism
        return self

    def force_non_parallel(self) -> "DataStream":
        """Runs the operator as a single subtask (parallelism 1), as PyFlink's; returns self."""
        self._node.parallelism = 1
        return self

    def project(self, *field_indexes: int) -> "DataStream":
        """The fields ``field_indexes`` of each record of a ``Types.TUPLE`` stream, in that order, as a
        ``Types.TUPLE`` of their types (PyFlink's projection; the operator is named "Projection").

        >>> from pyflow.datastream import StreamExecutionEnvironment
        >>> env = StreamExecutionEnvironment.get_execution_environment()
        >>> ds = env.from_collection([(1, "a", 2.0)], Types.TUPLE([Types.INT(), Types.STRING(), Types.DOUBLE()]))
        >>> ds.project(2, 0).get_type()
        Types.TUPLE([Types.DOUBLE(), Types.INT()])
        """
        from pyflow.common._nested_types import TupleTypeInfo
        source_type = self._node.type_info
        if not isinstance(source_type, TupleTypeInfo):
            raise PlanError(f"project() needs a stream of Types.TUPLE records, this one is {source_type!r}; "
                            "give the operator before it output_type=Types.TUPLE([...]), or use map()")
        field_types = source_type.get_field_types()
        if not field_indexes or any(not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < len(field_types)
                                    for i in field_indexes):
            raise PlanError(f"project() takes one or more field indexes in 0..{len(field_types) - 1}, "
                            f"got {field_indexes!r}")
        indexes = tuple(field_indexes)
        return self.map(lambda value: tuple(value[i] for i in indexes),
                        output_type=Types.TUPLE([field_types[i] for i in indexes])).name("Projection")

    def get_type(self) -> TypeInformation:
        """The type of the records."""
        return self._node.type_info

    def _apply(self, kind: str, name: str, api: str, func, interface: type, method: str,
               type_info: TypeInformation) -> "DataStream":
        fn = pickle_function(func, interface, method, api, name)
        node = self._env._add_node(kind, name, [self._node], type_info, {"fn": fn})
        return DataStream(self._env, node)

    def map(self, func, output_type: "TypeInformation | None" = None, func_type: str = "general") -> "DataStream":
        """One output per record: ``func(value)`` or ``MapFunction.map``. Without ``output_type``
        the outputs travel pickled.

        ``func_type="pandas"`` makes the function vectorized (PyFlink's name for it): it gets a whole
        batch as a ``pandas.Series`` and returns a Series (or array) of the same length, with no
        per-record Python call in between.

        >>> from pyflow.datastream import StreamExecutionEnvironment
        >>> env = StreamExecutionEnvironment.get_execution_environment()
        >>> env.from_collection([1, 2]).map(lambda x: x * 10).get_name()
        'Map'
        >>> env.from_collection([1, 2]).map(lambda s: s * 10, func_type="pandas").get_name()
        'Map'
        """
        output_type = _check_type(output_type, "DataStream.map", "output_type") or Types.PICKLED_BYTE_ARRAY()
        if func_type not in ("general", "pandas"):
            raise PlanError(f"DataStream.map(): func_type must be 'general' or 'pandas', got {func_type!r}")
        kind = "python.map_pandas" if func_type == "pandas" else "python.map"
        return self._apply(kind, "Map", "DataStream.map", func, MapFunction, "map", output_type)

    def flat_map(self, func, output_type: "TypeInformation | None" = None) -> "DataStream":
        """Any number of outputs per record: ``func`` returns an iterable or yields (or ``FlatMapFunction``)."""
        output_type = _check_type(output_type, "DataStream.flat_map", "output_type") or Types.PICKLED_BYTE_ARRAY()
        return self._apply("python.flat_map", "Flat Map", "DataStream.flat_map", func, FlatMapFunction, "flat_map",
                           output_type)

    def filter(self, func) -> "DataStream":
        """Keeps the records for which ``func(value)`` (or ``FilterFunction.filter``) is true."""
        return self._apply("python.filter", "Filter", "DataStream.filter", func, FilterFunction, "filter",
                           self._node.type_info)

    def process(self, func, output_type: "TypeInformation | None" = None) -> "DataStream":
        """Runs a ``ProcessFunction`` per record (``process_element(value, ctx)`` yields the outputs);
        it may send records to side outputs: yield ``(output_tag, value)`` or call ``ctx.output``, and read
        them with ``get_side_output(output_tag)``. Fused with the Python functions around it."""
        from pyflow.datastream.functions import ProcessFunction
        _check_type(output_type, "DataStream.process", "output_type")
        if not isinstance(func, ProcessFunction):
            raise TypeError(f"DataStream.process() expects a ProcessFunction, got {type(func).__qualname__}"
                            " (a KeyedProcessFunction needs key_by(...) first)")
        fn = _pickle(func, "DataStream.process", type(func).__qualname__)
        node = self._env._add_node("python.process", "Process", [self._node],
                                   output_type or Types.PICKLED_BYTE_ARRAY(), {"fn": fn})
        return DataStream(self._env, node)

    def get_side_output(self, output_tag) -> "DataStream":
        """The records this operator sent to the side output ``output_tag``, a stream of the tag's type
        (PyFlink's ``get_side_output``). Records sent to a tag nobody reads are dropped, as in Flink."""
        from pyflow.datastream._side_output import side_output_of
        return side_output_of(self, output_tag)

    def window_all(self, window_assigner):
        """Windows over the whole stream, not per key (PyFlink's ``window_all``); runs at parallelism 1.
        ``process`` takes a ``ProcessAllWindowFunction`` (``process(context, elements)``)."""
        from pyflow.datastream.windowed_stream import window_all_of
        return window_all_of(self, window_assigner)

    def union(self, *streams: "DataStream") -> "DataStream":
        """This stream and ``streams``, all of one type, as one stream (PyFlink's ``union``)."""
        if not streams:
            raise PlanError("DataStream.union() needs at least one other stream")
        for other in streams:
            if not isinstance(other, DataStream) or other._env is not self._env:
                raise PlanError(f"DataStream.union(): {other!r} is not a stream of the same environment")
            if other._node.type_info != self._node.type_info:
                raise PlanError(f"DataStream.union(): every stream must have one type; {self._node.type_info!r} and "
                                f"{other._node.type_info!r} differ (map them to one type first)")
        node = self._env._add_node("union", "Union", [self._node] + [s._node for s in streams], self._node.type_info)
        return DataStream(self._env, node)

    def _partition(self, strategy: str) -> "DataStream":
        node = self._env._add_node("partition", strategy.capitalize(), [self._node], self._node.type_info,
                                   {"strategy": strategy})
        return DataStream(self._env, node)

    def rebalance(self) -> "DataStream":
        """Spreads records round robin over the next operator's subtasks."""
        return self._partition("rebalance")

    def rescale(self) -> "DataStream":
        """Round robin over a subset of the next operator's subtasks, local to each producer."""
        return self._partition("rescale")

    def shuffle(self) -> "DataStream":
        """Each record to a random subtask of the next operator."""
        return self._partition("shuffle")

    def broadcast(self) -> "DataStream":
        """Every record to every subtask of the next operator."""
        return self._partition("broadcast")

    def forward(self) -> "DataStream":
        """Each subtask's records to the same subtask of the next operator (equal parallelism)."""
        return self._partition("forward")

    def connect(self, ds: "DataStream"):
        """This stream and ``ds`` (of any type) as ``ConnectedStreams``, for co-map, co-flat-map and co-process."""
        from pyflow.datastream.connected_streams import ConnectedStreams
        if not isinstance(ds, DataStream) or ds._env is not self._env:
            raise TypeError(f"DataStream.connect() expects a DataStream of the same environment, got {ds!r}")
        return ConnectedStreams(self, ds)

    def partition_custom(self, partitioner, key_selector) -> "DataStream":
        """Sends each record to the partition ``partitioner.partition(key, num_partitions)`` chooses for its
        ``key_selector(value)`` (PyFlink's ``Partitioner`` and ``KeySelector``, or callables); both run in a
        worker, fused with the functions before. ``num_partitions`` is the next operator's parallelism."""
        from pyflow.datastream._partition import CustomPartition
        fn = _pickle(CustomPartition(partitioner, key_selector), "DataStream.partition_custom", "the partitioner")
        node = self._env._add_node("partition_custom", "Custom Partition", [self._node], self._node.type_info,
                                   {"fn": fn})
        return DataStream(self._env, node)

    def assign_timestamps_and_watermarks(self, watermark_strategy) -> "DataStream":
        """Gives records event timestamps (from the strategy's timestamp assigner, a Python function run in
        a worker) and the stream watermarks, per ``watermark_strategy`` (``pyflow.common.WatermarkStrategy``)."""
        from pyflow.common.watermark_strategy import WatermarkStrategy
        if not isinstance(watermark_strategy, WatermarkStrategy):
            raise TypeError("DataStream.assign_timestamps_and_watermarks() expects a WatermarkStrategy, "
                            f"got {watermark_strategy!r}")
        fields = watermark_strategy._to_plan()
        assigner = watermark_strategy._assigner_callable()
        if assigner is not None:
            fields["fn"] = _pickle(assigner, "DataStream.assign_timestamps_and_watermarks", "the timestamp assigner")
        node = self._env._add_node("assign_timestamps", "Timestamps/Watermarks", [self._node], self._node.type_info,
                                   fields)
        return DataStream(self._env, node)

    def key_by(self, key_selector, key_type: "TypeInformation | None" = None) -> "KeyedStream":
        """Partitions the stream by ``key_selector(value)`` (or ``KeySelector.get_key``).

        Keys compare by value (str, int, float, bool, bytes, None, tuples of those). ``key_type`` is
        accepted for PyFlink compatibility; keys travel in a canonical encoding, so it is not needed.
        """
        _check_type(key_type, "DataStream.key_by", "key_type")
        fn = pickle_function(key_selector, KeySelector, "get_key", "DataStream.key_by", "Key By")
        node = self._env._add_node("key_by", "Key By", [self._node], self._node.type_info, {"fn": fn})
        keyed = KeyedStream(self._env, node)
        keyed._key_selector, keyed._key_type = key_selector, key_type
        return keyed

    def print(self, sink_identifier: "str | None" = None) -> "DataStreamSink":
        """Prints every record (``str(value)``) to the driver's stdout when the job runs, prefixed as Flink
        does: ``"{identifier}:{subtask}> "`` with the parts that apply (subtask only at parallelism > 1)."""
        if sink_identifier is not None and not isinstance(sink_identifier, str):
            raise TypeError(f"DataStream.print(): sink_identifier must be a str, got {sink_identifier!r}")
        node = self._env._add_node("sink.print", "Print to Std. Out", [self._node], self._node.type_info)
        node.sink_identifier = sink_identifier
        self._env._add_sink(node)
        return DataStreamSink(node)

    def sink_to(self, sink) -> "DataStreamSink":
        """Writes the stream with ``sink``: a ``FileSink`` (``FileSink.for_row_format(path,
        Encoder.simple_string_encoder())...``) writes each record as the line ``str(record)``, computed in Python,
        fused with the functions before it; a ``KafkaSink`` writes each record with its value schema in the
        engine; a ``DiscardingSink`` (a PyFlow extension) drops the records in the
        engine."""
        from pyflow.datastream.connectors.discarding import DiscardingSink
        from pyflow.datastream.connectors.file_system import FileSink
        from pyflow.datastream.connectors.kafka import KafkaSink
        if isinstance(sink, DiscardingSink):
            node = self._env._add_node("sink.discard", "Discarding Sink", [self._node], self._node.type_info,
                                       sink._fields())
            self._env._add_sink(node)
            return DataStreamSink(node)
        if isinstance(sink, KafkaSink):
            if self._node.type_info != sink._type_info:
                raise TypeError(f"sink_to(KafkaSink): the stream's type {self._node.type_info!r} differs from the "
                                f"value schema's {sink._type_info!r}; map the stream to that type first "
                                "(map(..., output_type=...))")
            node = self._env._add_node("sink.kafka", "Kafka Sink", [self._node], self._node.type_info, sink._fields())
            self._env._add_sink(node)
            return DataStreamSink(node)
        if not isinstance(sink, FileSink):
            raise TypeError(f"sink_to() expects a FileSink, a KafkaSink or a DiscardingSink "
                            f"(pyflow.datastream.connectors), got {type(sink).__name__}")
        lines = self.map(str, output_type=Types.STRING()).name("Encoder")
        node = self._env._add_node("sink.file", "File Sink", [lines._node], Types.STRING(), sink._fields())
        self._env._add_sink(node)
        return DataStreamSink(node)

    def add_sink(self, sink_func) -> "DataStreamSink":
        """Adds a sink: PyFlow's ``FileSink`` (as ``sink_to``), or a Python ``SinkFunction`` whose
        ``invoke(value, context)`` runs per record, in order within each subtask, in a Python worker fused with
        the Python functions before it (``open``/``close`` around it). See ``pyflow.datastream._sinks``."""
        from pyflow.datastream._sinks import add_sink
        return add_sink(self, sink_func)

    def execute_and_collect(self, job_execution_name: "str | None" = None, limit: "int | None" = None):
        """Runs the job and returns its records, as PyFlink: a ``CloseableIterator`` that yields them as they
        arrive, or, with ``limit``, a list of at most ``limit`` records (the job is then cancelled).

        The job also runs the sinks added with ``print()`` before. Close the iterator (or use ``with``) when
        you stop early; that cancels the job::

            with ds.execute_and_collect() as results:
                for value in results:
                    ...
        """
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise PlanError(f"execute_and_collect(): limit must be an int >= 1, got {limit!r}")
        from pyflow._gateway import collect_plan
        node = self._env._add_node("sink.collect", "Data stream collect sink", [self._node], self._node.type_info)
        job_plan = self._env._take_plan(job_execution_name or COLLECT_JOB_NAME, extra_sinks=(node,))
        results = collect_plan(job_plan)
        if limit is None:
            return results
        with results:
            return list(itertools.islice(results, limit))

    def collect(self, job_execution_name: "str | None" = None, limit: "int | None" = None) -> list:
        """Runs the job and returns all its records (at most ``limit``) as a list: ``execute_and_collect`` for
        notebooks::

            env.from_collection([1, 2]).map(lambda x: x * 10).collect()  # [10, 20]
        """
        from pyflow.datastream._notebook import collect
        return collect(self, job_execution_name, limit)

    def to_pandas(self, job_execution_name: "str | None" = None, limit: "int | None" = None):
        """Runs the job and returns its records as a pandas DataFrame: one column per field of a declared
        ``Types.ROW_NAMED`` (its names) or ``Types.ROW``/``Types.TUPLE`` (f0, f1, ...), else one column ``f0``;
        dtypes follow the field types (see ``pyflow.datastream._notebook``)."""
        from pyflow.datastream._notebook import to_pandas
        return to_pandas(self, job_execution_name, limit)


class KeyedStream(DataStream):
    """A stream partitioned by key (from ``DataStream.key_by``): ``reduce`` keeps a value per key.

    As in PyFlink, the partitioning itself has no name, uid or parallelism: set them on the operator after it,
    and it cannot be partitioned again (``shuffle``, ``rebalance``, ... raise).
    """

    _key_selector = None  # set by DataStream.key_by
    _key_type = None

    def map(self, func, output_type: "TypeInformation | None" = None, func_type: str = "general") -> DataStream:
        """As ``DataStream.map``; a ``MapFunction`` object with ``open(runtime_context)`` may use keyed state
        there (``runtime_context.get_state(ValueStateDescriptor(...))``), scoped to each record's key."""
        if func_type == "general" and needs_keyed_state(func):
            return self._keyed(func, "map", "Map", output_type, MapFunction)
        return super().map(func, output_type, func_type)

    def flat_map(self, func, output_type: "TypeInformation | None" = None) -> DataStream:
        """As ``DataStream.flat_map``; a ``FlatMapFunction`` object with ``open`` may use keyed state."""
        if needs_keyed_state(func):
            return self._keyed(func, "flat_map", "FlatMap", output_type, FlatMapFunction)
        return super().flat_map(func, output_type)

    def filter(self, func) -> DataStream:
        """As ``DataStream.filter``; a ``FilterFunction`` object with ``open`` may use keyed state."""
        if needs_keyed_state(func):
            return self._keyed(func, "filter", "Filter", self._node.type_info, FilterFunction)
        return super().filter(func)

    def _keyed(self, func, kind: str, name: str, output_type, interface: type) -> DataStream:
        api = f"KeyedStream.{kind}"
        _check_type(output_type, api, "output_type")
        if not isinstance(func, interface):
            raise TypeError(f"{api}() expects a callable or a {interface.__name__}, got {type(func).__qualname__}")
        fn = _pickle(KeyedAdapter(func, kind), api, type(func).__qualname__)
        node = self._env._add_node("python.keyed_process", name, [self._node],
                                   output_type or Types.PICKLED_BYTE_ARRAY(), {"fn": fn})
        return DataStream(self._env, node)

    def execute_and_collect(self, job_execution_name: "str | None" = None, limit: "int | None" = None):
        """Runs the job and returns each record with its key, as PyFlink does for a keyed stream:
        ``Row(f0=key, f1=value)`` (typed ``Types.ROW([key_type, type])``; the key pickled without ``key_type``)."""
        return self._with_keys("execute_and_collect").execute_and_collect(job_execution_name, limit)

    def to_pandas(self, job_execution_name: "str | None" = None, limit: "int | None" = None):
        """As ``execute_and_collect``, as a DataFrame: column ``f0`` the keys, ``f1`` the records."""
        return self._with_keys("to_pandas").to_pandas(job_execution_name, limit)

    def _with_keys(self, api: str) -> DataStream:
        key_type = self._key_type or Types.PICKLED_BYTE_ARRAY()
        return DataStream._apply(self, "python.map", "Map", f"KeyedStream.{api}", KeyAndValue(self._key_selector),
                                 MapFunction, "map", Types.ROW([key_type, self._node.type_info]))

    def _refuse_partitioning(self):
        # PyFlink raises a plain Exception with this message (Flink's Java one is an UnsupportedOperationException).
        raise Exception("Cannot override partitioning for KeyedStream. key_by already partitions the stream by key; "
                        "apply shuffle/rebalance/rescale/broadcast/forward/partition_custom before key_by, or to the "
                        "stream an operator after it returns.")

    def shuffle(self):
        """Not supported (as in PyFlink): raises Exception('Cannot override partitioning for KeyedStream.')."""
        self._refuse_partitioning()

    def rebalance(self):
        """Not supported (as in PyFlink): raises Exception('Cannot override partitioning for KeyedStream.')."""
        self._refuse_partitioning()

    def rescale(self):
        """Not supported (as in PyFlink): raises Exception('Cannot override partitioning for KeyedStream.')."""
        self._refuse_partitioning()

    def broadcast(self, *args):
        """Not supported (as in PyFlink): raises Exception('Cannot override partitioning for KeyedStream.')."""
        self._refuse_partitioning()

    def forward(self):
        """Not supported (as in PyFlink): raises Exception('Cannot override partitioning for KeyedStream.')."""
        self._refuse_partitioning()

    def partition_custom(self, partitioner, key_selector):
        """Not supported (as in PyFlink): raises Exception('Cannot override partitioning for KeyedStream.')."""
        self._refuse_partitioning()

    def reduce(self, func) -> DataStream:
        """Rolling reduce per key: emits ``func(accumulator, value)`` (or ``ReduceFunction.reduce``) for every
        record; the first record of a key is emitted as is. The output type is the input type. A
        ``ReduceFunction`` object with ``open(runtime_context)`` may use keyed state there."""
        if needs_keyed_state(func):
            if not isinstance(func, ReduceFunction):
                raise TypeError(f"KeyedStream.reduce() expects a callable or a ReduceFunction, got {type(func).__qualname__}")
            fn = _pickle(KeyedReduce(func), "KeyedStream.reduce", type(func).__qualname__)
            node = self._env._add_node("python.keyed_process", "Reduce", [self._node], self._node.type_info, {"fn": fn})
            return DataStream(self._env, node)
        return self._apply("python.reduce", "Reduce", "KeyedStream.reduce", func, ReduceFunction, "reduce",
                           self._node.type_info)

    def process(self, func, output_type: "TypeInformation | None" = None) -> DataStream:
        """Runs a ``KeyedProcessFunction`` per record, with keyed state (``open(runtime_context)``) and timers.
        Its state lives in the engine's state backend and travels to the worker with each batch."""
        from pyflow.datastream.functions import KeyedProcessFunction
        _check_type(output_type, "KeyedStream.process", "output_type")
        if not isinstance(func, KeyedProcessFunction):
            raise TypeError(f"KeyedStream.process() expects a KeyedProcessFunction, got {type(func).__qualname__}")
        fn = _pickle(func, "KeyedStream.process", type(func).__qualname__)
        node = self._env._add_node("python.keyed_process", "Keyed Process", [self._node],
                                   output_type or Types.PICKLED_BYTE_ARRAY(), {"fn": fn})
        return DataStream(self._env, node)

    def sum(self, position_to_sum=0) -> DataStream:
        """Rolling sum per key of the field ``position_to_sum`` (an index of a tuple, list or Row, a Row
        field name, or 0 for plain numbers); the other fields are those of the key's first record."""
        from pyflow.datastream._keyed_aggregations import aggregation
        return self._aggregate(aggregation("sum", position_to_sum))

    def min(self, position_to_min=0) -> DataStream:
        """Rolling minimum per key of one field; the other fields are those of the key's first record
        (Flink's ``min``; ``min_by`` gives the whole record)."""
        from pyflow.datastream._keyed_aggregations import aggregation
        return self._aggregate(aggregation("min", position_to_min))

    def max(self, position_to_max=0) -> DataStream:
        """Rolling maximum per key of one field; the other fields are those of the key's first record."""
        from pyflow.datastream._keyed_aggregations import aggregation
        return self._aggregate(aggregation("max", position_to_max))

    def min_by(self, position_to_min_by=0) -> DataStream:
        """The record with the smallest value of one field so far, per key (the first one on ties)."""
        from pyflow.datastream._keyed_aggregations import aggregation
        return self._aggregate(aggregation("min_by", position_to_min_by))

    def max_by(self, position_to_max_by=0) -> DataStream:
        """The record with the largest value of one field so far, per key (the first one on ties)."""
        from pyflow.datastream._keyed_aggregations import aggregation
        return self._aggregate(aggregation("max_by", position_to_max_by))

    def _aggregate(self, reduce_function) -> DataStream:
        return self._apply("python.reduce", "Keyed Aggregation", "KeyedStream." + reduce_function.name,
                           reduce_function, ReduceFunction, "reduce", self._node.type_info)

    def window(self, window_assigner):
        """Cuts each key's records into the windows of ``window_assigner`` (``pyflow.datastream.window``)."""
        from pyflow.datastream.windowed_stream import window_of
        return window_of(self, window_assigner)

    def count_window(self, size: int):
        """Windows of ``size`` records per key."""
        from pyflow.datastream.windowed_stream import count_window_of
        return count_window_of(self, size)

    def _unsupported(self, what: str):
        raise PlanError(f"{what} for KeyedStream is not supported (as in PyFlink): key_by is a partitioning, "
                        "not an operator. Set it on the operator after key_by, e.g. .reduce(f).set_parallelism(2).")

    def name(self, name: str):
        """Not supported (as in PyFlink): raises PlanError."""
        self._unsupported("Set name")

    def get_name(self) -> str:
        """Not supported (as in PyFlink): raises PlanError."""
        self._unsupported("Get name")

    def uid(self, uid: str):
        """Not supported (as in PyFlink): raises PlanError."""
        self._unsupported("Set uid")

    def set_parallelism(self, parallelism: int):
        """Not supported (as in PyFlink): raises PlanError."""
        self._unsupported("Set parallelism")

    def force_non_parallel(self):
        """Not supported (as in PyFlink): raises PlanError."""
        self._unsupported("Set parallelism")


class DataStreamSink:
    """A sink (from ``DataStream.print``): its name, uid and parallelism can be set."""

    def __init__(self, node):
        self._node = node

    def name(self, name: str) -> "DataStreamSink":
        """Sets the sink's name; returns self."""
        self._node.name = _check_name(name, "DataStreamSink.name")
        return self

    def uid(self, uid: str) -> "DataStreamSink":
        """Sets the sink's stable id (kept for PyFlink compatibility); returns self."""
        self._node.uid = _check_name(uid, "DataStreamSink.uid")
        return self

    def set_parallelism(self, parallelism: int) -> "DataStreamSink":
        """Sets the sink's parallelism; returns self."""
        self._node.parallelism = _check_parallelism(parallelism, "DataStreamSink.set_parallelism")
        return self
