"""``FileSource`` with the text line format, as PyFlink's:
``FileSource.for_record_stream_format(StreamFormat.text_line_format(), path).process_static_file_set().build()``.
Every line of the files (a directory: its files in name order) as a STRING record; bounded."""
import os

from pyflow.common.time import check_millis

__all__ = ["FileSource", "FileSourceBuilder", "StreamFormat", "FileSink", "OutputFileConfig", "RollingPolicy"]


class StreamFormat:
    """How a FileSource reads a file into records: ``StreamFormat.text_line_format()``."""

    def __init__(self, name: str):
        self._name = name

    @staticmethod
    def text_line_format(charset_name: str = "UTF-8") -> "StreamFormat":
        """One STRING record per line (without the line break); only UTF-8."""
        if charset_name.upper().replace("-", "") != "UTF8":
            raise NotImplementedError(f"text_line_format({charset_name!r}): only UTF-8 is supported yet (planned)")
        return StreamFormat("text_line")


class FileSource:
    """A bounded source over text files."""

    def __init__(self, paths: list):
        self.paths = paths

    @staticmethod
    def for_record_stream_format(stream_format: StreamFormat, *paths: str) -> "FileSourceBuilder":
        """A builder of a source reading ``paths`` (files or directories) with ``stream_format``."""
        if not isinstance(stream_format, StreamFormat):
            raise TypeError(f"for_record_stream_format expects a StreamFormat, got {stream_format!r}")
        if not paths:
            raise ValueError("for_record_stream_format needs at least one path")
        return FileSourceBuilder([os.path.abspath(p) for p in paths])


class FileSourceBuilder:
    """Builds a FileSource (from ``FileSource.for_record_stream_format``): ``.process_static_file_set().build()``."""

    def __init__(self, paths: list):
        self._paths = paths

    def process_static_file_set(self) -> "FileSourceBuilder":
        """Reads the files once (bounded): the only mode there is yet."""
        return self

    def monitor_continuously(self, discovery_interval):
        """Not supported yet: raises NotImplementedError (files are read once)."""
        raise NotImplementedError("continuous file monitoring is not supported yet (planned)")

    def build(self) -> FileSource:
        """The FileSource; every path must exist."""
        missing = [p for p in self._paths if not os.path.exists(p)]
        if missing:
            raise FileNotFoundError(f"FileSource: no such file or directory: {', '.join(missing)}")
        return FileSource(self._paths)


_NEVER = 10 * 365 * 24 * 3600 * 1000  # ten years in ms, and as many bytes: a limit never reached


class RollingPolicy:
    """When a part file is closed and a new one started, as PyFlink's ``RollingPolicy`` (sizes in bytes, times in ms)."""

    def __init__(self, part_size: int, rollover_interval: int, inactivity_interval: int):
        for name, v in (("part_size", part_size), ("rollover_interval", rollover_interval),
                        ("inactivity_interval", inactivity_interval)):
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise ValueError(f"RollingPolicy: {name} must be a positive int, got {v!r}")
            if name != "part_size":
                check_millis(v, f"RollingPolicy({name})", least=1)
        self.part_size = part_size
        self.rollover_interval = rollover_interval
        self.inactivity_interval = inactivity_interval

    @staticmethod
    def default_rolling_policy(part_size: int = 128 * 1024 * 1024, rollover_interval: int = 60_000,
                               inactivity_interval: int = 60_000) -> "RollingPolicy":
        """Rolls a part file when it reaches ``part_size`` bytes, is ``rollover_interval`` ms old, or has been
        idle for ``inactivity_interval`` ms."""
        return RollingPolicy(part_size, rollover_interval, inactivity_interval)

    @staticmethod
    def on_checkpoint_rolling_policy() -> "RollingPolicy":
        """Rolls part files at checkpoints only (PyFlink's ``OnCheckpointRollingPolicy``): with checkpointing on,
        each checkpoint closes the files in progress, and they are committed when it completes. Without
        checkpoints nothing rolls: each subtask writes one file, committed at the end of input."""
        return RollingPolicy(_NEVER, _NEVER, _NEVER)


class OutputFileConfig:
    """Part file names, as PyFlink's: ``{prefix}-{subtask}-{counter}{suffix}``."""

    def __init__(self, part_prefix: str, part_suffix: str):
        self.part_prefix = part_prefix
        self.part_suffix = part_suffix

    @staticmethod
    def builder() -> "OutputFileConfigBuilder":
        """A builder of the part files' prefix and suffix."""
        return OutputFileConfigBuilder()


class OutputFileConfigBuilder:
    def __init__(self):
        self._prefix, self._suffix = "part", ""

    def with_part_prefix(self, prefix: str) -> "OutputFileConfigBuilder":
        self._prefix = prefix
        return self

    def with_part_suffix(self, suffix: str) -> "OutputFileConfigBuilder":
        self._suffix = suffix
        return self

    def build(self) -> OutputFileConfig:
        return OutputFileConfig(self._prefix, self._suffix)


class FileSink:
    """Rolling part files of text lines, as PyFlink's ``FileSink.for_row_format(...)``. Files in progress are
    hidden (``.{name}.inprogress``) and renamed into place when rolled and at the end of input. With
    checkpointing on it is exactly-once (two-phase commit, as Flink's): files in progress become pending at
    rolling and at each checkpoint, and are renamed into place only when that checkpoint completes, so the
    committed output after any failure and recovery equals a failure-free run."""

    def __init__(self, base_path: str, config: OutputFileConfig, policy: RollingPolicy):
        self.base_path = base_path
        self.config = config
        self.policy = policy

    @staticmethod
    def for_row_format(base_path: str, encoder) -> "FileSinkBuilder":
        """A builder of a sink writing each record with ``encoder`` under ``base_path``."""
        from pyflow.common.serialization import Encoder
        if not isinstance(encoder, Encoder):
            raise TypeError(f"for_row_format expects an Encoder (Encoder.simple_string_encoder()), got {encoder!r}")
        return FileSinkBuilder(os.path.abspath(base_path))

    def _fields(self) -> dict:
        return {"base_path": self.base_path, "part_prefix": self.config.part_prefix,
                "part_suffix": self.config.part_suffix, "part_size": self.policy.part_size,
                "rollover_interval_ms": self.policy.rollover_interval,
                "inactivity_interval_ms": self.policy.inactivity_interval}


class FileSinkBuilder:
    def __init__(self, base_path: str):
        self._base_path = base_path
        self._config = OutputFileConfig("part", "")
        self._policy = RollingPolicy.default_rolling_policy()

    def with_output_file_config(self, config: OutputFileConfig) -> "FileSinkBuilder":
        self._config = config
        return self

    def with_rolling_policy(self, policy: RollingPolicy) -> "FileSinkBuilder":
        self._policy = policy
        return self

    def build(self) -> FileSink:
        return FileSink(self._base_path, self._config, self._policy)


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
