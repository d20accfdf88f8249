"""``GuardedDisplay``: a progress display whose failure never touches the job."""
import sys


class GuardedDisplay:
    """Forwards ``update``/``clear``/``finish`` to ``display``. If the display raises (a broken terminal, an
    IPython error), the job goes on: the error is reported once on stderr and the display is switched off."""

    def __init__(self, display):
        self._display = display

    def update(self, progress) -> None:
        self._call("update", progress)

    def clear(self) -> None:
        """Makes room for the job's own output (print sinks, worker logs) before it is written."""
        if hasattr(self._display, "clear"):
            self._call("clear")

    def finish(self, status: str) -> None:
        self._call("finish", status)
        self._display = None

    def _call(self, method: str, *args) -> None:
        if self._display is None:
            return
        try:
            getattr(self._display, method)(*args)
        except Exception as e:  # noqa: BLE001 - any display failure is reported the same way
            self._display = None
            sys.stderr.write(f"pyflow: the progress display failed ({type(e).__name__}: {e}) and is switched off "
                             "for this job; the job goes on. Set the option pyflow.progress to 'off' to hide it.\n")
