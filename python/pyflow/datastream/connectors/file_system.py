"""``FileSource`` with the text line format, as PyFlink's:
``FileSource.for_record_stream_format(StreamFormat.text_line_format(), path).process_static_file_set().build()``.
Every line of the files (a directory: its files in name order) as a STRING record; bounded."""
import os

__all__ = ["FileSource", "StreamFormat"]


class StreamFormat:
    def __init__(self, name: str):
        self._name = name

    @staticmethod
    def text_line_format(charset_name: str = "UTF-8") -> "StreamFormat":
        if charset_name.upper().replace("-", "") != "UTF8":
            raise NotImplementedError(f"text_line_format({charset_name!r}): only UTF-8 is supported yet (planned)")
        return StreamFormat("text_line")


class FileSource:
    """A bounded source over text files."""

    def __init__(self, paths: list):
        self.paths = paths

    @staticmethod
    def for_record_stream_format(stream_format: StreamFormat, *paths: str) -> "FileSourceBuilder":
        if not isinstance(stream_format, StreamFormat):
            raise TypeError(f"for_record_stream_format expects a StreamFormat, got {stream_format!r}")
        if not paths:
            raise ValueError("for_record_stream_format needs at least one path")
        return FileSourceBuilder([os.path.abspath(p) for p in paths])


class FileSourceBuilder:
    def __init__(self, paths: list):
        self._paths = paths

    def process_static_file_set(self) -> "FileSourceBuilder":
        """Reads the files once (bounded): the only mode there is yet."""
        return self

    def monitor_continuously(self, discovery_interval):
        raise NotImplementedError("continuous file monitoring is not supported yet (planned)")

    def build(self) -> FileSource:
        missing = [p for p in self._paths if not os.path.exists(p)]
        if missing:
            raise FileNotFoundError(f"FileSource: no such file or directory: {', '.join(missing)}")
        return FileSource(self._paths)
