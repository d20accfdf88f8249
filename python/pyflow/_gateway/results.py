"""What a job returns to the caller: ``JobExecutionResult`` (execute) and ``CloseableIterator`` (collect)."""
__all__ = ["JobExecutionResult", "CloseableIterator"]


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


class CloseableIterator:
    """The records of a collected stream, yielded as the engine sends them. ``close()`` cancels the job.

    Use it as a context manager when you may stop early::

        with ds.execute_and_collect() as results:
            first = next(results)
    """

    def __init__(self, run):
        self._run = run  # a JobRun, None once the job ended or was closed
        self._records = self._generate()

    def _generate(self):
        # One generator for the whole stream: ``yield from`` a decoded frame costs tens of
        # nanoseconds a record, where a Python-level __next__ per record costs several times that.
        while self._run is not None:
            run = self._run
            try:
                values = run.next_values()
            except BaseException:
                self._run = None  # the run has cleaned up (JobRun.next_values aborts or finishes on any exit)
                raise
            if values is None:
                self._run = None
                return
            yield from values

    def __iter__(self):
        return self._records

    def __next__(self):
        return next(self._records)

    def next(self):
        """The next record (PyFlink's spelling of ``next(it)``)."""
        return self.__next__()

    def close(self) -> None:
        """Cancels the job if it still runs and stops the engine host. Safe to call twice."""
        run, self._run = self._run, None
        self._records.close()
        if run is not None:
            run.abort()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def __del__(self):
        # A dropped, unclosed iterator must not leave a host running (and a job producing) until exit.
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing can be reported from a finalizer
            pass
