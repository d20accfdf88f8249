"""``Duration``, ``Time`` and ``Instant``, as ``pyflink.common.time`` (durations in milliseconds, as PyFlow's
event time)."""

__all__ = ["Duration", "Time", "Instant"]

#: The longest duration the engine takes: .NET's ``TimeSpan.MaxValue`` in whole milliseconds (about 29,227
#: years). Python's ints and PyFlink's Java ``Duration`` go further; a longer one is refused where it is used.
MAX_MILLIS = 922_337_203_685_477


def check_millis(ms: int, what: str, least: int = 0) -> int:
    """``ms`` when ``least <= ms <= MAX_MILLIS``; otherwise a PlanError naming ``what`` (the argument or option)
    and the range, raised where the plan is built rather than as an overflow inside the engine.

    >>> check_millis(Duration.of_days(10 ** 9).to_milliseconds(), "TumblingEventTimeWindows.of(size)", 1)
    Traceback (most recent call last):
    pyflow.errors.PlanError: TumblingEventTimeWindows.of(size) must be between 1 ms and 922337203685477 ms (about 29,227 years), got 86400000000000000 ms
    """
    if not least <= ms <= MAX_MILLIS:
        from pyflow.errors import PlanError
        raise PlanError(f"{what} must be between {least} ms and {MAX_MILLIS} ms (about 29,227 years), got {ms} ms")
    return ms


class Duration:
    """A length of time, as PyFlink's ``Duration``.

    >>> Duration.of_seconds(2).to_milliseconds()
    2000
    """

    def __init__(self, millis: int):
        if not isinstance(millis, int) or isinstance(millis, bool):
            raise TypeError(f"a Duration is a whole number of milliseconds, got {millis!r}")
        self._millis = millis

    @staticmethod
    def of_millis(millis: int) -> "Duration":
        """A Duration of ``millis`` milliseconds."""
        return Duration(millis)

    @staticmethod
    def of_seconds(seconds: int) -> "Duration":
        """A Duration of ``seconds`` seconds."""
        return Duration(seconds * 1000)

    @staticmethod
    def of_minutes(minutes: int) -> "Duration":
        """A Duration of ``minutes`` minutes."""
        return Duration(minutes * 60_000)

    @staticmethod
    def of_hours(hours: int) -> "Duration":
        """A Duration of ``hours`` hours."""
        return Duration(hours * 3_600_000)

    @staticmethod
    def of_days(days: int) -> "Duration":
        """A Duration of ``days`` days."""
        return Duration(days * 86_400_000)

    @staticmethod
    def zero() -> "Duration":
        """The Duration of length 0."""
        return Duration(0)

    def to_milliseconds(self) -> int:
        """The length in milliseconds."""
        return self._millis

    def __eq__(self, other):
        return isinstance(other, Duration) and other._millis == self._millis

    def __hash__(self):
        return hash(self._millis)

    def __repr__(self):
        return f"Duration.of_millis({self._millis})"


class Time(Duration):
    """PyFlink's older ``Time`` (used by window assigners): ``Time.seconds(5)``.

    >>> Time.minutes(1).to_milliseconds()
    60000
    """

    @staticmethod
    def milliseconds(millis: int) -> "Time":
        """A Time of ``millis`` milliseconds."""
        return Time(millis)

    @staticmethod
    def seconds(seconds: int) -> "Time":
        """A Time of ``seconds`` seconds."""
        return Time(seconds * 1000)

    @staticmethod
    def minutes(minutes: int) -> "Time":
        """A Time of ``minutes`` minutes."""
        return Time(minutes * 60_000)

    @staticmethod
    def hours(hours: int) -> "Time":
        """A Time of ``hours`` hours."""
        return Time(hours * 3_600_000)

    @staticmethod
    def days(days: int) -> "Time":
        """A Time of ``days`` days."""
        return Time(days * 86_400_000)


class Instant:
    """A point on the time line, as PyFlink's ``Instant``: whole ``seconds`` since 1970-01-01T00:00:00Z
    and ``nanos`` (0..999,999,999) after them. The value of ``Types.INSTANT()``, which keeps
    microseconds: an Instant with a sub-microsecond part is refused there, never rounded.

    >>> Instant.of_epoch_milli(1500)
    Instant<1, 500000000>
    >>> Instant(-1, 500_000_000).to_epoch_milli()
    -500
    """

    __slots__ = ("seconds", "nanos")

    def __init__(self, seconds: int, nanos: int):
        for name, v in (("seconds", seconds), ("nanos", nanos)):
            if not isinstance(v, int) or isinstance(v, bool):
                raise TypeError(f"Instant: {name} must be an int, got {v!r}")
        if not 0 <= nanos < 1_000_000_000:
            raise ValueError(f"Instant: nanos must be in 0..999999999, got {nanos}; carry whole seconds into seconds")
        self.seconds = seconds
        self.nanos = nanos

    @staticmethod
    def of_epoch_milli(epoch_milli: int) -> "Instant":
        """The Instant ``epoch_milli`` milliseconds after the epoch (negative: before)."""
        seconds, millis = divmod(epoch_milli, 1000)
        return Instant(seconds, millis * 1_000_000)

    def to_epoch_milli(self) -> int:
        """Milliseconds since the epoch, rounded down (toward the past), as Java's ``toEpochMilli``."""
        return self.seconds * 1000 + self.nanos // 1_000_000

    def __eq__(self, other):
        return isinstance(other, Instant) and (self.seconds, self.nanos) == (other.seconds, other.nanos)

    def __hash__(self):
        return hash((Instant, self.seconds, self.nanos))

    def __lt__(self, other):
        if not isinstance(other, Instant):
            return NotImplemented
        return (self.seconds, self.nanos) < (other.seconds, other.nanos)

    def __reduce__(self):
        return Instant, (self.seconds, self.nanos)

    def __repr__(self):
        return f"Instant<{self.seconds}, {self.nanos}>"


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
