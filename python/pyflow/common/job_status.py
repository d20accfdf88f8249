"""``JobStatus``: the states of a job, as ``pyflink.common.JobStatus``."""
from enum import Enum

__all__ = ["JobStatus"]


class JobStatus(Enum):
    """A job's state. A job of ``execute_async`` is RUNNING once submitted, then FINISHED, FAILED, or
    CANCELLING -> CANCELED;
    the other members exist for PyFlink compatibility.

    >>> JobStatus.FINISHED.is_globally_terminal_state(), JobStatus.RUNNING.is_terminal_state()
    (True, False)
    """

    INITIALIZING = 0
    CREATED = 1
    RUNNING = 2
    FAILING = 3
    FAILED = 4
    CANCELLING = 5
    CANCELED = 6
    FINISHED = 7
    RESTARTING = 8
    SUSPENDED = 9
    RECONCILING = 10

    def is_globally_terminal_state(self) -> bool:
        """FINISHED, FAILED or CANCELED: the job will not run again."""
        return self in (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELED)

    def is_terminal_state(self) -> bool:
        """A terminal state (the globally terminal ones, and SUSPENDED)."""
        return self.is_globally_terminal_state() or self is JobStatus.SUSPENDED
