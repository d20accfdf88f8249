"""PyFlink's public names, for the modules and classes PyFlow mirrors (data only).

Taken from Apache Flink's own source, ``flink-python/pyflink`` in github.com/apache/flink, as stored in the
reference index, each list from the newest stored version of its file: PyFlink 1.20 to 2.x (the
``pyflink.datastream`` ``__all__`` lists ``ExternalizedCheckpointRetention``, new in 1.20, next to the state
backends 2.0 removed; ``.functions`` has the async functions of 2.x). The ``pyflink.common`` list is the stored ``__all__`` without the row (de)serialization schemas that
1.16 moved to ``pyflink.datastream.formats``, plus ``ConfigOption``/``ConfigOptions``/``Time``/``Instant``, which
it exports since.

- module names: each module's ``__all__`` (and, for ``pyflink.datastream.connectors``, the names its
  ``_install()`` adds for backward compatibility);
- class methods: the API reference's autosummary lists (``flink-python/docs/reference/pyflink.datastream/
  datastream.rst`` and ``stream_execution_environment.rst``), plus the methods 1.16+ added to the stream
  classes that those lists leave out (``DataStream.window_all``/``get_side_output``/``cache``, ``KeyedStream``'s
  ``sum``/``min``/``max``/``min_by``/``max_by``/``count_window``, ``side_output_late_data``/``reduce``/
  ``aggregate`` on the windowed streams and ``AllWindowedStream``).
- ``Types``: the factories listed in ``flink-python/docs/reference/pyflink.common/typeinfo.rst``.

Names are PyFlink's; the modules are given under their ``pyflow.`` paths (``pyflink.`` -> ``pyflow.``).
Edit this table only to follow PyFlink; what PyFlow supports is computed (``pyflow._compat.completeness``),
and ``docs/migration.md`` is generated from both (``tools/gen_docs.py``).
"""

PYFLINK_VERSION = "1.20-2.x"
SOURCE = "from apache/flink's flink-python/pyflink: each module's `__all__` and the docs/reference autosummaries"

MODULES = {
    "pyflow.datastream": (
        "StreamExecutionEnvironment", "DataStream", "KeyedStream", "WindowedStream", "ConnectedStreams",
        "BroadcastStream", "BroadcastConnectedStream", "DataStreamSink", "MapFunction", "CoMapFunction",
        "FlatMapFunction", "CoFlatMapFunction", "ReduceFunction", "FilterFunction", "ProcessFunction",
        "KeyedProcessFunction", "CoProcessFunction", "KeyedCoProcessFunction", "WindowFunction",
        "ProcessWindowFunction", "AggregateFunction", "BroadcastProcessFunction", "KeyedBroadcastProcessFunction",
        "RuntimeContext", "TimerService", "CheckpointingMode", "CheckpointConfig", "ExternalizedCheckpointCleanup",
        "ExternalizedCheckpointRetention", "StateBackend", "HashMapStateBackend", "EmbeddedRocksDBStateBackend",
        "CustomStateBackend", "MemoryStateBackend", "RocksDBStateBackend", "FsStateBackend", "PredefinedOptions",
        "CheckpointStorage", "JobManagerCheckpointStorage", "FileSystemCheckpointStorage", "CustomCheckpointStorage",
        "RuntimeExecutionMode", "Window", "TimeWindow", "CountWindow", "GlobalWindow", "WindowAssigner",
        "MergingWindowAssigner", "TriggerResult", "Trigger", "TimeCharacteristic", "TimeDomain", "KeySelector",
        "Partitioner", "SourceFunction", "SinkFunction", "SlotSharingGroup", "MemorySize", "OutputTag",
        "AsyncDataStream",
    ),
    "pyflow.datastream.functions": (
        "RuntimeContext", "MapFunction", "CoMapFunction", "FlatMapFunction", "CoFlatMapFunction", "ReduceFunction",
        "AggregateFunction", "KeySelector", "FilterFunction", "Partitioner", "SourceFunction", "SinkFunction",
        "ProcessFunction", "CoProcessFunction", "KeyedProcessFunction", "KeyedCoProcessFunction", "TimerService",
        "WindowFunction", "AllWindowFunction", "ProcessWindowFunction", "ProcessAllWindowFunction",
        "BaseBroadcastProcessFunction", "BroadcastProcessFunction", "KeyedBroadcastProcessFunction",
        "AsyncFunction", "AsyncFunctionDescriptor", "AsyncBatchFunction", "AsyncBatchFunctionDescriptor",
        "AsyncRetryPredicate", "AsyncRetryStrategy",
    ),
    "pyflow.datastream.state": (
        "ValueStateDescriptor", "ValueState", "ListStateDescriptor", "ListState", "MapStateDescriptor", "MapState",
        "ReducingStateDescriptor", "ReducingState", "AggregatingStateDescriptor", "AggregatingState",
        "ReadOnlyBroadcastState", "BroadcastState", "StateTtlConfig", "OperatorStateStore",
    ),
    "pyflow.datastream.window": (
        "Window", "TimeWindow", "CountWindow", "GlobalWindow", "WindowAssigner", "TumblingProcessingTimeWindows",
        "TumblingEventTimeWindows", "SlidingProcessingTimeWindows", "SlidingEventTimeWindows",
        "ProcessingTimeSessionWindows", "EventTimeSessionWindows", "DynamicProcessingTimeSessionWindows",
        "DynamicEventTimeSessionWindows", "GlobalWindows", "MergingWindowAssigner", "CountTumblingWindowAssigner",
        "CountSlidingWindowAssigner", "TriggerResult", "Trigger", "EventTimeTrigger", "ProcessingTimeTrigger",
        "ContinuousEventTimeTrigger", "ContinuousProcessingTimeTrigger", "NeverTrigger", "PurgingTrigger",
        "CountTrigger", "TimeWindowSerializer", "CountWindowSerializer", "GlobalWindowSerializer",
        "SessionWindowTimeGapExtractor",
    ),
    "pyflow.datastream.connectors": (
        "Sink", "Source", "DeliveryGuarantee",
        # added by connectors._install() "for backward compatibility"
        "NumberSequenceSource", "JdbcSink", "JdbcConnectionOptions", "JdbcExecutionOptions", "KafkaSource",
        "FlinkKafkaConsumer", "FlinkKafkaProducer", "Semantic", "PulsarSource", "PulsarSourceBuilder",
        "StartCursor", "StopCursor", "RMQSource", "RMQSink", "RMQConnectionConfig", "BucketAssigner",
        "FileEnumeratorProvider", "FileSink", "FileSplitAssignerProvider", "FileSource", "FileSourceBuilder",
        "OutputFileConfig", "RollingPolicy", "StreamFormat", "StreamingFileSink",
    ),
    "pyflow.datastream.connectors.file_system": (
        "FileCompactor", "FileCompactStrategy", "OutputFileConfig", "FileSource", "FileSourceBuilder", "FileSink",
        "StreamingFileSink", "StreamFormat", "BulkFormat", "FileEnumeratorProvider", "FileSplitAssignerProvider",
        "RollingPolicy", "BucketAssigner",
    ),
    "pyflow.datastream.connectors.number_seq": ("NumberSequenceSource",),
    "pyflow.common": (
        "Configuration", "ConfigOption", "ConfigOptions", "ExecutionConfig", "TypeInformation", "TypeSerializer",
        "Types", "SerializationSchema", "DeserializationSchema", "SimpleStringSchema", "Encoder",
        "CompletableFuture", "ExecutionMode", "InputDependencyConstraint", "JobClient", "JobExecutionResult",
        "JobID", "JobStatus", "RestartStrategies", "RestartStrategyConfiguration", "Row", "RowKind",
        "WatermarkStrategy", "Duration", "Instant", "Time",
    ),
    "pyflow.common.typeinfo": ("TypeInformation", "Types"),
    "pyflow.common.time": ("Duration", "Instant", "Time"),
    "pyflow.common.watermark_strategy": ("WatermarkStrategy", "TimestampAssigner",
                                         "AssignerWithPeriodicWatermarksWrapper"),
    "pyflow.common.configuration": ("Configuration",),
    "pyflow.common.serialization": ("SerializationSchema", "DeserializationSchema", "SimpleStringSchema",
                                    "Encoder", "BulkWriterFactory"),
}

_DATASTREAM_COMMON = (
    "get_name", "name", "uid", "set_uid_hash", "set_parallelism", "set_max_parallelism", "get_type",
    "get_execution_environment", "force_non_parallel", "set_buffer_timeout", "start_new_chain", "disable_chaining",
    "slot_sharing_group", "set_description", "map", "flat_map", "key_by", "filter", "window_all", "union",
    "connect", "shuffle", "project", "rescale", "rebalance", "forward", "broadcast", "process",
    "assign_timestamps_and_watermarks", "partition_custom", "add_sink", "sink_to", "execute_and_collect", "print",
    "get_side_output", "cache",
)
_WINDOWED = ("get_execution_environment", "get_input_type", "trigger", "allowed_lateness", "side_output_late_data",
             "reduce", "aggregate", "apply", "process")

# class -> (module it lives in, under its pyflow path; its public methods)
CLASS_METHODS = {
    "StreamExecutionEnvironment": ("pyflow.datastream", (
        "get_config", "set_parallelism", "set_max_parallelism", "register_slot_sharing_group", "get_parallelism",
        "get_max_parallelism", "set_runtime_mode", "set_buffer_timeout", "get_buffer_timeout",
        "disable_operator_chaining", "is_chaining_enabled", "get_checkpoint_config", "enable_checkpointing",
        "get_checkpoint_interval", "get_checkpointing_mode", "get_state_backend", "set_state_backend",
        "enable_changelog_state_backend", "is_changelog_state_backend_enabled", "set_default_savepoint_directory",
        "get_default_savepoint_directory", "add_default_kryo_serializer", "register_type_with_kryo_serializer",
        "register_type", "set_stream_time_characteristic", "get_stream_time_characteristic", "configure",
        "add_python_file", "set_python_requirements", "add_python_archive", "set_python_executable", "add_jars",
        "add_classpaths", "get_default_local_parallelism", "set_default_local_parallelism", "execute",
        "execute_async", "get_execution_plan", "register_cached_file", "get_execution_environment",
        "create_input", "add_source", "from_source", "read_text_file", "from_collection",
        "is_unaligned_checkpoints_enabled", "is_force_unaligned_checkpoints", "close",
    )),
    "DataStream": ("pyflow.datastream", _DATASTREAM_COMMON),
    "KeyedStream": ("pyflow.datastream", (
        "map", "flat_map", "reduce", "filter", "sum", "min", "max", "min_by", "max_by", "add_sink", "key_by",
        "process", "window", "count_window", "union", "connect", "partition_custom", "print",
    )),
    "WindowedStream": ("pyflow.datastream", _WINDOWED),
    "AllWindowedStream": ("pyflow.datastream.data_stream", _WINDOWED),
    "ConnectedStreams": ("pyflow.datastream", ("key_by", "map", "flat_map", "process")),
    "Types": ("pyflow.common.typeinfo", (
        "BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "BIG_INT", "FLOAT", "DOUBLE", "CHAR", "BIG_DEC", "STRING",
        "SQL_DATE", "SQL_TIME", "SQL_TIMESTAMP", "LOCAL_DATE", "LOCAL_TIME", "LOCAL_DATE_TIME", "INSTANT",
        "PICKLED_BYTE_ARRAY", "ROW", "ROW_NAMED", "TUPLE",
        "PRIMITIVE_ARRAY", "BASIC_ARRAY", "OBJECT_ARRAY", "MAP", "LIST",
    )),
}


def methods_of(class_names) -> frozenset:
    """The PyFlink methods of any of ``class_names`` (a class and the PyFlink classes it stands for)."""
    out = set()
    for name in class_names:
        entry = CLASS_METHODS.get(name)
        if entry:
            out.update(entry[1])
    return frozenset(out)
