"""``JobProgress``: one PROGRESS frame (docs/ARCHITECTURE.md): records in and out per operator, and elapsed time."""
from dataclasses import dataclass

from pyflow.errors import ProtocolError


@dataclass(frozen=True)
class OperatorProgress:
    """One operator's records so far, summed over its ``parallelism`` subtasks."""

    name: str
    parallelism: int
    records_in: int
    records_out: int


@dataclass(frozen=True)
class JobProgress:
    """A snapshot of a running job: ``elapsed_ms`` since it started and its operators, sources first.

    >>> p = JobProgress.from_map({"elapsed_ms": 1500, "operators": [
    ...     {"name": "Source", "parallelism": 1, "records_in": 0, "records_out": 30}]})
    >>> p.operators[0].records_out, p.source_records
    (30, 30)
    """

    elapsed_ms: int
    operators: tuple

    @property
    def source_records(self) -> int:
        """Records the sources emitted: the output of operators that take no input."""
        return sum(o.records_out for o in self.operators if o.records_in == 0)

    @staticmethod
    def from_map(value) -> "JobProgress":
        """Reads a decoded PROGRESS payload; raises ProtocolError naming what is malformed."""
        def bad(what):
            return ProtocolError(f"the engine host sent a PROGRESS frame with {what}: {value!r:.300}")

        if not isinstance(value, dict) or not _is_int(value.get("elapsed_ms")) \
                or not isinstance(value.get("operators"), list):
            raise bad("no integer elapsed_ms or no operators list")
        operators = []
        for op in value["operators"]:
            if not isinstance(op, dict) or not isinstance(op.get("name"), str) \
                    or not all(_is_int(op.get(k)) for k in ("parallelism", "records_in", "records_out")):
                raise bad(f"a malformed operator entry {op!r:.100}")
            operators.append(OperatorProgress(op["name"], op["parallelism"], op["records_in"], op["records_out"]))
        return JobProgress(value["elapsed_ms"], tuple(operators))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def average_rate(progress: JobProgress) -> float:
    """Records per second of the sources over the whole run so far."""
    return progress.source_records * 1000.0 / progress.elapsed_ms if progress.elapsed_ms > 0 else 0.0


class RateMeter:
    """Records per second of the sources between two snapshots (0 before the second)."""

    def __init__(self):
        self._last = None

    def update(self, progress: JobProgress) -> float:
        """The rate since the previous snapshot given here."""
        last, self._last = self._last, progress
        if last is None or progress.elapsed_ms <= last.elapsed_ms:
            return 0.0 if last is None else self._rate
        self._rate = (progress.source_records - last.source_records) * 1000.0 / (progress.elapsed_ms - last.elapsed_ms)
        return self._rate

    _rate = 0.0
