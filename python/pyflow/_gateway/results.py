"""What a job returns to the caller: ``JobExecutionResult`` (execute) and ``CloseableIterator`` (collect)."""
import itertools

from pyflow.common.job_execution_result import JobExecutionResult

__all__ = ["JobExecutionResult", "CloseableIterator"]


class CloseableIterator:
    """The records of a collected stream, yielded as the engine sends them. ``close()`` cancels the job.

    Use it as a context manager when you may stop early::

        with ds.execute_and_collect() as results:
            first = next(results)
    """

    def __init__(self, run):
        self._run = run  # a JobRun, None once the job ended or was closed
        self._batches = self._generate()
        # chain.from_iterable walks each decoded frame's list in C: a few nanoseconds a record, where a
        # generator's ``yield from`` costs tens and a Python-level __next__ per record several times that.
        self._records = itertools.chain.from_iterable(self._batches)
        self._current = None  # the frame the chain is walking: close() empties it, so nothing more comes out

    def _generate(self):
        # The decoded frames (lists of records), one at a time, as the engine sends them.
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
            self._current = values
            yield values

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
        self._batches.close()
        if self._current is not None:
            self._current.clear()
            self._current = None
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
