"""The gateway client: starts the engine host and speaks the gateway protocol (docs/ARCHITECTURE.md).

Internal: the API calls ``execute_plan`` (``env.execute``), ``submit_plan`` (``env.execute_async``) and
``collect_plan`` (``execute_and_collect``).
"""
from pyflow._gateway.host_locator import host_command
from pyflow._gateway.job_run import JobRun
from pyflow._gateway.results import CloseableIterator, JobExecutionResult
from pyflow._progress import choose

__all__ = ["execute_plan", "submit_plan", "collect_plan", "JobExecutionResult", "CloseableIterator"]


def _start(job_plan, collecting: bool = False):
    """A submitted JobRun, with the progress display the plan's ``pyflow.progress`` asks for (or None)."""
    job_name = job_plan.plan["job_name"]
    display = choose.make_display(choose.progress_mode(job_plan.plan["config"]), job_name, collecting)
    if display is None:
        return JobRun(job_plan, host_command()), None
    return JobRun(job_plan, host_command(), choose.INTERVAL_MS, display.update), display


def execute_plan(job_plan) -> JobExecutionResult:
    """Runs ``job_plan`` on a new engine host and waits for it to finish."""
    run, display = _start(job_plan)
    status = "FAILED"
    try:
        while run.next_values() is not None:
            pass  # execute() has no collect sinks; print sinks are written by the run itself
        status = "FINISHED"
    except KeyboardInterrupt:
        status = "CANCELED"
        run.abort()
        raise
    except BaseException:
        run.abort()  # already done by next_values, unless Ctrl+C came between two calls; abort is idempotent
        raise
    finally:
        if display is not None:
            display.finish(status)
    return JobExecutionResult(run.job_name, run.duration_ms)


def submit_plan(job_plan):
    """Starts ``job_plan`` on a new engine host and returns its ``JobClient`` at once. The host always
    reports progress here, so ``JobClient.get_progress()`` works with or without a display."""
    from pyflow.common.job_client import JobClient
    from pyflow.common.job_id import JobID
    job_name = job_plan.plan["job_name"]
    display = choose.make_display(choose.progress_mode(job_plan.plan["config"]), job_name)
    run = JobRun(job_plan, host_command(), choose.INTERVAL_MS, display.update if display is not None else None)
    return JobClient(run, JobID.generate(), display)


def collect_plan(job_plan) -> CloseableIterator:
    """Starts ``job_plan`` on a new engine host; the iterator yields the values of its collect sink."""
    run, _display = _start(job_plan, collecting=True)  # the display ends with the run: no finish line here
    return CloseableIterator(run)
