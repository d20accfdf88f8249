"""``DataGeneratorSource``: ``generator_function(index)`` for index 0, 1, 2, ... at most
``records_per_second`` a second (0: as fast as it goes), ``count`` records or without end (None).
The sequence and the rate are the engine's; the generator function runs in a Python worker, fused
with whatever Python functions follow it. For demos and benchmarks."""

__all__ = ["DataGeneratorSource"]


class DataGeneratorSource:
    """
    >>> DataGeneratorSource(lambda i: i * 2, count=10, records_per_second=100)._fields()
    {'start': 0, 'end': 9, 'rate': 100}
    """

    def __init__(self, generator_function, count: "int | None" = None, records_per_second: float = 0, output_type=None):
        if not callable(generator_function):
            raise TypeError(f"DataGeneratorSource needs a callable index -> record, got {generator_function!r}")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
            raise ValueError(f"DataGeneratorSource: count must be an int >= 1 or None (no end), got {count!r}")
        if not isinstance(records_per_second, (int, float)) or records_per_second < 0:
            raise ValueError(f"DataGeneratorSource: records_per_second must be >= 0, got {records_per_second!r}")
        self.generator_function = generator_function
        self.count = count
        self.records_per_second = records_per_second
        self.output_type = output_type

    def _fields(self) -> dict:
        return {"start": 0, "end": -1 if self.count is None else self.count - 1, "rate": self.records_per_second}
