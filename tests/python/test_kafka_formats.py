"""JSON and CSV rows to and from Kafka (parsed and written in the engine host), and what a bad record does: fail
the job naming its topic, partition and offset, or be skipped with ignore_parse_errors()."""
import json

import pytest
from kafka_mock import MockKafka

from pyflow.common import Row, Types, WatermarkStrategy
from pyflow.datastream.connectors import DeliveryGuarantee
from pyflow.datastream.connectors.kafka import (KafkaOffsetsInitializer, KafkaRecordSerializationSchema, KafkaSink,
                                                KafkaSource)
from pyflow.datastream.formats.csv import CsvRowDeserializationSchema, CsvRowSerializationSchema
from pyflow.datastream.formats.json import JsonRowDeserializationSchema, JsonRowSerializationSchema
from pyflow.errors import JobExecutionError

ROW = Types.ROW_NAMED(["id", "name", "score", "ok"], [Types.INT(), Types.STRING(), Types.DOUBLE(), Types.BOOLEAN()])


@pytest.fixture
def kafka():
    cluster = MockKafka({"in": 1, "out": 1})
    yield cluster
    cluster.close()


def source(kafka, schema):
    return (KafkaSource.builder().set_bootstrap_servers(kafka.bootstrap_servers).set_topics("in")
            .set_starting_offsets(KafkaOffsetsInitializer.earliest()).set_bounded(KafkaOffsetsInitializer.latest())
            .set_value_only_deserializer(schema).build())


def sink(kafka, schema):
    return (KafkaSink.builder().set_bootstrap_servers(kafka.bootstrap_servers)
            .set_record_serializer(KafkaRecordSerializationSchema.builder().set_topic("out")
                                   .set_value_serialization_schema(schema).build())
            .set_delivery_guarantee(DeliveryGuarantee.AT_LEAST_ONCE).build())


def bump(r):
    """Each row changed in Python, so the test sees both the parse and the write."""
    return Row(id=r[0] * 10, name=None if r[1] is None else r[1].upper(), score=r[2], ok=r[3])


def test_json_rows_in_and_out(env, kafka):
    kafka.produce("in", [
        '{"id": 1, "name": "ann", "score": 2.5, "ok": true}',
        '{"name": "bob", "id": 2, "score": -1, "ok": false, "extra": [1, 2]}',  # any order; unknown members ignored
        '{"id": 3, "name": null}',                                             # null and missing: null fields
    ])
    stream = env.from_source(source(kafka, JsonRowDeserializationSchema.builder().type_info(ROW).build()),
                             WatermarkStrategy.no_watermarks(), "json in")
    stream.map(bump, output_type=ROW).sink_to(sink(kafka, JsonRowSerializationSchema.builder().with_type_info(ROW).build()))
    env.execute("json rows")
    got = sorted((json.loads(v) for v in kafka.consume("out")), key=lambda d: d["id"])
    assert got == [{"id": 10, "name": "ANN", "score": 2.5, "ok": True},
                   {"id": 20, "name": "BOB", "score": -1.0, "ok": False},
                   {"id": 30, "name": None, "score": None, "ok": None}]


def test_csv_rows_in_and_out(env, kafka):
    kafka.produce("in", ['1,ann,2.5,true', '2,"b, ""the"" bob",-1,false', '3,,,', '4,"",0.25,true'])
    stream = env.from_source(source(kafka, CsvRowDeserializationSchema.Builder(ROW).build()),
                             WatermarkStrategy.no_watermarks(), "csv in")
    stream.map(bump, output_type=ROW).sink_to(
        sink(kafka, CsvRowSerializationSchema.Builder(ROW).set_field_delimiter(";").build()))
    env.execute("csv rows")
    assert sorted(kafka.consume("out")) == ['10;ANN;2.5;true', '20;"B, ""THE"" BOB";-1;false', '30;;;',
                                            '40;"";0.25;true']


def test_a_bad_json_record_fails_the_job_naming_where_it_is(kafka):
    from conftest import make_env
    env = make_env(1, "process")
    kafka.produce("in", ['{"id": 1}', '{"id": "one"}'])
    stream = env.from_source(source(kafka, JsonRowDeserializationSchema.builder().type_info(ROW).build()),
                             WatermarkStrategy.no_watermarks(), "json in")
    with pytest.raises(JobExecutionError) as failure:
        list(stream.execute_and_collect())
    message = str(failure.value)
    assert "topic 'in', partition 0, offset 1" in message, message
    assert "field 'id' should be INT" in message and '"one"' in message, message
    assert "ignore_parse_errors()" in message, message


def test_ignore_parse_errors_skips_bad_records(env, kafka):
    kafka.produce("in", ['{"id": 1}', 'not json', '[1]', '{"id": 2.5}', '{"id": 3, "ok": "yes"}', '{"id": 4}'])
    schema = JsonRowDeserializationSchema.builder().type_info(ROW).ignore_parse_errors().build()
    got = env.from_source(source(kafka, schema), WatermarkStrategy.no_watermarks(), "json in") \
        .map(lambda r: r[0], output_type=Types.INT()).execute_and_collect()
    assert sorted(got) == [1, 4]


def test_a_schema_of_another_type_than_the_stream_is_refused(env, kafka):
    stream = env.from_collection(["a"], Types.STRING())
    with pytest.raises(TypeError, match="differs from the value schema"):
        stream.sink_to(sink(kafka, JsonRowSerializationSchema.builder().with_type_info(ROW).build()))
    with pytest.raises(TypeError, match="field 'xs' is LIST"):
        JsonRowDeserializationSchema.builder().type_info(Types.ROW_NAMED(["xs"], [Types.LIST(Types.INT())]))


def test_csv_bad_lines_fail_or_are_skipped(kafka):
    from conftest import make_env
    kafka.produce("in", ['1,a,1.5,true', '2,b', '3,"open,1.0,true', '4,d,x,true', '5,e,2,false'])
    strict = make_env(1, "process")
    stream = strict.from_source(source(kafka, CsvRowDeserializationSchema.Builder(ROW).build()),
                                WatermarkStrategy.no_watermarks(), "csv in")
    with pytest.raises(JobExecutionError) as failure:
        list(stream.execute_and_collect())
    message = str(failure.value)
    assert "topic 'in', partition 0, offset 1" in message and "has 4 fields, this line has 2" in message, message
    lenient = make_env(1, "thread")
    schema = CsvRowDeserializationSchema.Builder(ROW).set_ignore_parse_errors().build()
    got = lenient.from_source(source(kafka, schema), WatermarkStrategy.no_watermarks(), "csv in") \
        .map(lambda r: r[0], output_type=Types.INT()).execute_and_collect()
    assert sorted(got) == [1, 5]
