"""``RowKind``, as ``pyflink.common.RowKind``: the change a row stands for in a changelog.

>>> RowKind.UPDATE_AFTER.short_string()
'+U'
"""
from enum import Enum

__all__ = ["RowKind"]


class RowKind(Enum):
    """INSERT (+I), UPDATE_BEFORE (-U), UPDATE_AFTER (+U), DELETE (-D). PyFlow's DataStream rows are inserts;
    the kind is kept on a ``Row`` for code that sets and reads it."""

    INSERT = 0
    UPDATE_BEFORE = 1
    UPDATE_AFTER = 2
    DELETE = 3

    def short_string(self) -> str:
        """``+I``, ``-U``, ``+U`` or ``-D``."""
        return ("+I", "-U", "+U", "-D")[self.value]

    def __str__(self):
        return self.short_string()
