"""The option ``pyflow.frame.max-size``: the largest frame on any PyFlow pipe (driver <-> host <-> workers).

One frame carries one batch of records, so a few huge records can outgrow it. The driver validates the option
and the plan carries it, so every end of every pipe uses the same limit (``FrameLimit`` in C#).
"""
import re

from pyflow._protocol.frames import CEILING, MAX_FRAME
from pyflow.errors import PlanError

OPTION = "pyflow.frame.max-size"
MINIMUM = 1024 * 1024
_UNITS = {"": 1, "b": 1, "kb": 1 << 10, "k": 1 << 10, "mb": 1 << 20, "m": 1 << 20, "gb": 1 << 30, "g": 1 << 30}


def frame_limit(config: dict) -> int:
    """The validated limit in bytes (``MAX_FRAME`` when unset). Sizes as Flink writes them: ``512 mb``, ``1 gb``,
    or plain bytes (units are powers of 1024)."""
    text = config.get(OPTION)
    if text is None:
        return MAX_FRAME
    match = re.fullmatch(r"\s*(\d+)\s*([a-z]*)\s*", text.lower())
    size = int(match.group(1)) * _UNITS[match.group(2)] if match and match.group(2) in _UNITS else None
    if size is None or not MINIMUM <= size <= CEILING:
        raise PlanError(f"configuration option {OPTION!r} must be a size from 1 mb to 1 gb (e.g. '512 mb'), "
                        f"got {text!r}")
    return size
