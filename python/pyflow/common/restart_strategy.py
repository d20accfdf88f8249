"""Restart strategies, as PyFlink's ``pyflink.common.restart_strategy``: what a job does when a task or a
Python worker fails. With checkpointing on, a restart resumes every task from the last completed checkpoint."""
from datetime import timedelta

__all__ = ["RestartStrategies", "RestartStrategyConfiguration"]


class RestartStrategyConfiguration:
    """The base of the restart strategy configurations ``RestartStrategies`` makes."""

    def get_description(self) -> str:
        """A human-readable description of the strategy."""
        raise NotImplementedError

    def _options(self) -> dict:
        raise NotImplementedError


class NoRestartStrategyConfiguration(RestartStrategyConfiguration):
    """No restart: the first failure fails the job (PyFlow's default)."""

    def get_description(self) -> str:
        """``"Restart deactivated."``, as Flink's."""
        return "Restart deactivated."

    def _options(self) -> dict:
        return {"restart-strategy.type": "none"}

    def __eq__(self, other):
        return isinstance(other, NoRestartStrategyConfiguration)

    def __hash__(self):
        return hash("none")


class FixedDelayRestartStrategyConfiguration(RestartStrategyConfiguration):
    """Restart up to ``restart_attempts`` times, waiting ``delay_between_attempts_interval`` before each."""

    def __init__(self, restart_attempts: int, delay_between_attempts_interval: timedelta):
        self._attempts = restart_attempts
        self._delay = delay_between_attempts_interval

    def get_restart_attempts(self) -> int:
        """How many restarts are allowed."""
        return self._attempts

    def get_delay_between_attempts_interval(self) -> timedelta:
        """The wait before each restart."""
        return self._delay

    def get_description(self) -> str:
        """The attempts and the delay, as Flink describes them."""
        return f"Restart with fixed delay ({self._delay}). #{self._attempts} restart attempts."

    def _options(self) -> dict:
        return {"restart-strategy.type": "fixed-delay",
                "restart-strategy.fixed-delay.attempts": str(self._attempts),
                "restart-strategy.fixed-delay.delay": f"{int(self._delay / timedelta(milliseconds=1))} ms"}

    def __eq__(self, other):
        return isinstance(other, FixedDelayRestartStrategyConfiguration) and \
            (self._attempts, self._delay) == (other._attempts, other._delay)

    def __hash__(self):
        return hash((self._attempts, self._delay))


class RestartStrategies:
    """Makes restart strategies for ``env.set_restart_strategy`` (PyFlink's names).

    >>> RestartStrategies.fixed_delay_restart(3, 500).get_restart_attempts()
    3
    >>> RestartStrategies.no_restart().get_description()
    'Restart deactivated.'
    """

    @staticmethod
    def no_restart() -> RestartStrategyConfiguration:
        """The first failure fails the job."""
        return NoRestartStrategyConfiguration()

    @staticmethod
    def fixed_delay_restart(restart_attempts: int, delay_between_attempts) -> RestartStrategyConfiguration:
        """Restart up to ``restart_attempts`` (>= 1) times, waiting ``delay_between_attempts`` (ms as an int,
        or a ``timedelta``) before each."""
        if not isinstance(restart_attempts, int) or isinstance(restart_attempts, bool) or restart_attempts < 1:
            raise ValueError(f"fixed_delay_restart: restart_attempts must be an int >= 1 "
                             f"(use no_restart() for none), got {restart_attempts!r}")
        if isinstance(delay_between_attempts, int) and not isinstance(delay_between_attempts, bool):
            ms = delay_between_attempts
        elif isinstance(delay_between_attempts, timedelta):
            ms = delay_between_attempts // timedelta(milliseconds=1)
        else:
            raise TypeError(f"fixed_delay_restart: delay_between_attempts must be ms (int) or a timedelta, "
                            f"got {delay_between_attempts!r}")
        if ms < 0:
            raise ValueError(f"fixed_delay_restart: the delay cannot be negative, got {delay_between_attempts!r}")
        from pyflow.common.time import check_millis
        delay = timedelta(milliseconds=check_millis(ms, "fixed_delay_restart(delay_between_attempts)"))
        return FixedDelayRestartStrategyConfiguration(restart_attempts, delay)


def _from_options(config) -> RestartStrategyConfiguration:
    """The strategy the options of ``config`` (a ``Configuration``) describe."""
    from pyflow.common.configuration import Configuration  # noqa: F401 (type only)
    kind = (config.get_string("restart-strategy.type") or "none").strip().lower()
    if kind in ("none", "off", "disable"):
        return NoRestartStrategyConfiguration()
    attempts = config.get_integer("restart-strategy.fixed-delay.attempts", 1)
    delay_text = config.get_string("restart-strategy.fixed-delay.delay", "1000 ms")
    from pyflow.datastream.checkpoint_config import _millis
    return FixedDelayRestartStrategyConfiguration(attempts, timedelta(milliseconds=_millis(
        "restart-strategy.fixed-delay.delay", delay_text)))
