"""The driver as Flink's JobManager for the engine host: when the host dies (a .NET crash, a SIGKILL, or in
thread mode a Python function that ended its own process), the job restarts on a new host, from the newest
completed checkpoint, within the job's restart budget (docs/ARCHITECTURE.md, "Recovery").

The rules:

- One budget. ``restart-strategy.fixed-delay.attempts`` counts every restart of the job: those the engine makes
  inside a host (a task failed) and those the driver makes with a new host. SUBMIT tells a new host how many
  the job used already, and the host reports each of its own (RESTARTING), so neither side can exceed it.
- With a completed checkpoint in ``state.checkpoints.dir`` the new host restores it (``execution.savepoint.path``):
  exactly-once as an in-host restart, since collected and printed results are held until their checkpoint
  completes. Else a job started from ``execution.savepoint.path`` restores that one again.
- Without either, Flink restarts from scratch. Here that happens only when it cannot show a result twice:
  every sink is a collect, print or discarding sink and none of their results has reached the driver yet.
  Otherwise the job fails, saying why (a file or Python sink may have written output already).
"""
import pathlib

from pyflow.common.configuration import Configuration
from pyflow.common.restart_strategy import NoRestartStrategyConfiguration, _from_options
from pyflow.errors import EngineHostDiedError

CHECKPOINT_DIR = "state.checkpoints.dir"
CHECKPOINT_INTERVAL = "execution.checkpointing.interval"
RESTORE_PATH = "execution.savepoint.path"
REPLAYABLE_SINKS = ("sink.collect", "sink.print", "sink.discard")  # what the driver sees, or nobody sees


def _local(path: str) -> pathlib.Path:
    return pathlib.Path(path[len("file://"):] if path.startswith("file://") else path)


def has_completed_checkpoint(directory: pathlib.Path) -> bool:
    """Whether ``directory`` holds a complete ``chk-N`` (its ``_metadata`` is written last)."""
    try:
        return any(p.name.startswith("chk-") and (p / "_metadata").is_file() for p in directory.iterdir())
    except OSError:
        return False


class HostRecovery:
    """The restart decisions for one job. ``restarts`` is the job's restarts so far (both kinds); ``delivered``
    counts the results of collect and print sinks that reached the caller."""

    def __init__(self, plan: dict, sinks: dict):
        self._config = dict(plan["config"])
        self._sink_kinds = sorted({s.kind for s in sinks.values()})
        self.restarts = 0
        self.delivered = 0

    def engine_restarted(self, restart: int) -> None:
        """The host restarted the job itself: restart number ``restart`` of the job."""
        self.restarts = max(self.restarts, restart)

    def next_restart(self, crash: str, exit_code: int, stderr_tail: str) -> "tuple[dict, str, float]":
        """After the host died with ``crash`` (``"killed by signal 9 (SIGKILL)"``): the config of the new host's
        plan, the line to log, and the delay in seconds. Raises EngineHostDiedError when the job may not restart."""
        died = f"the engine host died ({crash}) while the job ran"
        strategy = _from_options(self._config_object())
        if isinstance(strategy, NoRestartStrategyConfiguration):
            raise EngineHostDiedError(f"{died}; the job has no restart strategy. To survive this, enable "
                                      "checkpointing and set RestartStrategies.fixed_delay_restart(...)",
                                      exit_code, stderr_tail)
        attempts, restart = strategy.get_restart_attempts(), self.restarts + 1
        if restart > attempts:
            raise EngineHostDiedError(f"{died}, and the job has used all {attempts} restart attempts of its "
                                      f"restart strategy ({self.restarts} restarts, inside the engine host and "
                                      "with a new host, share restart-strategy.fixed-delay.attempts)",
                                      exit_code, stderr_tail)
        config = dict(self._config)
        checkpoints = self._checkpoint_dir()
        if checkpoints is not None and has_completed_checkpoint(checkpoints):
            config[RESTORE_PATH] = str(checkpoints)
            source = f"the newest checkpoint in '{checkpoints}'"
        elif RESTORE_PATH in self._config and (checkpoints is not None or self.delivered == 0):
            source = f"checkpoint '{self._config[RESTORE_PATH]}' (where it started; no newer one completed)"
        else:
            self._refuse_from_scratch(died, exit_code, stderr_tail)
            source = "the beginning (no completed checkpoint, and no result was delivered yet)"
        self.restarts = restart
        delay = strategy.get_delay_between_attempts_interval().total_seconds()
        return config, f"{died}; restart {restart} ({strategy.get_description()}) on a new engine host from {source}", \
            delay

    def _refuse_from_scratch(self, died: str, exit_code: int, stderr_tail: str) -> None:
        others = [k for k in self._sink_kinds if k not in REPLAYABLE_SINKS]
        if others:
            raise EngineHostDiedError(f"{died} before any checkpoint completed; restarting from the beginning could "
                                      f"write the output of its {', '.join(others)} sinks twice, so the job fails. "
                                      "Enable checkpointing (env.enable_checkpointing) so a restart resumes from a "
                                      "checkpoint", exit_code, stderr_tail)
        if self.delivered:
            raise EngineHostDiedError(f"{died} with no completed checkpoint, after {self.delivered} results reached "
                                      "the driver; restarting from the beginning would deliver them again, so the "
                                      "job fails. Enable checkpointing (env.enable_checkpointing): results are then "
                                      "held until their checkpoint completes and a restart resumes from it",
                                      exit_code, stderr_tail)

    def _checkpoint_dir(self) -> "pathlib.Path | None":
        if CHECKPOINT_INTERVAL not in self._config or CHECKPOINT_DIR not in self._config:
            return None
        return _local(self._config[CHECKPOINT_DIR].strip())

    def _config_object(self):
        config = Configuration()
        for key, value in self._config.items():
            config.set_string(key, value)
        return config
