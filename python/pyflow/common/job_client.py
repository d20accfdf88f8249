"""``JobClient``: a handle on a job started by ``env.execute_async()``, as ``pyflink.common.JobClient``."""
import sys
import threading
import time
from concurrent.futures import Future

from pyflow.common.job_execution_result import JobExecutionResult
from pyflow.common.job_status import JobStatus
from pyflow.errors import EngineError, JobCancelledError, JobTimeoutError

__all__ = ["JobClient"]

POLL_SECONDS = 0.1      # waits run in slices, so Ctrl+C is seen promptly
CANCEL_SECONDS = 15.0   # how long cancel() waits for the engine to stop the job before it kills the host
KILL_SECONDS = 15.0     # then how long it waits for the host to be gone


class JobClient:
    """The running job of ``execute_async``. A background thread handles the engine's output (print
    sinks, worker logs, progress) so the job runs while the caller does other things.

    ::

        client = env.execute_async("clicks")
        client.get_job_status()             # JobStatus.RUNNING
        client.cancel()                     # or: result = client.get_job_execution_result().result()

    Ctrl+C (a notebook's interrupt) while ``wait`` or ``get_job_execution_result`` blocks cancels the job.
    """

    def __init__(self, run, job_id):
        """Internal: ``env.execute_async`` makes it, with a submitted ``JobRun`` (which owns the progress display)."""
        self._run = run
        self._job_id = job_id
        self._lock = threading.Lock()
        self._status = JobStatus.RUNNING  # the host has the job: SUBMIT was sent before this is made
        self._cancel_requested = False
        self._result = None
        self._error = None
        self._done = threading.Event()
        self._future = _JobResultFuture(self)
        self._thread = threading.Thread(target=self._pump, name=f"pyflow-job-{job_id}", daemon=True)
        self._thread.start()
        from pyflow._gateway import exit_cleanup
        exit_cleanup.register(self)

    # -- PyFlink's methods ---------------------------------------------------------------------------------

    def get_job_id(self):
        """The job's ``JobID``."""
        return self._job_id

    def get_job_status(self) -> JobStatus:
        """The job's current ``JobStatus``."""
        with self._lock:
            return self._status

    def cancel(self) -> None:
        """Cancels the job and returns once it stopped, with the engine host and every Python worker gone.
        Does nothing when the job already ended. Raises EngineError if the host cannot be stopped."""
        with self._lock:
            if self._status.is_globally_terminal_state():
                return
            self._cancel_requested = True
            self._status = JobStatus.CANCELLING
        try:
            self._run.request_cancel()
        except EngineError:
            pass  # the host is gone already: the pump thread sees it and ends
        if not self._wait_done(CANCEL_SECONDS):
            self._run.abort()  # the job did not stop in time: stop the host (SIGTERM, then SIGKILL)
            if not self._wait_done(KILL_SECONDS):
                raise EngineError(f"cancelling job {self._job_id}: the engine host (pid {self._run.host_pid}) did "
                                  f"not stop within {CANCEL_SECONDS + KILL_SECONDS:g} s")

    def get_job_execution_result(self) -> "Future":
        """A future of the job's end, as PyFlink's (a ``concurrent.futures.Future``): its ``result(timeout)``
        waits and returns the ``JobExecutionResult``, or raises the job's error (``PythonFunctionError`` for an
        exception in user code, ``JobCancelledError`` when cancelled).

        ::

            client.get_job_execution_result().result().get_net_runtime()
        """
        return self._future

    # -- PyFlow's additions --------------------------------------------------------------------------------

    def wait(self, timeout: "float | None" = None) -> JobStatus:
        """Waits until the job ends (at most ``timeout`` seconds) and returns its final ``JobStatus``.

        Raises JobTimeoutError when ``timeout`` passes first (the job keeps running). The job's own error is
        not raised here: ``get_job_execution_result().result()`` raises it.
        """
        if timeout is not None and (not isinstance(timeout, (int, float)) or timeout < 0):
            raise ValueError(f"wait(timeout=...) expects seconds >= 0 or None, got {timeout!r}")
        if not self._wait_done(timeout):
            raise JobTimeoutError(f"job {self._job_id} is still {self.get_job_status().name} after {timeout:g} s; "
                                  "wait longer, or cancel() it")
        return self.get_job_status()

    def get_progress(self):
        """The latest progress the engine reported (a ``JobProgress``: elapsed_ms, and per operator name,
        parallelism, records_in, records_out), or None before the first report."""
        return self._run.progress

    def __repr__(self):
        return f"<JobClient {self._run.job_name!r} {self._job_id} {self.get_job_status().name}>"

    # -- internals -----------------------------------------------------------------------------------------

    def _wait_done(self, timeout: "float | None") -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while not self._done.wait(POLL_SECONDS if deadline is None
                                      else max(0.0, min(POLL_SECONDS, deadline - time.monotonic()))):
                if deadline is not None and time.monotonic() >= deadline:
                    return False
        except KeyboardInterrupt:
            self._interrupted()
            raise
        return True

    def _interrupted(self) -> None:
        # Ctrl+C while waiting: the job must not outlive the interrupt (cancel() is bounded).
        try:
            self.cancel()
        except BaseException:  # noqa: BLE001 - a second Ctrl+C: stop the host without waiting
            self._run.abort()

    def _stop_at_exit(self) -> None:
        # The pump is a daemon writing print sinks to sys.stdout: it must be gone before the interpreter
        # finalizes (see pyflow._gateway.exit_cleanup), and the caller should know the job did not finish.
        if self._done.is_set():
            return
        with self._lock:
            self._cancel_requested = True
        self._run.abort()
        self._done.wait(KILL_SECONDS)
        sys.stderr.write(f"pyflow: job {self._run.job_name!r} ({self._job_id}) was still running when the interpreter "
                         "exited and was cancelled; wait for it with client.wait() or "
                         "client.get_job_execution_result() before the program ends\n")
        sys.stderr.flush()

    def _pump(self) -> None:
        try:
            while self._run.next_values() is not None:
                pass  # execute_async has no collect sinks; print sinks are written by the run
            result, error, status = JobExecutionResult(self._run.job_name, self._run.duration_ms, self._job_id), None, \
                JobStatus.FINISHED
        except BaseException as e:  # noqa: BLE001 - handed to the caller by get_job_execution_result
            result = None
            if self._cancel_requested:
                error, status = JobCancelledError(f"job {self._run.job_name!r} ({self._job_id}) was cancelled"), \
                    JobStatus.CANCELED
                error.__cause__ = e
            else:
                error, status = e, JobStatus.FAILED
        with self._lock:
            self._result, self._error, self._status = result, error, status
        if error is None:
            self._future.set_result(result)
        else:
            self._future.set_exception(error)
        self._done.set()


class _JobResultFuture(Future):
    """The future of ``get_job_execution_result``: its waits go through the client's, so Ctrl+C while
    ``result()`` blocks cancels the job (as ``wait``), and a ``timeout`` raises ``TimeoutError``."""

    def __init__(self, client: JobClient):
        super().__init__()
        self._client = client
        self.set_running_or_notify_cancel()  # the job runs already: Future.cancel() cannot stop it

    def result(self, timeout: "float | None" = None):
        """The ``JobExecutionResult`` (waiting at most ``timeout`` seconds), or the job's error raised."""
        self._wait(timeout)
        return super().result(0)

    def exception(self, timeout: "float | None" = None):
        """The job's error, or None when it finished (waiting at most ``timeout`` seconds)."""
        self._wait(timeout)
        return super().exception(0)

    def _wait(self, timeout):
        from concurrent.futures import TimeoutError as FutureTimeoutError
        if timeout is not None and (not isinstance(timeout, (int, float)) or timeout < 0):
            raise ValueError(f"result(timeout=...) expects seconds >= 0 or None, got {timeout!r}")
        if not self._client._wait_done(timeout):
            raise FutureTimeoutError(f"job {self._client.get_job_id()} is still "
                                     f"{self._client.get_job_status().name} after {timeout:g} s")
