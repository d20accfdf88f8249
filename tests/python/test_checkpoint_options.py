"""Checkpoint, restart and state backend options: PyFlink's Python API writes Flink's option names, and the
engine host checks every value before the job runs, with an error that names the option and what it takes."""
from datetime import timedelta

import pytest

from pyflow.common import Configuration, RestartStrategies, Types
from pyflow.datastream import (CheckpointingMode, EmbeddedRocksDBStateBackend, FileSystemCheckpointStorage,
                               HashMapStateBackend, StreamExecutionEnvironment)
from pyflow.errors import PlanError


def test_enable_checkpointing_and_the_checkpoint_config_write_flinks_options(tmp_path):
    env = StreamExecutionEnvironment.get_execution_environment()
    assert env.get_checkpoint_interval() == -1 and not env.get_checkpoint_config().is_checkpointing_enabled()
    env.enable_checkpointing(250, CheckpointingMode.AT_LEAST_ONCE)
    config = env.get_checkpoint_config()
    config.set_checkpoint_timeout(5000).set_min_pause_between_checkpoints(20).set_num_retained_checkpoints(3)
    config.set_checkpoint_storage(FileSystemCheckpointStorage(f"file://{tmp_path}"))
    assert (env.get_checkpoint_interval(), env.get_checkpointing_mode()) == (250, CheckpointingMode.AT_LEAST_ONCE)
    assert (config.get_checkpoint_timeout(), config.get_min_pause_between_checkpoints(),
            config.get_num_retained_checkpoints(), config.get_max_concurrent_checkpoints()) == (5000, 20, 3, 1)
    assert config.get_checkpoint_storage().get_checkpoint_path() == f"file://{tmp_path}"
    assert env._config.to_dict() == {
        "execution.checkpointing.interval": "250 ms", "execution.checkpointing.mode": "AT_LEAST_ONCE",
        "execution.checkpointing.timeout": "5000 ms", "execution.checkpointing.min-pause": "20 ms",
        "state.checkpoints.num-retained": "3", "state.checkpoints.dir": f"file://{tmp_path}"}


def test_options_set_in_the_configuration_are_read_back_by_the_api():
    config = (Configuration().set_string("execution.checkpointing.interval", "2 min")
              .set_string("restart-strategy.type", "fixed-delay").set_string("restart-strategy.fixed-delay.attempts", "4")
              .set_string("restart-strategy.fixed-delay.delay", "3 s").set_string("state.backend.type", "rocksdb"))
    env = StreamExecutionEnvironment.get_execution_environment(config)
    assert env.get_checkpoint_interval() == 120_000
    assert env.get_restart_strategy() == RestartStrategies.fixed_delay_restart(4, timedelta(seconds=3))
    assert isinstance(env.get_state_backend(), EmbeddedRocksDBStateBackend)


def test_restart_strategies_and_state_backends_replace_each_other():
    env = StreamExecutionEnvironment.get_execution_environment()
    assert env.get_restart_strategy() == RestartStrategies.no_restart()
    env.set_restart_strategy(RestartStrategies.fixed_delay_restart(2, 150))
    strategy = env.get_restart_strategy()
    assert (strategy.get_restart_attempts(), strategy.get_delay_between_attempts_interval()) == (2, timedelta(milliseconds=150))
    env.set_restart_strategy(RestartStrategies.no_restart())
    assert env._config.to_dict() == {"restart-strategy.type": "none"}
    backend = EmbeddedRocksDBStateBackend()
    backend.set_db_storage_paths("/tmp/rocks")
    env.set_state_backend(backend)
    assert env.get_state_backend().get_db_storage_paths() == ["/tmp/rocks"]
    env.set_state_backend(HashMapStateBackend())
    assert isinstance(env.get_state_backend(), HashMapStateBackend)
    assert "state.backend.rocksdb.localdir" not in env._config.to_dict()


@pytest.mark.parametrize("call, message", [
    (lambda env: env.enable_checkpointing(5), "set_checkpoint_interval expects milliseconds as an int >= 10"),
    (lambda env: env.enable_checkpointing(100, "EXACTLY_ONCE"), "expects a CheckpointingMode"),
    (lambda env: env.get_checkpoint_config().set_checkpoint_timeout(0), "set_checkpoint_timeout expects"),
    (lambda env: env.get_checkpoint_config().set_min_pause_between_checkpoints(-1), "set_min_pause_between_checkpoints"),
    (lambda env: env.get_checkpoint_config().set_max_concurrent_checkpoints(2), "one checkpoint at a time"),
    (lambda env: env.get_checkpoint_config().set_num_retained_checkpoints(0), "set_num_retained_checkpoints"),
    (lambda env: env.get_checkpoint_config().set_checkpoint_storage_dir("s3://bucket/ckpts"), "local directories"),
    (lambda env: env.get_checkpoint_config().set_checkpoint_storage("/tmp/x"), "FileSystemCheckpointStorage"),
    (lambda env: env.set_restart_strategy("fixed-delay"), "RestartStrategies.no_restart()"),
    (lambda env: env.set_state_backend("rocksdb"), "EmbeddedRocksDBStateBackend()"),
    (lambda env: RestartStrategies.fixed_delay_restart(0, 100), "restart_attempts must be an int >= 1"),
    (lambda env: RestartStrategies.fixed_delay_restart(1, -5), "cannot be negative"),
    (lambda env: EmbeddedRocksDBStateBackend(enable_incremental_checkpointing=True), "full RocksDB snapshots"),
])
def test_bad_values_are_refused_where_they_are_set(call, message):
    with pytest.raises((ValueError, TypeError)) as info:
        call(StreamExecutionEnvironment.get_execution_environment())
    assert message in str(info.value)


@pytest.mark.parametrize("options, message", [
    ({"execution.checkpointing.interval": "soon"}, "'execution.checkpointing.interval' must be a duration such as"),
    ({"execution.checkpointing.interval": "5 ms", "state.checkpoints.dir": "{tmp}"}, "at least 10 ms"),
    ({"execution.checkpointing.mode": "TWICE"}, "must be EXACTLY_ONCE or AT_LEAST_ONCE, not 'TWICE'"),
    ({"execution.checkpointing.intervall": "1 s"}, "unknown option 'execution.checkpointing.intervall'"),
    ({"state.checkpoints.num-retained": "0"}, "'state.checkpoints.num-retained' must be an integer >= 1"),
    ({"state.checkpoints.dir": "hdfs://nn/ckpts"}, "PyFlow keeps checkpoints in local directories"),
    ({"restart-strategy.type": "failure-rate"}, "must be none or fixed-delay, not 'failure-rate'"),
    ({"restart-strategy.fixed-delay.attempts": "3"}, "needs 'restart-strategy.type' = fixed-delay"),
    ({"restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.delay": "-1 s"}, "must be a duration"),
    ({"state.backend.type": "memory"}, "'state.backend.type' must be hashmap or rocksdb, not 'memory'"),
    ({"execution.savepoint.path": "{tmp}/nowhere"}, "no checkpoint directory"),
])
def test_the_engine_refuses_bad_options_before_the_job_runs(tmp_path, options, message):
    config = Configuration()
    for key, value in options.items():
        config.set_string(key, value.replace("{tmp}", str(tmp_path)))
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    env.from_collection([1, 2], type_info=Types.INT()).print()
    with pytest.raises(PlanError) as info:
        env.execute()
    assert message in str(info.value)


def test_on_checkpoint_rolling_policy_without_checkpoints_writes_one_file_per_subtask(tmp_path):
    from pyflow.common.serialization import Encoder
    from pyflow.datastream.connectors import FileSink
    from pyflow.datastream.connectors.file_system import RollingPolicy
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(2)
    sink = (FileSink.for_row_format(str(tmp_path / "out"), Encoder.simple_string_encoder())
            .with_rolling_policy(RollingPolicy.on_checkpoint_rolling_policy()).build())
    env.from_collection(list(range(1000)), type_info=Types.INT()).map(lambda x: x * 2, output_type=Types.INT()).sink_to(sink)
    env.execute()
    files = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert files and all(p.name.endswith("-0") for p in files), files  # one part per sink subtask, never rolled
    assert sorted(int(line) for p in files for line in p.read_text().splitlines()) == [x * 2 for x in range(1000)]
