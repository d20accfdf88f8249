"""``CheckpointingMode``, as PyFlink's ``pyflink.datastream.checkpointing_mode``."""
from enum import Enum

__all__ = ["CheckpointingMode"]


class CheckpointingMode(Enum):
    """How barriers are handled at an operator with several inputs.

    ``EXACTLY_ONCE`` (the default) aligns barriers: a checkpoint holds exactly the records before it.
    ``AT_LEAST_ONCE`` does not hold inputs back: after a restore some records may be processed twice.

    >>> CheckpointingMode.EXACTLY_ONCE._option()
    'EXACTLY_ONCE'
    """

    EXACTLY_ONCE = 0
    AT_LEAST_ONCE = 1

    def _option(self) -> str:
        return self.name

    @staticmethod
    def _from_option(text: str) -> "CheckpointingMode":
        try:
            return CheckpointingMode[text.strip().upper()]
        except KeyError:
            from pyflow.errors import PlanError
            raise PlanError(f"execution.checkpointing.mode must be EXACTLY_ONCE or AT_LEAST_ONCE, got {text!r}") from None
