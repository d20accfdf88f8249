"""Checkpoints are signed (HMAC-SHA256, a per-user key) and restored only when the signature holds and their
directory is the user's alone: restoring unpickles state, so whoever can change a checkpoint could run code."""
import hashlib
import json
import os
import stat

import pytest

from checkpoint_jobs import add_window_job, committed_lines, completed_checkpoints, reference_lines

from pyflow.common import Configuration, RestartStrategies
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.errors import JobExecutionError

COUNT = 3000
KEY_OPTION = "state.checkpoints.signing-key-file"


def signed_env(key, checkpoints=None, restore=None) -> StreamExecutionEnvironment:
    config = Configuration().set_string("python.execution-mode", "process").set_string(KEY_OPTION, str(key))
    if restore is not None:
        config.set_string("execution.savepoint.path", str(restore))
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(1)
    if checkpoints is not None:
        env.enable_checkpointing(100).get_checkpoint_config().set_checkpoint_storage_dir(str(checkpoints))
        env.set_restart_strategy(RestartStrategies.fixed_delay_restart(3, 100))
    return env


@pytest.fixture
def checkpoint(tmp_path):
    """A finished window job's newest checkpoint (its ``chk-N`` directory), signed with the key in
    ``tmp_path/keys/pyflow/signing.key``; returns (checkpoint, key file, output directory)."""
    key = tmp_path / "keys" / "pyflow" / "signing.key"
    out, checkpoints = tmp_path / "out", tmp_path / "ck"
    env = signed_env(key, checkpoints)
    add_window_job(env, out, COUNT, rate=2000)
    env.execute("signed")
    ids = completed_checkpoints(checkpoints)
    assert ids, "the job took no checkpoint"
    return checkpoints / f"chk-{ids[-1]}", key, out


def restore(checkpoint_dir, key, out):
    env = signed_env(key, restore=checkpoint_dir)
    add_window_job(env, out, COUNT, rate=0)
    env.execute("restored")


def refusal(checkpoint_dir, key, out) -> str:
    with pytest.raises(JobExecutionError) as info:
        restore(checkpoint_dir, key, out)
    return str(info.value)


def test_an_untampered_checkpoint_restores_and_its_key_is_private(checkpoint):
    chk, key, out = checkpoint
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key.parent).st_mode) == 0o700
    assert len(key.read_bytes()) == 32
    restore(chk, key, out)
    assert committed_lines(out) == reference_lines(COUNT)


def test_a_state_file_changed_with_a_recomputed_checksum_is_refused(checkpoint):
    chk, key, out = checkpoint
    state = sorted(chk.glob("*.state"))[-1]
    data = bytearray(state.read_bytes())
    data[-1] ^= 0xFF
    state.write_bytes(bytes(data))
    meta_path = chk / "_metadata"
    meta = json.loads(meta_path.read_bytes())
    for part in meta["parts"]:
        if part["file"] == state.name:
            part["sha256"] = hashlib.sha256(data).hexdigest()  # a checksum alone would now pass
    meta_path.write_text(json.dumps(meta, indent=2))
    message = refusal(chk, key, out)
    assert f"state file '{state.name}' does not carry this user's signature" in message
    assert str(key) in message


def test_changed_metadata_is_refused(checkpoint):
    chk, key, out = checkpoint
    meta_path = chk / "_metadata"
    meta = json.loads(meta_path.read_bytes())
    meta["timestamp_ms"] += 1
    meta_path.write_text(json.dumps(meta, indent=2))
    message = refusal(chk, key, out)
    assert f"its metadata '{meta_path}' does not carry this user's signature" in message


def test_a_checkpoint_signed_with_another_key_is_refused(checkpoint, tmp_path):
    chk, _, out = checkpoint
    other = tmp_path / "other-keys" / "signing.key"
    message = refusal(chk, other, out)
    assert "does not carry this user's signature" in message and "signed with another key" in message
    assert str(other) in message


def test_a_checkpoint_directory_others_can_write_is_refused(checkpoint):
    chk, key, out = checkpoint
    os.chmod(chk, 0o777)
    message = refusal(chk, key, out)
    assert f"its directory '{chk}' is not private to this user" in message and "mode 0777" in message


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user takes root")
def test_a_checkpoint_directory_owned_by_another_user_is_refused(checkpoint):
    chk, key, out = checkpoint
    os.chown(chk, 65534, 65534)
    message = refusal(chk, key, out)
    assert f"its directory '{chk}' is not private to this user" in message and "owned by uid 65534" in message


def test_a_key_file_others_can_read_is_refused(checkpoint):
    chk, key, out = checkpoint
    os.chmod(key, 0o644)
    message = refusal(chk, key, out)
    assert f"the checkpoint signing key file '{key}' is refused" in message and "mode 0644" in message
