"""The terminal display: one line on stderr, rewritten in place with ``\\r`` as PROGRESS frames arrive."""
import shutil

from pyflow._progress.model import JobProgress, RateMeter, average_rate


def format_line(job_name: str, progress: JobProgress, rate: float) -> str:
    """``job 'wc' 1.5 s | 1,200 rec/s | Source 0→3,000 | Map 3,000→3,000``.

    >>> from pyflow._progress.model import OperatorProgress
    >>> p = JobProgress(1500, (OperatorProgress("Source", 1, 0, 3000), OperatorProgress("Map", 2, 3000, 2990)))
    >>> format_line("wc", p, 1200.0)
    "job 'wc' 1.5 s | 1,200 rec/s | Source 0→3,000 | Map 3,000→2,990"
    """
    parts = [f"job {job_name!r} {progress.elapsed_ms / 1000:.1f} s", f"{rate:,.0f} rec/s"]
    parts += [f"{o.name} {o.records_in:,}→{o.records_out:,}" for o in progress.operators]
    return " | ".join(parts)


class TerminalProgress:
    """Writes the progress line to ``stream`` (a TTY), cut to the terminal's width so ``\\r`` rewrites it.

    ``finish()`` leaves the last line in place and ends it with a newline.
    """

    def __init__(self, job_name: str, stream, width: "int | None" = None):
        self._job_name = job_name
        self._stream = stream
        self._width = width or shutil.get_terminal_size((100, 24)).columns
        self._rate = RateMeter()
        self._shown = 0  # length of the line on screen
        self._last = None

    def update(self, progress: JobProgress) -> None:
        """Rewrites the line with ``progress`` and the sources' records/s since the previous one."""
        self._last = progress
        self._write(format_line(self._job_name, progress, self._rate.update(progress)), "")

    def clear(self) -> None:
        """Blanks the line so the job's own output (a print sink's lines) starts at the left; the next update
        draws it again below that output."""
        if self._shown:
            self._stream.write("\r" + " " * self._shown + "\r")
            self._stream.flush()
            self._shown = 0

    def finish(self, status: str) -> None:
        """Rewrites the line a last time, with the average records/s and the job's final ``status``, and
        ends it, so later output starts on a new line. Nothing when no progress was shown."""
        if self._last is not None:
            self._write(f"{status} | " + format_line(self._job_name, self._last, average_rate(self._last)), "\n")
            self._last = None

    def _write(self, text: str, end: str) -> None:
        line = text[: self._width - 1]
        padding = " " * max(0, self._shown - len(line))  # clears what a longer previous line left
        self._stream.write("\r" + line + padding + end)
        self._stream.flush()
        self._shown = 0 if end else len(line)
