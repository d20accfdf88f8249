"""``CheckpointConfig``, as PyFlink's ``pyflink.datastream.checkpoint_config``: the checkpoint options of a job.

Every setter writes Flink's option into the environment's configuration, so
``Configuration().set_string("execution.checkpointing.interval", "1 s")`` and
``env.get_checkpoint_config().set_checkpoint_interval(1000)`` are the same thing. The options:

=======================================  ===========================================================
``execution.checkpointing.interval``     time between checkpoints (off when unset)
``execution.checkpointing.mode``         ``EXACTLY_ONCE`` (default) or ``AT_LEAST_ONCE``
``execution.checkpointing.timeout``      a checkpoint not done by then is abandoned (10 min)
``execution.checkpointing.min-pause``    least time between the end of one and the next (0)
``state.checkpoints.dir``                where checkpoints go (unset: a private temporary directory, deleted at job end)
``state.checkpoints.num-retained``       completed checkpoints kept (1)
``state.checkpoints.signing-key-file``   the per-user key that signs checkpoints (PyFlow's own option;
                                         ``~/.config/pyflow/checkpoint-signing.key``, created on first use)
``execution.savepoint.path``             resume from this checkpoint (``chk-N`` or the directory)
=======================================  ===========================================================
"""
import re

from pyflow.common.time import check_millis
from pyflow.datastream.checkpoint_storage import CheckpointStorage, FileSystemCheckpointStorage
from pyflow.datastream.checkpointing_mode import CheckpointingMode
from pyflow.errors import PlanError

__all__ = ["CheckpointConfig"]

INTERVAL = "execution.checkpointing.interval"
MODE = "execution.checkpointing.mode"
TIMEOUT = "execution.checkpointing.timeout"
MIN_PAUSE = "execution.checkpointing.min-pause"
DIRECTORY = "state.checkpoints.dir"
RETAINED = "state.checkpoints.num-retained"
RESTORE_PATH = "execution.savepoint.path"

_UNITS = {"": 1, "ms": 1, "milli": 1, "millis": 1, "millisecond": 1, "milliseconds": 1, "s": 1000, "sec": 1000,
          "secs": 1000, "second": 1000, "seconds": 1000, "min": 60_000, "m": 60_000, "minute": 60_000,
          "minutes": 60_000, "h": 3_600_000, "hour": 3_600_000, "hours": 3_600_000}


def _millis(key: str, text: str) -> int:
    """Flink's duration text (``"500 ms"``, ``"1 s"``, ``"2 min"``) or plain milliseconds, in ms."""
    match = re.fullmatch(r"\s*(\d+)\s*([a-z]*)\s*", text.lower())
    if not match or match.group(2) not in _UNITS:
        raise PlanError(f"configuration option {key!r} must be a duration such as '500 ms' or '10 s', got {text!r}")
    return check_millis(int(match.group(1)) * _UNITS[match.group(2)], f"configuration option {key!r}")


def _check_ms(what: str, value, least: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise ValueError(f"{what} expects milliseconds as an int >= {least}, got {value!r}")
    return check_millis(value, what, least)


class CheckpointConfig:
    """The checkpoint options of one environment (get it with ``env.get_checkpoint_config()``).

    >>> from pyflow.datastream import StreamExecutionEnvironment
    >>> env = StreamExecutionEnvironment.get_execution_environment()
    >>> config = env.enable_checkpointing(1000).get_checkpoint_config()
    >>> config = config.set_checkpoint_storage_dir("/tmp/my-job-checkpoints").set_checkpoint_timeout(60_000)
    >>> config.get_checkpoint_interval(), config.get_checkpointing_mode()
    (1000, <CheckpointingMode.EXACTLY_ONCE: 0>)
    """

    def __init__(self, configuration):
        """Prefer ``env.get_checkpoint_config()``; this is a view of ``configuration``."""
        self._config = configuration

    def is_checkpointing_enabled(self) -> bool:
        """Whether an interval is set."""
        return self._config.contains_key(INTERVAL)

    def get_checkpoint_interval(self) -> int:
        """The interval in ms; -1 when checkpointing is off (Flink's answer)."""
        text = self._config.get_string(INTERVAL)
        return -1 if text is None else _millis(INTERVAL, text)

    def set_checkpoint_interval(self, checkpoint_interval: int) -> "CheckpointConfig":
        """Takes a checkpoint every ``checkpoint_interval`` ms (at least 10)."""
        self._config.set_string(INTERVAL, f"{_check_ms('set_checkpoint_interval', checkpoint_interval, 10)} ms")
        return self

    def get_checkpointing_mode(self) -> CheckpointingMode:
        """``EXACTLY_ONCE`` (the default) or ``AT_LEAST_ONCE``."""
        return CheckpointingMode._from_option(self._config.get_string(MODE, "EXACTLY_ONCE"))

    def set_checkpointing_mode(self, checkpointing_mode: CheckpointingMode) -> "CheckpointConfig":
        """Sets how barriers are aligned (a ``CheckpointingMode``)."""
        if not isinstance(checkpointing_mode, CheckpointingMode):
            raise TypeError(f"set_checkpointing_mode expects a CheckpointingMode, got {checkpointing_mode!r}")
        self._config.set_string(MODE, checkpointing_mode._option())
        return self

    def get_checkpoint_timeout(self) -> int:
        """Time in ms after which a checkpoint in progress is abandoned (10 minutes unless set)."""
        return _millis(TIMEOUT, self._config.get_string(TIMEOUT, "600000 ms"))

    def set_checkpoint_timeout(self, checkpoint_timeout: int) -> "CheckpointConfig":
        """Abandons a checkpoint not complete after ``checkpoint_timeout`` ms (at least 1); the next one goes on."""
        self._config.set_string(TIMEOUT, f"{_check_ms('set_checkpoint_timeout', checkpoint_timeout, 1)} ms")
        return self

    def get_min_pause_between_checkpoints(self) -> int:
        """Least time in ms from the end of one checkpoint to the start of the next (0 unless set)."""
        return _millis(MIN_PAUSE, self._config.get_string(MIN_PAUSE, "0 ms"))

    def set_min_pause_between_checkpoints(self, min_pause_between_checkpoints: int) -> "CheckpointConfig":
        """Sets the least time in ms between two checkpoints (>= 0)."""
        ms = _check_ms("set_min_pause_between_checkpoints", min_pause_between_checkpoints, 0)
        self._config.set_string(MIN_PAUSE, f"{ms} ms")
        return self

    def get_max_concurrent_checkpoints(self) -> int:
        """Always 1: PyFlow has one checkpoint in flight at most."""
        return 1

    def set_max_concurrent_checkpoints(self, max_concurrent_checkpoints: int) -> "CheckpointConfig":
        """PyFlow runs one checkpoint at a time: only 1 is accepted."""
        if max_concurrent_checkpoints != 1:
            raise ValueError(f"set_max_concurrent_checkpoints: PyFlow runs one checkpoint at a time, "
                             f"got {max_concurrent_checkpoints!r}")
        return self

    def set_checkpoint_storage(self, storage: CheckpointStorage) -> "CheckpointConfig":
        """Where checkpoints go: a ``FileSystemCheckpointStorage``."""
        if not isinstance(storage, FileSystemCheckpointStorage):
            raise TypeError(f"set_checkpoint_storage expects a FileSystemCheckpointStorage, got {storage!r}")
        self._config.set_string(DIRECTORY, storage._directory())
        return self

    def set_checkpoint_storage_dir(self, checkpoint_path: str) -> "CheckpointConfig":
        """Where checkpoints go: a local directory (or ``file://`` URI), one per job."""
        return self.set_checkpoint_storage(FileSystemCheckpointStorage(checkpoint_path))

    def get_checkpoint_storage(self) -> "FileSystemCheckpointStorage | None":
        """The storage set, or None."""
        path = self._config.get_string(DIRECTORY)
        return None if path is None else FileSystemCheckpointStorage(path)

    def set_num_retained_checkpoints(self, num_retained: int) -> "CheckpointConfig":
        """Keeps the last ``num_retained`` (>= 1) completed checkpoints (Flink's ``state.checkpoints.num-retained``;
        PyFlink sets it through the configuration only). Older ones are deleted once a newer one completes."""
        if not isinstance(num_retained, int) or isinstance(num_retained, bool) or num_retained < 1:
            raise ValueError(f"set_num_retained_checkpoints expects an int >= 1, got {num_retained!r}")
        self._config.set_integer(RETAINED, num_retained)
        return self

    def get_num_retained_checkpoints(self) -> int:
        """Completed checkpoints kept (1 unless set)."""
        return self._config.get_integer(RETAINED, 1)
