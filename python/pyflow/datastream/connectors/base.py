"""``DeliveryGuarantee``, as ``pyflink.datastream.connectors.base``: what a sink promises across failures."""
from enum import Enum

__all__ = ["DeliveryGuarantee"]


class DeliveryGuarantee(Enum):
    """What a sink (``KafkaSink``) promises across failures and restores.

    ``EXACTLY_ONCE``: each record once, for readers with ``isolation.level=read_committed`` (needs checkpointing
    and a transactional id prefix); ``AT_LEAST_ONCE``: none lost, some may repeat after a restore; ``NONE``: a
    failure may lose or repeat records.

    >>> DeliveryGuarantee.EXACTLY_ONCE._plan_name
    'exactly-once'
    """

    EXACTLY_ONCE = 0
    AT_LEAST_ONCE = 1
    NONE = 2

    @property
    def _plan_name(self) -> str:
        return {0: "exactly-once", 1: "at-least-once", 2: "none"}[self.value]
