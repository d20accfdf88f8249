"""Where a PyFlink name PyFlow has behaves differently (data for docs/migration.md).

Keys are ``module.Name`` for module names and ``Class.method`` for methods, as ``NameStatus.qualified``.
A name listed here and supported shows as "differs" in the migration table; a missing one shows the note as
the way around it.
"""

NOTES = {
    "pyflow.datastream.StreamExecutionEnvironment":
        "Jobs run on PyFlow's C# engine (a host process), not a JVM; options keep Flink's names.",
    "StreamExecutionEnvironment.get_execution_environment":
        "`configuration` also takes `python.execution-mode` (`process` or `thread`).",
    "StreamExecutionEnvironment.get_config":
        "The ExecutionConfig has the auto-watermark interval only.",
    "StreamExecutionEnvironment.execute":
        "Returns a JobExecutionResult; a failed job raises a JobExecutionError subclass (pyflow.common).",
    "StreamExecutionEnvironment.from_collection":
        "Without `type_info` the elements travel pickled (as PyFlink's PICKLED_BYTE_ARRAY).",
    "StreamExecutionEnvironment.enable_checkpointing":
        "Checkpoints alone do not turn restarts on (Flink then restarts without end): set a restart strategy.",
    "StreamExecutionEnvironment.set_state_backend":
        "HashMapStateBackend or EmbeddedRocksDBStateBackend; RocksDB snapshots are full, never incremental.",
    "pyflow.datastream.FileSystemCheckpointStorage": "Local directories (a path or a file:// URI) only.",
    "pyflow.datastream.CheckpointConfig":
        "One checkpoint in flight at most; retention is `set_num_retained_checkpoints` (PyFlow's) or the option.",
    "StreamExecutionEnvironment.read_text_file":
        "Bounded: reads the file (or the files of a directory) once. Invalid UTF-8 fails the job naming file, line and "
        "byte offset (Flink replaces it) unless `pyflow.source.invalid-utf8: replace`; a line over "
        "`pyflow.source.max-line-length` (64 mb) fails naming file and line.",
    "DataStream.map": "Also takes `func_type=\"pandas\"`: a vectorized function over a pandas Series per batch.",
    "DataStream.key_by": "`key_type` is accepted and not needed: keys travel in a canonical encoding.",
    "DataStream.window_all": "Runs at parallelism 1; `process` takes a ProcessAllWindowFunction.",
    "DataStream.sink_to": "FileSink with a row format (one `str(record)` line per record) only.",
    "DataStream.print": "Prints on the driver's stdout, prefixed as Flink does.",
    "DataStream.execute_and_collect": "With `limit`, the job is cancelled once `limit` records arrived.",
    "KeyedStream.process": "Takes a KeyedProcessFunction; state and timers as PyFlink's.",
    "WindowedStream.trigger": "The built-in triggers (run by the engine); a Python Trigger subclass is refused.",
    "AllWindowedStream.trigger": "The built-in triggers (run by the engine); a Python Trigger subclass is refused.",
    "WindowedStream.side_output_late_data":
        "A tag without `type_info` carries the window's input type (PyFlink's would carry pickled objects).",
    "AllWindowedStream.side_output_late_data":
        "A tag without `type_info` carries the window's input type (PyFlink's would carry pickled objects).",
    "KeyedStream.map": "A MapFunction object with `open()` runs as a keyed process (keyed state available); a "
                       "lambda or plain function stays a fused, stateless map.",
    "KeyedStream.flat_map": "A FlatMapFunction object with `open()` runs as a keyed process (keyed state "
                            "available); a lambda or plain function stays fused.",
    "KeyedStream.filter": "A FilterFunction object with `open()` runs as a keyed process (keyed state available); "
                          "a lambda or plain function stays fused.",
    "KeyedStream.reduce": "A ReduceFunction object with `open()` runs as a keyed process (keyed state "
                          "available); a lambda or plain function stays PyFlow's batched reduce.",
    "pyflow.datastream.state.StateTtlConfig":
        "Processing-time TTL per value, list element and map entry; expired state is dropped when its key's state "
        "is written (and on read); the cleanup strategies are accepted and kept for their getters.",
    "pyflow.datastream.state.AggregatingStateDescriptor": "`state_type_info` is optional: state values travel pickled.",
    "StreamExecutionEnvironment.add_source":
        "Takes a Python SourceFunction (`run(ctx)`/`cancel()`, non-parallel, run in a Python worker) or PyFlow's "
        "sources (NumberSequenceSource, DataGeneratorSource, FileSource).",
    "pyflow.datastream.SourceFunction":
        "Written in Python (`run(ctx)` with `ctx.collect`/`collect_with_timestamp`, `cancel()`), not a Java "
        "source wrapper; `emit_watermark` is not supported.",
    "pyflow.datastream.functions.SourceFunction":
        "Written in Python (`run(ctx)` with `ctx.collect`/`collect_with_timestamp`, `cancel()`), not a Java "
        "source wrapper; `emit_watermark` is not supported.",
    "DataStream.add_sink":
        "Takes a FileSink, or a Python SinkFunction (`invoke(value, context)`, run in a Python worker); PyFlink's "
        "SinkFunction wraps a Java sink.",
    "pyflow.datastream.SinkFunction": "Written in Python (`invoke(value, context)`), not a Java sink wrapper.",
    "pyflow.datastream.functions.SinkFunction": "Written in Python (`invoke(value, context)`), not a Java sink wrapper.",
    "pyflow.datastream.CountWindow":
        "Exported for PyFlink code naming it; count windows' functions see a GlobalWindow.",
    "pyflow.datastream.window.CountWindow":
        "Exported for PyFlink code naming it; count windows' functions see a GlobalWindow.",
    "pyflow.datastream.Trigger": "The built-in triggers only: a Python Trigger subclass is refused.",
    "pyflow.datastream.window.Trigger": "The built-in triggers only: a Python Trigger subclass is refused.",
    "pyflow.datastream.WindowAssigner": "The built-in assigners only (the engine assigns windows).",
    "pyflow.datastream.MergingWindowAssigner": "The built-in session assigners only.",
    "pyflow.datastream.window.MergingWindowAssigner": "The built-in session assigners only.",
    "pyflow.common.RowKind": "Exported; DataStream rows are inserts (Row has no kind).",
    "pyflow.common.ExecutionConfig": "The auto-watermark interval only.",
    "pyflow.datastream.state.ValueStateDescriptor": "`type_info` is optional: state values travel pickled.",
    "pyflow.datastream.state.ListStateDescriptor": "`type_info` is optional: state values travel pickled.",
    "pyflow.datastream.state.MapStateDescriptor": "`type_info`s are optional: state values travel pickled.",
    "pyflow.datastream.state.ReducingStateDescriptor": "`type_info` is optional: state values travel pickled.",
    "pyflow.datastream.connectors.FileSource": "Text lines (StreamFormat.text_line_format) only.",
    "pyflow.datastream.connectors.file_system.FileSource": "Text lines (StreamFormat.text_line_format) only.",
    "pyflow.datastream.connectors.FileSink": "Row format with Encoder.simple_string_encoder() only.",
    "pyflow.datastream.connectors.file_system.FileSink": "Row format with Encoder.simple_string_encoder() only.",
    "Types.BIG_INT": "Travels as a 64-bit int: larger values are refused.",
    "Types.FLOAT": "Travels as a 64-bit float.",
    "Types.PRIMITIVE_ARRAY": "Not of CHAR (CHAR is missing).",
    "Types.BIG_DEC": "Decimal(38, 18): more digits are refused, never rounded.",
    "Types.SQL_TIME": "Whole milliseconds, as PyFlink's; a time with microseconds is refused, not truncated.",
    "Types.SQL_TIMESTAMP": "Microseconds (PyFlink keeps milliseconds).",
    "Types.INSTANT": "Microseconds and years 1..9999; other Instants are refused.",
}
