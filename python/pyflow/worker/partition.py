"""The ``custom_partition`` stage (``DataStream.partition_custom``): per record, the key selector and then
the user's partitioner, in one call per batch. Each record leaves with its partition as 4 little-endian
bytes in the key column, which the engine's custom partitioner routes by."""
import operator
import struct

_PARTITION = struct.Struct("<i")


def custom_partition_stage(fn, name: str, num_partitions: int):
    """The stage over ``Rows`` for ``fn`` (a ``pyflow.datastream._partition.CustomPartition``)."""
    get_key, partition, pack = fn.get_key, fn.partition, _PARTITION.pack

    def run(rows):
        keys = []
        for v in rows.values:
            key = get_key(v)
            chosen = partition(key, num_partitions)
            try:
                index = operator.index(chosen)
            except TypeError:
                index = None
            if index is None or isinstance(chosen, bool) or not 0 <= index < num_partitions:
                raise ValueError(f"the partitioner {fn.partitioner_name} returned {chosen!r} for key {key!r}; it must "
                                 f"return an int in [0, {num_partitions}) (num_partitions is the parallelism of the "
                                 "operator after partition_custom)")
            keys.append(pack(index))
        rows.keys = keys
        return rows
    return run
