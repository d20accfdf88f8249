"""``JobExecutionResult``: what a finished job returns, as PyFlink's ``pyflink.common.JobExecutionResult``."""
__all__ = ["JobExecutionResult"]


class JobExecutionResult:
    """The outcome of a finished job, as PyFlink's.

    >>> r = JobExecutionResult("word count", 1234)
    >>> r.get_job_name(), r.get_net_runtime()
    ('word count', 1234)
    """

    def __init__(self, job_name: str, net_runtime_ms: int, job_id=None):
        self._job_name = job_name
        self._net_runtime = net_runtime_ms
        self._job_id = job_id

    def get_job_id(self):
        """The ``JobID`` of the job (``execute_async``'s), or None for a job run by ``execute()``."""
        return self._job_id

    def get_job_name(self) -> str:
        """The job's name."""
        return self._job_name

    def get_net_runtime(self) -> int:
        """How long the job ran on the engine, in milliseconds."""
        return self._net_runtime

    def __repr__(self):
        return f"JobExecutionResult(job_name={self._job_name!r}, net_runtime={self._net_runtime} ms)"
