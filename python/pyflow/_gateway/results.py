"""What a job returns to the caller: ``JobExecutionResult`` (execute) and ``CloseableIterator`` (collect)."""
import itertools

from pyflow.common.job_execution_result import JobExecutionResult

__all__ = ["JobExecutionResult", "CloseableIterator"]


class _Session:
    """The run behind one iterator and the frame being walked; shared by the iterator and its generator so
    that neither refers to the other (a reference cycle would keep an abandoned job alive until a GC pass)."""

    def __init__(self, run):
        self.run = run        # a JobRun, None once the job ended or was closed
        self.current = None   # the frame the chain is walking: close() empties it, so nothing more comes out

    def close(self) -> None:
        run, self.run = self.run, None
        if self.current is not None:
            self.current.clear()
            self.current = None
        if run is not None:
            run.abort()

    def __del__(self):
        # Neither the iterator nor the chain from its __iter__ (a for loop's) is held any more: a job nobody
        # can read must not run on. On ``break`` out of a for loop this runs at once (no cycle holds us).
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing can be reported from a finalizer
            pass


def _frames(session: _Session):
    """The decoded frames (lists of records), one at a time, as the engine sends them.

    ``for r in ds.execute_and_collect(): ... break`` holds only the chain over this generator (``__iter__``
    returns it, and the iterator object itself is dropped at once), so the generator refers to the session and
    never to the iterator: on ``break`` the chain, this generator and the session are freed, and the session's
    finalizer cancels the job.
    """
    while session.run is not None:
        run = session.run
        try:
            values = run.next_values()
        except BaseException:
            session.run = None  # the run has cleaned up (JobRun.next_values aborts or finishes on any exit)
            raise
        if values is None:
            session.run = None
            return
        session.current = values
        yield values


class CloseableIterator:
    """The records of a collected stream, yielded as the engine sends them. ``close()`` cancels the job.

    Use it as a context manager when you may stop early::

        with ds.execute_and_collect() as results:
            first = next(results)

    Breaking out of ``for r in ds.execute_and_collect()`` cancels the job too, and any job still running at
    interpreter exit is cancelled then.
    """

    def __init__(self, run):
        self._session = _Session(run)
        self._batches = _frames(self._session)
        # chain.from_iterable walks each decoded frame's list in C: a few nanoseconds a record, where a
        # generator's ``yield from`` costs tens and a Python-level __next__ per record several times that.
        self._records = itertools.chain.from_iterable(self._batches)

    def __iter__(self):
        return self._records

    def __next__(self):
        return next(self._records)

    def next(self):
        """The next record (PyFlink's spelling of ``next(it)``)."""
        return self.__next__()

    def close(self) -> None:
        """Cancels the job if it still runs and stops the engine host. Safe to call twice."""
        self._batches.close()
        self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()
