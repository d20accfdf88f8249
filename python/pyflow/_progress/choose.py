"""The option ``pyflow.progress`` and the display it picks for a job.

- ``auto`` (default): an HTML table in a Jupyter kernel, a refreshing line when stderr is a terminal, else nothing;
- ``off``: nothing; ``terminal``: the line on stderr; ``html``: the table (needs IPython).

Progress is shown for ``execute()`` and ``execute_async()``. While ``execute_and_collect()`` is iterated the
caller's own output comes first: there it is shown only when the option names a display (``terminal``/``html``).
"""
import sys

from pyflow.errors import PlanError

OPTION = "pyflow.progress"
VALUES = ("auto", "off", "terminal", "html")
INTERVAL_MS = 300  # how often the host sends PROGRESS when a display wants it


def progress_mode(config: dict) -> str:
    """The validated value of ``pyflow.progress`` in the plan's ``config`` (``auto`` when unset)."""
    value = config.get(OPTION, "auto")
    mode = value.strip().lower()
    if mode not in VALUES:
        raise PlanError(f"configuration option {OPTION!r} must be one of {', '.join(VALUES)}, got {value!r}; "
                        f"e.g. Configuration().set_string({OPTION!r}, 'off')")
    return mode


def in_jupyter_kernel() -> bool:
    """Whether this code runs in an IPython kernel (Jupyter), not a plain interpreter or terminal IPython."""
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    shell = ipython_module.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def make_display(mode: str, job_name: str, collecting: bool = False):
    """The display for ``mode`` (an object with ``update(progress)`` and ``finish(status)``), or None."""
    if mode == "off" or (collecting and mode == "auto"):
        return None
    if mode == "auto":
        mode = "html" if in_jupyter_kernel() else "terminal" if _is_tty(sys.stderr) else "off"
    if mode == "terminal":
        from pyflow._progress.terminal import TerminalProgress
        return TerminalProgress(job_name, sys.stderr)
    if mode == "html":
        try:
            from pyflow._progress.html import HtmlProgress
            return HtmlProgress(job_name)
        except ImportError as e:
            raise PlanError(f"{OPTION}=html needs IPython ({e}); use 'terminal', 'off' or 'auto'") from e
    return None


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
