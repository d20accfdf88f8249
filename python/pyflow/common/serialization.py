"""``Encoder`` (how a file sink turns a record into a line) and the string schemas, as
``pyflink.common.serialization``.

>>> schema = SimpleStringSchema()
>>> schema.deserialize(schema.serialize("héllo"))
'héllo'
"""
from abc import ABC, abstractmethod

__all__ = ["Encoder", "SerializationSchema", "DeserializationSchema", "SimpleStringSchema"]


class SerializationSchema(ABC):
    """Turns a record into bytes."""

    @abstractmethod
    def serialize(self, element) -> bytes:
        """The bytes of ``element``."""


class DeserializationSchema(ABC):
    """Turns bytes into a record."""

    @abstractmethod
    def deserialize(self, message: bytes):
        """The record of ``message``."""


class SimpleStringSchema(SerializationSchema, DeserializationSchema):
    """Strings as bytes in ``charset`` (UTF-8 by default), as Flink's SimpleStringSchema."""

    def __init__(self, charset: str = "UTF-8"):
        "".encode(charset)  # an unknown charset fails here, with Python's LookupError naming it
        self._charset = charset

    def get_charset(self) -> str:
        """The charset."""
        return self._charset

    def serialize(self, element: str) -> bytes:
        """``element`` encoded."""
        if not isinstance(element, str):
            raise TypeError(f"SimpleStringSchema serializes str, got {type(element).__name__}")
        return element.encode(self._charset)

    def deserialize(self, message: bytes) -> str:
        """``message`` decoded."""
        return bytes(message).decode(self._charset)


class Encoder:
    """``Encoder.simple_string_encoder()`` writes ``str(record)`` and a newline, as Flink's SimpleStringEncoder."""

    def __init__(self, kind: str):
        self._kind = kind

    @staticmethod
    def simple_string_encoder(charset_name: str = "UTF-8") -> "Encoder":
        """The encoder writing ``str(record)`` and a newline; only UTF-8."""
        if charset_name.upper().replace("-", "") != "UTF8":
            raise NotImplementedError(f"simple_string_encoder({charset_name!r}): only UTF-8 is supported yet (planned)")
        return Encoder("simple_string")


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
