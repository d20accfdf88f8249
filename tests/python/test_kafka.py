"""Kafka from Python against librdkafka's mock cluster (tools/KafkaMock): a bounded topic read through a Python
map, writes with each delivery guarantee read back, and exactly-once output across a failure and recovery."""
import os
import pathlib

import pytest
from kafka_mock import MockKafka

from pyflow.common import RestartStrategies, SimpleStringSchema, Types, WatermarkStrategy
from pyflow.datastream.connectors import DeliveryGuarantee
from pyflow.datastream.connectors.kafka import (KafkaOffsetsInitializer, KafkaRecordSerializationSchema, KafkaSink,
                                                KafkaSource)


@pytest.fixture
def kafka():
    cluster = MockKafka({"in": 2, "out": 2})
    yield cluster
    cluster.close()


def string_source(kafka, topic="in"):
    return (KafkaSource.builder().set_bootstrap_servers(kafka.bootstrap_servers).set_topics(topic)
            .set_group_id("test").set_starting_offsets(KafkaOffsetsInitializer.earliest())
            .set_bounded(KafkaOffsetsInitializer.latest()).set_value_only_deserializer(SimpleStringSchema()).build())


def string_sink(kafka, guarantee, prefix="test-job"):
    serializer = (KafkaRecordSerializationSchema.builder().set_topic("out")
                  .set_value_serialization_schema(SimpleStringSchema()).build())
    builder = (KafkaSink.builder().set_bootstrap_servers(kafka.bootstrap_servers).set_record_serializer(serializer)
               .set_delivery_guarantee(guarantee))
    if guarantee is DeliveryGuarantee.EXACTLY_ONCE:
        builder.set_transactional_id_prefix(prefix)
    return builder.build()


def test_bounded_topic_through_a_python_map(env, kafka):
    kafka.produce("in", [str(i) for i in range(0, 300, 2)], partition=0)
    kafka.produce("in", [str(i) for i in range(1, 300, 2)], partition=1)
    stream = env.from_source(string_source(kafka), WatermarkStrategy.no_watermarks(), "kafka in")
    got = stream.map(lambda s: int(s) * 3, output_type=Types.LONG()).execute_and_collect()
    assert sorted(got) == [i * 3 for i in range(300)]


@pytest.mark.parametrize("guarantee", [DeliveryGuarantee.AT_LEAST_ONCE, DeliveryGuarantee.EXACTLY_ONCE],
                         ids=["at-least-once", "exactly-once"])
def test_write_and_read_back(env, kafka, tmp_path, guarantee):
    if guarantee is DeliveryGuarantee.EXACTLY_ONCE:
        env.enable_checkpointing(100).get_checkpoint_config().set_checkpoint_storage_dir(str(tmp_path / "ck"))
    words = [f"w{i}" for i in range(200)]
    env.from_collection(words, Types.STRING()).map(str.upper, output_type=Types.STRING()) \
        .sink_to(string_sink(kafka, guarantee))
    env.execute("kafka out")
    assert sorted(kafka.consume("out", read_committed=True)) == sorted(w.upper() for w in words)


class FailOnceAfterACheckpoint:
    """Raises on the first record it sees after a checkpoint completed (then transactions have committed output
    that a restore must not repeat), unless ``marker`` exists: the first attempt fails, later ones pass. Slow (1 ms
    a record), so that the job runs long enough for checkpoints to complete."""

    def __init__(self, marker: str, checkpoints: str):
        self.marker, self.checkpoints = marker, checkpoints

    def __call__(self, s):
        import time
        time.sleep(0.001)
        if not os.path.exists(self.marker) and os.path.isdir(self.checkpoints) and any(
                n.startswith("chk-") for n in os.listdir(self.checkpoints)):
            pathlib.Path(self.marker).write_text(s)
            raise RuntimeError(f"injected failure at record {s}")
        return "r" + s


def test_exactly_once_across_a_failure(env, kafka, tmp_path, capfd):
    count = 3000
    # Both partitions hold records: a source subtask with nothing to read would finish at once, and the engine
    # takes no checkpoint once a task has finished.
    kafka.produce("in", [str(i) for i in range(0, count, 2)], partition=0)
    kafka.produce("in", [str(i) for i in range(1, count, 2)], partition=1)
    checkpoints, marker = tmp_path / "ck", tmp_path / "failed-once"
    env.enable_checkpointing(50).get_checkpoint_config().set_checkpoint_storage_dir(str(checkpoints))
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, 100))
    fail = FailOnceAfterACheckpoint(marker=str(marker), checkpoints=str(checkpoints))
    env.from_source(string_source(kafka), WatermarkStrategy.no_watermarks(), "kafka in") \
        .map(fail, output_type=Types.STRING()).sink_to(string_sink(kafka, DeliveryGuarantee.EXACTLY_ONCE))
    env.execute("kafka exactly-once")
    assert marker.exists(), "no checkpoint completed while the job ran, so the failure never ran: nothing proven"
    log = capfd.readouterr().err
    assert "injected failure" in log and "restart 1" in log and "from checkpoint" in log, log
    assert sorted(kafka.consume("out", read_committed=True)) == sorted(f"r{i}" for i in range(count))


def test_the_readme_kafka_example_runs(tmp_path):
    import re
    import subprocess
    import sys
    readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme.split("## Kafka", 1)[1], re.S).group(1)
    cluster = MockKafka({"input": 2, "output": 1})
    try:
        cluster.produce("input", ["a", "b"], partition=0)
        cluster.produce("input", ["c"], partition=1)
        done = subprocess.run([sys.executable, "-c", code.replace("localhost:9092", cluster.bootstrap_servers)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert sorted(cluster.consume("output", read_committed=True)) == ["A", "B", "C"]
    finally:
        cluster.close()


def test_incomplete_or_unsupported_builders_say_what_to_do():
    from pyflow.datastream.connectors.kafka import KafkaOffsetResetStrategy
    with pytest.raises(ValueError, match="set_bootstrap_servers"):
        KafkaSource.builder().set_topics("t").set_value_only_deserializer(SimpleStringSchema()).build()
    with pytest.raises(ValueError, match="set_group_id"):
        KafkaSource.builder().set_bootstrap_servers("h:1").set_topics("t") \
            .set_starting_offsets(KafkaOffsetsInitializer.committed_offsets()) \
            .set_value_only_deserializer(SimpleStringSchema()).build()
    with pytest.raises(NotImplementedError, match="EARLIEST or LATEST"):
        KafkaOffsetsInitializer.committed_offsets(KafkaOffsetResetStrategy.NONE)
    with pytest.raises(TypeError, match="read STRING records and parse them in a map"):
        KafkaSource.builder().set_value_only_deserializer(object())
    serializer = KafkaRecordSerializationSchema.builder().set_topic("o") \
        .set_value_serialization_schema(SimpleStringSchema()).build()
    with pytest.raises(ValueError, match="set_transactional_id_prefix"):
        KafkaSink.builder().set_bootstrap_servers("h:1").set_record_serializer(serializer) \
            .set_delivery_guarantee(DeliveryGuarantee.EXACTLY_ONCE).build()


def test_an_unknown_kafka_property_fails_the_job_naming_it(kafka):
    from conftest import make_env
    from pyflow.errors import JobExecutionError
    kafka.produce("in", ["1"], partition=0)
    env = make_env(1, "process")
    source = (KafkaSource.builder().set_bootstrap_servers(kafka.bootstrap_servers).set_topics("in")
              .set_bounded(KafkaOffsetsInitializer.latest()).set_property("no.such.property", "1")
              .set_value_only_deserializer(SimpleStringSchema()).build())
    with pytest.raises(JobExecutionError, match="no.such.property"):
        list(env.from_source(source, WatermarkStrategy.no_watermarks(), "kafka in").execute_and_collect())


def slow_tag(s):
    """1 ms a record: the job runs long enough for checkpoints to complete and a worker to be killed mid-job."""
    import time
    time.sleep(0.001)
    return "k" + s


def test_exactly_once_after_a_worker_is_killed(process_env, kafka, tmp_path, capfd):
    from checkpoint_jobs import kill, wait_for_checkpoint_after, worker_pids
    from pyflow.common import JobStatus
    count = 4000
    kafka.produce("in", [str(i) for i in range(0, count, 2)], partition=0)
    kafka.produce("in", [str(i) for i in range(1, count, 2)], partition=1)
    env, checkpoints = process_env, tmp_path / "ck"
    env.enable_checkpointing(50).get_checkpoint_config().set_checkpoint_storage_dir(str(checkpoints))
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, 100))
    env.from_source(string_source(kafka), WatermarkStrategy.no_watermarks(), "kafka in") \
        .map(slow_tag, output_type=Types.STRING()).sink_to(string_sink(kafka, DeliveryGuarantee.EXACTLY_ONCE))
    client = env.execute_async("kafka worker killed")
    wait_for_checkpoint_after(checkpoints, 0, seconds=60)
    workers = worker_pids()
    assert workers and client.get_job_status() == JobStatus.RUNNING, "the job ended before the kill: nothing to recover"
    kill(workers[0])
    assert client.wait(120) == JobStatus.FINISHED
    log = capfd.readouterr().err
    assert "killed by signal 9" in log and "from checkpoint" in log, log
    assert sorted(kafka.consume("out", read_committed=True)) == sorted(f"k{i}" for i in range(count))
