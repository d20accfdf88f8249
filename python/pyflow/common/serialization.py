"""``Encoder``, as ``pyflink.common.serialization``: how a file sink turns a record into a line."""

__all__ = ["Encoder"]


class Encoder:
    """``Encoder.simple_string_encoder()`` writes ``str(record)`` and a newline, as Flink's SimpleStringEncoder."""

    def __init__(self, kind: str):
        self._kind = kind

    @staticmethod
    def simple_string_encoder(charset_name: str = "UTF-8") -> "Encoder":
        if charset_name.upper().replace("-", "") != "UTF8":
            raise NotImplementedError(f"simple_string_encoder({charset_name!r}): only UTF-8 is supported yet (planned)")
        return Encoder("simple_string")
