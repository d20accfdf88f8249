"""Every PyFlink module PyFlow lacks imports, and using a name in it raises NotImplementedError naming the
module and docs/migration.md (not a ModuleNotFoundError or ImportError); real PyFlow modules stay real."""
import importlib
import subprocess
import sys

import pytest

from pyflow._compat.missing_modules import MissingModule, is_stand_in
from pyflow._compat.pyflink_modules import PYFLINK_MODULES

# A PyFlink name of each module (the error is the same for any public name of a stand-in).
A_NAME = {
    "pyflow.table": "TableEnvironment", "pyflow.table.expressions": "col", "pyflow.table.udf": "udf",
    "pyflow.table.types": "DataTypes", "pyflow.table.table_environment": "StreamTableEnvironment",
    "pyflow.datastream.connectors.kafka": "KafkaSource", "pyflow.datastream.connectors.pulsar": "PulsarSource",
    "pyflow.datastream.connectors.elasticsearch": "Elasticsearch7SinkBuilder",
    "pyflow.datastream.connectors.jdbc": "JdbcSink", "pyflow.datastream.connectors.rabbitmq": "RMQSource",
    "pyflow.datastream.connectors.cassandra": "CassandraSink", "pyflow.datastream.connectors.kinesis":
        "FlinkKinesisConsumer", "pyflow.datastream.formats.avro": "AvroSchema",
    "pyflow.datastream.formats.csv": "CsvSchema", "pyflow.datastream.formats.json": "JsonRowSerializationSchema",
    "pyflow.datastream.formats.parquet": "ParquetColumnarRowInputFormat", "pyflow.datastream.formats.orc":
        "OrcBulkWriters", "pyflow.datastream.async_data_stream": "AsyncDataStream", "pyflow.metrics": "Counter",
    "pyflow.java_gateway": "get_gateway", "pyflow.testing.test_case_utils": "PyFlinkStreamingTestCase",
}


@pytest.mark.parametrize("module_name", PYFLINK_MODULES)
def test_each_pyflink_module_imports_and_names_what_is_missing(module_name):
    module = importlib.import_module(module_name)
    if not isinstance(module, MissingModule):
        return  # PyFlow has this module for real
    name = A_NAME.get(module_name, "SomePyFlinkName")
    with pytest.raises(NotImplementedError) as caught:
        getattr(module, name)
    message = str(caught.value)
    assert f"{module_name}.{name}" in message and "docs/migration.md" in message
    assert module_name.replace("pyflow", "pyflink", 1) in message
    with pytest.raises(AttributeError):
        module.__wrapped__  # dunders stay plain attribute errors, for inspect, pickle and doctest


def test_from_import_raises_not_implemented_not_import_error():
    with pytest.raises(NotImplementedError, match="pyflink.table is not supported"):
        from pyflow.table import StreamTableEnvironment  # noqa: F401
    with pytest.raises(NotImplementedError, match="connectors.pulsar"):
        from pyflow.datastream.connectors.pulsar import PulsarSource  # noqa: F401
    with pytest.raises(NotImplementedError, match="pyflow.datastream.AsyncDataStream"):
        from pyflow.datastream import AsyncDataStream  # noqa: F401


def test_real_modules_win_and_other_names_stay_module_not_found():
    assert not is_stand_in("pyflow.datastream.connectors.file_system")
    assert not is_stand_in("pyflow.datastream.connectors.kafka")  # the real Kafka connector
    assert is_stand_in("pyflow.datastream.connectors.pulsar")
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("pyflow.datastream.connectors.no_such_connector")


def test_a_fresh_interpreter_gets_the_stand_ins_from_importing_pyflow_alone():
    code = ("import pyflow.table.expressions as e\n"
            "try:\n    e.col\nexcept NotImplementedError as x:\n    print(x)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "pyflow.table.expressions.col: PyFlink's module pyflink.table.expressions" in out.stdout
