"""``KeyedStream.sum/min/max/min_by/max_by`` as rolling reduces, with Flink's semantics:

- ``sum``, ``min``, ``max`` keep the key's first record and replace one field with the running
  sum / minimum / maximum (Flink's ``SumAggregator`` and ``ComparableAggregator`` without ``by``);
- ``min_by``, ``max_by`` keep the whole record holding the extreme value, the earlier one on ties
  (Flink's ``minBy(pos, first=true)``).

The field is an index of a tuple, list or ``Row``, a ``Row`` field name, or 0 for a plain number.

>>> f = aggregation("sum", 1)
>>> f.reduce(("a", 1, "x"), ("a", 2, "y"))
('a', 3, 'x')
>>> aggregation("max_by", 0).reduce(3, 5)
5
"""
import numbers

from pyflow.common.row import Row
from pyflow.datastream.functions import ReduceFunction
from pyflow.errors import PlanError

KINDS = ("sum", "min", "max", "min_by", "max_by")


def aggregation(kind: str, position) -> "Aggregation":
    """The reduce function of ``KeyedStream.<kind>(position)``; the position is checked here."""
    if isinstance(position, bool) or not isinstance(position, (int, str)):
        raise PlanError(f"KeyedStream.{kind}(): the position must be an int index or a Row field name, "
                        f"got {position!r}")
    if isinstance(position, int) and position < 0:
        raise PlanError(f"KeyedStream.{kind}(): the position must be >= 0, got {position}")
    return Aggregation(kind, position)


class Aggregation(ReduceFunction):
    """One rolling aggregation over field ``position`` of a key's records."""

    def __init__(self, kind: str, position):
        self.name = kind
        self.position = position

    def reduce(self, value1, value2):
        a, b = self._field(value1), self._field(value2)
        kind = self.name
        if kind == "sum":
            return self._replace(value1, a + b)
        if kind == "min":
            return value1 if a <= b else self._replace(value1, b)
        if kind == "max":
            return value1 if a >= b else self._replace(value1, b)
        if kind == "min_by":
            return value1 if a <= b else value2
        return value1 if a >= b else value2  # max_by

    def _field(self, value):
        pos = self.position
        if isinstance(value, (tuple, list)):
            if isinstance(pos, str):
                if isinstance(value, Row):
                    return value[pos]  # KeyError names the fields
                raise TypeError(f"{self.name}('{pos}'): a field name needs Row records, got {type(value).__name__}; "
                                "use an index")
            if pos >= len(value):
                raise IndexError(f"{self.name}({pos}): the record {value!r} has only {len(value)} fields")
            return value[pos]
        # a plain record (a number, a str, ...) is its own field 0, as in PyFlink
        if pos != 0:
            raise TypeError(f"{self.name}({pos!r}): the records are plain {type(value).__name__} values, not tuples "
                            "or Rows, so the position must be 0")
        if self.name == "sum" and not (isinstance(value, numbers.Number) and not isinstance(value, bool)):
            raise TypeError(f"sum(): plain records must be numbers, got {type(value).__name__}")
        return value

    def _replace(self, value, field):
        if not isinstance(value, (tuple, list)):
            return field
        index = value._index(self.position) if isinstance(self.position, str) else self.position
        items = list(value)
        items[index] = field
        if isinstance(value, Row):
            return Row._with_fields(value.__dict__.get("_fields"), items)
        return items if isinstance(value, list) else type(value)(items) if type(value) is tuple else tuple(items)
