"""The Jupyter display: an HTML table updated in place through IPython's ``display_id``."""
import html

from pyflow._progress.model import JobProgress, RateMeter, average_rate


def render_table(job_name: str, progress: JobProgress, rate: float, status: str) -> str:
    """The progress as an HTML table: one row per operator.

    >>> from pyflow._progress.model import OperatorProgress
    >>> p = JobProgress(2000, (OperatorProgress("Source <1>", 1, 0, 10),))
    >>> print(render_table("j", p, 5.0, "RUNNING"))  # doctest: +NORMALIZE_WHITESPACE
    <table class="pyflow-progress"><caption>job &#x27;j&#x27; · RUNNING · 2.0 s · 5 rec/s</caption>
    <thead><tr><th>operator</th><th>parallelism</th><th>records in</th><th>records out</th></tr></thead>
    <tbody><tr><td>Source &lt;1&gt;</td><td>1</td><td>0</td><td>10</td></tr></tbody></table>
    """
    caption = html.escape(f"job {job_name!r} · {status} · {progress.elapsed_ms / 1000:.1f} s · {rate:,.0f} rec/s")
    rows = "".join(f"<tr><td>{html.escape(o.name)}</td><td>{o.parallelism}</td><td>{o.records_in:,}</td>"
                   f"<td>{o.records_out:,}</td></tr>" for o in progress.operators)
    return (f'<table class="pyflow-progress"><caption>{caption}</caption>\n'
            "<thead><tr><th>operator</th><th>parallelism</th><th>records in</th><th>records out</th></tr></thead>\n"
            f"<tbody>{rows}</tbody></table>")


class HtmlProgress:
    """Shows the table with ``display(..., display_id=True)`` at the first PROGRESS, then updates it in place."""

    def __init__(self, job_name: str):
        from IPython.display import HTML, display  # present: choose.py picks this display only in a kernel
        self._html, self._display = HTML, display
        self._job_name = job_name
        self._rate = RateMeter()
        self._handle = None
        self._last = None
        self._last_rate = 0.0

    def update(self, progress: JobProgress) -> None:
        """Shows ``progress`` (creates the display the first time)."""
        self._last, self._last_rate = progress, self._rate.update(progress)
        self._show("RUNNING")

    def finish(self, status: str) -> None:
        """Shows the last counts with the job's final ``status`` and its average records/s."""
        if self._last is not None:
            self._last_rate = average_rate(self._last)
            self._show(status)

    def _show(self, status: str) -> None:
        content = self._html(render_table(self._job_name, self._last, self._last_rate, status))
        if self._handle is None:
            self._handle = self._display(content, display_id=True)
        else:
            self._handle.update(content)
