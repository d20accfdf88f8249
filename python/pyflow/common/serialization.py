"""``Encoder``, as ``pyflink.common.serialization``: how a file sink turns a record into a line."""

__all__ = ["Encoder"]


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
