"""What ``partition_custom`` sends to a worker: the key selector and the partitioner as one object, run
together over each batch (python/pyflow/worker/partition.py)."""
from pyflow.datastream.functions import KeySelector, Partitioner


class CustomPartition:
    """``key_selector`` then ``partitioner`` (each a callable or a PyFlink-style function object)."""

    def __init__(self, partitioner, key_selector):
        if isinstance(partitioner, Partitioner):
            self.partition, self.partitioner_name = partitioner.partition, type(partitioner).__qualname__
        elif callable(partitioner):
            self.partition = partitioner
            self.partitioner_name = getattr(partitioner, "__qualname__", type(partitioner).__qualname__)
        else:
            raise TypeError("DataStream.partition_custom() expects a Partitioner or a callable (key, num_partitions) "
                            f"-> int as partitioner, got {type(partitioner).__qualname__}")
        if isinstance(key_selector, KeySelector):
            self.get_key = key_selector.get_key
        elif callable(key_selector):
            self.get_key = key_selector
        else:
            raise TypeError("DataStream.partition_custom() expects a KeySelector or a callable as key_selector, "
                            f"got {type(key_selector).__qualname__}")
