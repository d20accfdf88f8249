"""``NumberSequenceSource``, as PyFlink's: the longs ``start..end`` (both included), split over the
source's parallel subtasks."""

__all__ = ["NumberSequenceSource"]


class NumberSequenceSource:
    """
    >>> NumberSequenceSource(1, 10)._fields()
    {'start': 1, 'end': 10, 'rate': 0}
    """

    def __init__(self, start: int, end: int):
        for name, v in (("start", start), ("end", end)):
            if not isinstance(v, int) or isinstance(v, bool):
                raise TypeError(f"NumberSequenceSource: {name} must be an int, got {v!r}")
        if end < start:
            raise ValueError(f"NumberSequenceSource: end ({end}) is before start ({start})")
        self.start = start
        self.end = end

    def _fields(self) -> dict:
        return {"start": self.start, "end": self.end, "rate": 0}


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
