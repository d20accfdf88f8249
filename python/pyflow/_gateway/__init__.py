"""The gateway client: starts the engine host and speaks the gateway protocol (docs/ARCHITECTURE.md).

Internal: the API calls ``execute_plan`` (``env.execute``), ``submit_plan`` (``env.execute_async``) and
``collect_plan`` (``execute_and_collect``).
"""
from pyflow._gateway.host_locator import host_command
from pyflow._gateway.job_run import JobRun
from pyflow._gateway.results import CloseableIterator, JobExecutionResult
from pyflow._progress import choose

__all__ = ["execute_plan", "submit_plan", "collect_plan", "JobExecutionResult", "CloseableIterator"]


def _start(job_plan, collecting: bool = False, always_progress: bool = False) -> JobRun:
    """A submitted JobRun showing the progress display the plan's ``pyflow.progress`` asks for (the run ends
    the display with the job). The host reports progress when there is a display, or ``always_progress``."""
    display = choose.make_display(choose.progress_mode(job_plan.plan["config"]), job_plan.plan["job_name"],
                                  collecting)
    progress_ms = choose.INTERVAL_MS if display is not None or always_progress else 0
    return JobRun(job_plan, host_command(), progress_ms, display)


def execute_plan(job_plan) -> JobExecutionResult:
    """Runs ``job_plan`` on a new engine host and waits for it to finish."""
    run = _start(job_plan)
    try:
        while run.next_values() is not None:
            pass  # execute() has no collect sinks; print sinks are written by the run itself
    except BaseException:
        run.abort()  # already done by next_values, unless Ctrl+C came between two calls; abort is idempotent
        raise
    return JobExecutionResult(run.job_name, run.duration_ms)


def submit_plan(job_plan):
    """Starts ``job_plan`` on a new engine host and returns its ``JobClient`` at once. The host always reports
    progress here, so ``JobClient.get_progress()`` works with or without a display."""
    from pyflow.common.job_client import JobClient
    from pyflow.common.job_id import JobID
    return JobClient(_start(job_plan, always_progress=True), JobID.generate())


def collect_plan(job_plan) -> CloseableIterator:
    """Starts ``job_plan`` on a new engine host; the iterator yields the values of its collect sink."""
    return CloseableIterator(_start(job_plan, collecting=True))
