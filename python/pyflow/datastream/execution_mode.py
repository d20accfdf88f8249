"""``RuntimeExecutionMode``, as PyFlink's ``pyflink.datastream.execution_mode``."""
from enum import Enum

__all__ = ["RuntimeExecutionMode"]


class RuntimeExecutionMode(Enum):
    """How a job runs: STREAMING (results as they come), BATCH (bounded input), or AUTOMATIC.

    AUTOMATIC picks BATCH when every source is bounded, as Flink does; every source PyFlow has
    today (``from_collection``) is bounded, so AUTOMATIC means BATCH.

    >>> RuntimeExecutionMode.BATCH.name
    'BATCH'
    """

    STREAMING = 0
    BATCH = 1
    AUTOMATIC = 2
