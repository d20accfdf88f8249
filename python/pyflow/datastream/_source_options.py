"""The options of the text file sources (``read_text_file``, ``FileSource``), checked when the plan is built.

``pyflow.source.invalid-utf8``: ``fail`` (the default: the job fails naming the file, line and byte offset)
or ``replace`` (invalid bytes read as U+FFFD). ``pyflow.source.max-line-length``: the longest line, a size
as Flink writes one (``64 mb``, ``1048576``; ``kb``/``mb``/``gb`` are powers of 1024), from 1 byte to 1 gb,
64 mb by default; a longer line fails the job naming the file and line before it is read whole. The engine
host reads the same options (``src/PyBridge/Host/SourceOptions.cs``).

>>> check_source_options({"pyflow.source.max-line-length": "256 mb"})
>>> check_source_options({"pyflow.source.max-line-length": "2 gb"})
Traceback (most recent call last):
pyflow.errors.PlanError: option 'pyflow.source.max-line-length' = '2 gb' is out of range: it must be between 1 byte and 1073741824 bytes (1 gb)
"""
import re

from pyflow.errors import PlanError

INVALID_UTF8 = "pyflow.source.invalid-utf8"
MAX_LINE_LENGTH = "pyflow.source.max-line-length"
_KNOWN = (INVALID_UTF8, MAX_LINE_LENGTH)
_MAX_BYTES = 1 << 30  # the engine's LineReadOptions.MaxAllowedLineBytes: a decoded line must fit a .NET string
_UNITS = {"": 1, "b": 1, "bytes": 1, "k": 1 << 10, "kb": 1 << 10, "kibibytes": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
          "mebibytes": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gibibytes": 1 << 30}


def check_source_options(config: dict) -> None:
    """Raises PlanError naming the first ``pyflow.source.*`` option of ``config`` that is unknown or out of range."""
    for key in config:
        if key.startswith("pyflow.source.") and key not in _KNOWN:
            raise PlanError(f"unknown option {key!r}; the pyflow.source.* options are: {', '.join(_KNOWN)}")
    policy = config.get(INVALID_UTF8)
    if policy is not None and policy.strip().lower() not in ("fail", "replace"):
        raise PlanError(f"option {INVALID_UTF8!r} must be 'fail' or 'replace', not {policy!r}")
    size = config.get(MAX_LINE_LENGTH)
    if size is not None:
        _bytes(size)


def _bytes(text: str) -> int:
    allowed = f"between 1 byte and {_MAX_BYTES} bytes (1 gb)"
    match = re.fullmatch(r"\s*(\d+)\s*([a-z]*)\s*", text.lower())
    if not match or match.group(2) not in _UNITS:
        raise PlanError(f"option {MAX_LINE_LENGTH!r} must be a size such as '64 mb' or '1048576', {allowed}; "
                        f"not {text!r}")
    n = int(match.group(1)) * _UNITS[match.group(2)]
    if not 1 <= n <= _MAX_BYTES:
        raise PlanError(f"option {MAX_LINE_LENGTH!r} = {text!r} is out of range: it must be {allowed}")
    return n
