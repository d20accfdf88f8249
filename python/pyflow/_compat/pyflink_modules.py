"""PyFlink's public modules, under their ``pyflow.`` paths (data only), for the modules PyFlow may lack.

Taken from the ``flink-python/pyflink`` tree of github.com/apache/flink (PyFlink 1.20 to 2.x, as stored in the
reference index): the Table API package, the DataStream connectors and formats, metrics, async I/O, the
``pyflink.common`` and ``pyflink.datastream`` modules PyFlow has no file for, and the JVM-side helpers Flink's
own tests import (``java_gateway``, ``util.java_utils``, ``testing.test_case_utils``). Internals with no user
API (``fn_execution``, ``gen_protos``, the gateway servers) are left out.

A module listed here that PyFlow has as a real file is simply used (``missing_modules`` only answers for the
ones that are absent); whether each one is a stand-in is computed, never kept here.
"""

PYFLINK_MODULES = (
    # the Table API
    "pyflow.table", "pyflow.table.catalog", "pyflow.table.changelog_mode", "pyflow.table.compiled_plan",
    "pyflow.table.data_view", "pyflow.table.descriptors", "pyflow.table.environment_settings",
    "pyflow.table.explain_detail", "pyflow.table.expression", "pyflow.table.expressions",
    "pyflow.table.functions", "pyflow.table.module", "pyflow.table.result_kind", "pyflow.table.schema",
    "pyflow.table.sinks", "pyflow.table.sources", "pyflow.table.sql_dialect", "pyflow.table.statement_set",
    "pyflow.table.table", "pyflow.table.table_config", "pyflow.table.table_descriptor",
    "pyflow.table.table_environment", "pyflow.table.table_pipeline", "pyflow.table.table_result",
    "pyflow.table.table_schema", "pyflow.table.types", "pyflow.table.udf", "pyflow.table.window",
    # DataStream connectors and formats
    "pyflow.datastream.connectors.base", "pyflow.datastream.connectors.kafka",
    "pyflow.datastream.connectors.dynamic_kafka", "pyflow.datastream.connectors.pulsar",
    "pyflow.datastream.connectors.elasticsearch", "pyflow.datastream.connectors.jdbc",
    "pyflow.datastream.connectors.rabbitmq", "pyflow.datastream.connectors.cassandra",
    "pyflow.datastream.connectors.kinesis", "pyflow.datastream.connectors.pubsub",
    "pyflow.datastream.connectors.hybrid_source", "pyflow.datastream.connectors.file_system",
    "pyflow.datastream.connectors.number_seq",
    "pyflow.datastream.formats", "pyflow.datastream.formats.base", "pyflow.datastream.formats.avro",
    "pyflow.datastream.formats.csv", "pyflow.datastream.formats.json", "pyflow.datastream.formats.parquet",
    "pyflow.datastream.formats.orc",
    # DataStream modules
    "pyflow.datastream.async_data_stream", "pyflow.datastream.async_retry_predicates",
    "pyflow.datastream.async_retry_strategies", "pyflow.datastream.slot_sharing_group",
    "pyflow.datastream.time_characteristic", "pyflow.datastream.time_domain", "pyflow.datastream.timerservice",
    "pyflow.datastream.externalized_checkpoint_retention",
    # pyflink.common modules
    "pyflow.common.completable_future", "pyflow.common.config_options", "pyflow.common.execution_mode",
    "pyflow.common.input_dependency_constraint", "pyflow.common.types",
    # metrics
    "pyflow.metrics", "pyflow.metrics.metricbase",
    # the JVM-side helpers PyFlink programs and Flink's tests import
    "pyflow.java_gateway", "pyflow.util", "pyflow.util.java_utils", "pyflow.testing",
    "pyflow.testing.test_case_utils",
)
