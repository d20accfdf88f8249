"""The gateway client: starts the engine host and speaks the gateway protocol (docs/ARCHITECTURE.md).

Internal: the API calls ``execute_plan`` (``env.execute``) and ``collect_plan`` (``execute_and_collect``).
"""
from pyflow._gateway.host_locator import host_command
from pyflow._gateway.job_run import JobRun
from pyflow._gateway.results import CloseableIterator, JobExecutionResult

__all__ = ["execute_plan", "collect_plan", "JobExecutionResult", "CloseableIterator"]


def execute_plan(job_plan) -> JobExecutionResult:
    """Runs ``job_plan`` on a new engine host and waits for it to finish."""
    run = JobRun(job_plan, host_command())
    try:
        while run.next_values() is not None:
            pass  # execute() has no collect sinks; print sinks are written by the run itself
    except BaseException:
        run.abort()  # already done by next_values, unless Ctrl+C came between two calls; abort is idempotent
        raise
    return JobExecutionResult(run.job_name, run.duration_ms)


def collect_plan(job_plan) -> CloseableIterator:
    """Starts ``job_plan`` on a new engine host; the iterator yields the values of its collect sink."""
    return CloseableIterator(JobRun(job_plan, host_command()))
