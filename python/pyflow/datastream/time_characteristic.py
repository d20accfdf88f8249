"""``TimeCharacteristic``, as ``pyflink.datastream.TimeCharacteristic`` (deprecated in Flink since 1.12)."""
from enum import Enum

__all__ = ["TimeCharacteristic"]


class TimeCharacteristic(Enum):
    """The time a job's operators would use by default: ``EventTime`` (the default since Flink 1.12),
    ``ProcessingTime`` or ``IngestionTime``.

    As in Flink 1.12 and later, it changes nothing at run time: a window assigner or timer says itself
    which time it uses (``TumblingEventTimeWindows``, ``TumblingProcessingTimeWindows``,
    ``register_processing_time_timer``), and event time works whatever the setting.

    >>> TimeCharacteristic.EventTime.name
    'EventTime'
    """

    ProcessingTime = 0
    IngestionTime = 1
    EventTime = 2
