"""``JobID``: a job's unique id, as ``pyflink.common.JobID`` (32 hex digits)."""
import uuid

__all__ = ["JobID"]


class JobID:
    """A job's id: 16 random bytes, shown as 32 hex digits.

    >>> len(JobID.generate().to_hex_string())
    32
    """

    def __init__(self, value: bytes):
        if not isinstance(value, bytes) or len(value) != 16:
            raise ValueError(f"a JobID is 16 bytes, got {value!r}")
        self._value = value

    @staticmethod
    def generate() -> "JobID":
        """A new random id."""
        return JobID(uuid.uuid4().bytes)

    def to_hex_string(self) -> str:
        """The id as 32 lowercase hex digits."""
        return self._value.hex()

    def __str__(self):
        return self.to_hex_string()

    def __repr__(self):
        return f"JobID({self.to_hex_string()})"

    def __eq__(self, other):
        return isinstance(other, JobID) and other._value == self._value

    def __hash__(self):
        return hash(self._value)
