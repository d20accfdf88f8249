"""``Duration`` and ``Time``, as ``pyflink.common.time`` (millisecond precision, as PyFlow's event time)."""

__all__ = ["Duration", "Time"]


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


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
