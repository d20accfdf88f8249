"""Live progress of a running job: the PROGRESS frame's content and its displays (terminal line, Jupyter HTML).

Which display a job gets is the option ``pyflow.progress`` (see ``choose.py``).
"""
from pyflow._progress.choose import OPTION, VALUES, make_display, progress_mode
from pyflow._progress.model import JobProgress, OperatorProgress

__all__ = ["OPTION", "VALUES", "make_display", "progress_mode", "JobProgress", "OperatorProgress"]
