"""One job on one engine host: HELLO, SUBMIT, then RESULTS / LOG until FINISHED or FAILED."""
import struct
import sys
import threading
import time

import msgpack

from pyflow._arrow import read_stream
from pyflow._gateway import exit_cleanup, kinds
from pyflow._gateway.error_map import error_from_map
from pyflow._gateway.host_process import HostProcess, describe_exit
from pyflow._gateway.host_recovery import HostRecovery
from pyflow._progress.guard import GuardedDisplay
from pyflow._progress.model import JobProgress
from pyflow._protocol import frames
from pyflow._protocol.frame_limit import frame_limit
from pyflow._protocol.values import from_column
from pyflow.errors import EngineError, PlanError, ProtocolError

HELLO_TIMEOUT_SECONDS = 30.0  # the host starts the .NET runtime first; a cold start takes a few seconds
EXIT_WAIT_SECONDS = 2.0  # after the host's output broke off: how long it may take to be seen as exited
_RESULTS_HEADER = struct.Struct("<II")  # sink_id, subtask_index


def _decode(payload: bytes, frame: str) -> dict:
    try:
        value = msgpack.unpackb(payload, raw=False)
    except Exception as e:  # noqa: BLE001 - msgpack raises several types for bad input
        raise ProtocolError(f"the engine host sent a {frame} frame whose payload is not msgpack ({e})") from e
    if not isinstance(value, dict):
        raise ProtocolError(f"the engine host sent a {frame} frame whose payload is not a map: {value!r:.200}")
    return value


class JobRun:
    """Submits ``job_plan`` (a ``pyflow.datastream.plan.JobPlan``) to a host started with ``command``.

    ``next_values()`` handles frames: print sinks write to ``sys.stdout``, LOG lines go to ``sys.stderr``,
    values of collect sinks are returned. On FINISHED or FAILED the host is closed; on any other way out
    (an error, Ctrl+C) the job is cancelled and the host stopped, so no process is left behind.

    When the host dies while the job runs, ``HostRecovery`` decides whether the job restarts on a new host
    (from its newest checkpoint, within the restart budget) or fails with ``EngineHostDiedError``.

    With ``progress_ms``, the host sends PROGRESS every that many ms (and once more at the end); ``progress``
    holds the latest ``JobProgress``. ``display`` (``pyflow._progress``) shows each, makes room before the job's
    own output, and gets the final status (FINISHED, FAILED or CANCELED) when the run ends however it ends.
    """

    def __init__(self, job_plan, command: list, progress_ms: int = 0, display=None):
        self.job_name = job_plan.plan["job_name"]
        self.duration_ms = None
        self.engine_version = None
        self.progress = None
        self._display = GuardedDisplay(display) if display is not None else None
        self._cancel_requested = False
        self._sinks = job_plan.sinks
        self._ended = False
        self._submitted = False
        self._abort_lock = threading.Lock()
        self._plan = job_plan.plan
        self._command = command
        self._progress_ms = progress_ms
        self._max_frame = frame_limit(job_plan.plan["config"])
        self._recovery = HostRecovery(job_plan.plan, job_plan.sinks)
        self._host = HostProcess(command, self._max_frame)
        exit_cleanup.register(self)
        try:
            self._submit(self._plan)
        except BaseException:
            self.abort()
            raise

    def _submit(self, plan: dict) -> None:
        self._hello()
        # "restarts" makes the host report its own restarts (RESTARTING) and count them after the job's earlier ones.
        submit = {"protocol": kinds.PROTOCOL, "plan": plan, "restarts": self._recovery.restarts}
        if self._progress_ms:
            submit["progress_ms"] = self._progress_ms
        submit = msgpack.packb(submit, use_bin_type=True)
        try:
            frames.check_size(len(submit), self._max_frame, f"the plan of job {self.job_name!r} (its functions and "
                                                            "from_collection data)")
        except frames.FrameTooLargeError as e:
            raise PlanError(str(e)) from None
        self._host.send(kinds.SUBMIT, submit)
        self._submitted = True

    def _hello(self) -> None:
        kind, payload = self._host.next_frame("HELLO", timeout=HELLO_TIMEOUT_SECONDS)
        if kind != kinds.HELLO:
            raise ProtocolError(f"the engine host's first frame is {kinds.name(kind)}, expected HELLO: "
                                "is PYFLOW_ENGINE_HOST pointing at PyFlow.Host.dll?")
        hello = _decode(payload, "HELLO")
        if hello.get("protocol") != kinds.PROTOCOL:
            raise ProtocolError(f"the engine host speaks gateway protocol {hello.get('protocol')!r}, this driver "
                                f"speaks {kinds.PROTOCOL}. Reinstall pyflow so both come from the same build.")
        self.engine_version = hello.get("engine")

    def next_values(self) -> "list | None":
        """Handles frames until a collect sink delivers values (returned) or the job finishes (None).

        Raises the mapped error for FAILED, EngineError / ProtocolError when the host breaks the protocol.
        """
        if self._ended:
            return None
        try:
            while True:
                try:
                    kind, payload = self._host.next_frame("the job to finish")
                except EngineError as e:
                    # A host killed mid-frame truncates it (EOFError); any other corrupt frame is a bug, not a crash.
                    if (not isinstance(e, ProtocolError) or isinstance(e.__cause__, EOFError)) \
                            and self._restart_after_host_death(e):
                        continue
                    raise
                if kind == kinds.RESULTS:
                    values = self._results(payload)
                    if values:
                        return values
                elif kind == kinds.LOG:
                    if self._display is not None:
                        self._display.clear()
                    self._log(payload)
                elif kind == kinds.RESTARTING:
                    restart = _decode(payload, "RESTARTING").get("restart")
                    if not isinstance(restart, int):
                        raise ProtocolError(f"a RESTARTING frame has no integer restart: {restart!r:.200}")
                    self._recovery.engine_restarted(restart)
                elif kind == kinds.PROGRESS:
                    self.progress = JobProgress.from_map(_decode(payload, "PROGRESS"))
                    if self._display is not None:
                        self._display.update(self.progress)
                elif kind == kinds.FINISHED:
                    duration = _decode(payload, "FINISHED").get("duration_ms")
                    if not isinstance(duration, int):
                        raise ProtocolError(f"the FINISHED frame has no integer duration_ms: {duration!r}")
                    self.duration_ms = duration
                    self._end("FINISHED")
                    return None
                elif kind == kinds.FAILED:
                    error = error_from_map(_decode(payload, "FAILED"))
                    self._end("CANCELED" if self._cancel_requested else "FAILED")
                    raise error
                else:
                    raise ProtocolError(f"the engine host sent a {kinds.name(kind)} frame while a job runs; "
                                        "expected RESULTS, LOG, RESTARTING, PROGRESS, FINISHED or FAILED")
        except BaseException as e:
            self.abort("CANCELED" if isinstance(e, KeyboardInterrupt) or self._cancel_requested else "FAILED")
            raise

    def _restart_after_host_death(self, broke: EngineError) -> bool:
        """If the host died (not stopped by us), starts the job on a new host as ``HostRecovery`` allows and returns
        True; False when the host still runs (``broke`` is then the error). Raises EngineHostDiedError when the job
        may not restart."""
        if self._cancel_requested or self._ended:
            return False
        code = self._host.returncode(EXIT_WAIT_SECONDS)
        if code is None:
            return False
        try:
            config, line, delay = self._recovery.next_restart(describe_exit(code), code, self._host.stderr_tail())
        except EngineError as e:
            raise e from broke
        self._host.terminate()  # already gone: this releases its pipes and threads
        self._log_text(line)
        time.sleep(delay)  # the restart strategy's delay; Ctrl+C here aborts the run as anywhere else
        with self._abort_lock:
            if self._ended or self._cancel_requested:  # cancelled or aborted meanwhile (another thread): no new host
                return False
            self._host = HostProcess(self._command, self._max_frame)
        self._submit({**self._plan, "config": config})
        return True

    def _results(self, payload: bytes) -> list:
        if len(payload) < _RESULTS_HEADER.size:
            raise ProtocolError(f"a RESULTS frame of {len(payload)} bytes is too short for its header")
        sink_id, subtask = _RESULTS_HEADER.unpack_from(payload)
        sink = self._sinks.get(sink_id)
        if sink is None:
            raise ProtocolError(f"the engine host sent RESULTS for sink {sink_id}; the plan has sinks "
                                f"{sorted(self._sinks)}")
        try:
            columns = [batch.column("v") for batch in read_stream(memoryview(payload)[_RESULTS_HEADER.size:])]
        except Exception as e:  # noqa: BLE001 - ArrowCodecError, or a missing column
            raise ProtocolError(f"the RESULTS of sink {sink_id} are not a valid Arrow stream with column v: {e}") \
                from e
        values = []
        try:
            for column in columns:
                values.extend(from_column(sink.type_spec, column))
        except Exception as e:  # noqa: BLE001 - unpickling can raise anything
            raise EngineError(f"cannot decode the records of sink {sink_id} as {sink.type_spec['name']}: "
                              f"{type(e).__name__}: {e}. Records travel pickled when no output_type is set: "
                              "their classes must be importable in the driver.") from e
        self._recovery.delivered += len(values)
        if sink.kind == "sink.print":
            if values and self._display is not None:
                self._display.clear()
            self._print(sink, subtask, values)
            return []
        return values

    @staticmethod
    def _print(sink, subtask: int, values: list) -> None:
        # Flink's PrintSinkOutputWriter: "{identifier}:{subtask}> ", each part only when it applies.
        prefix = sink.identifier or ""
        if sink.parallelism > 1:
            prefix = f"{prefix}:{subtask + 1}" if prefix else str(subtask + 1)
        if prefix:
            prefix += "> "
        if values:
            out = sys.stdout
            text = sink.text
            out.write("".join(f"{prefix}{text(v)}\n" for v in values))
            out.flush()

    @staticmethod
    def _log(payload: bytes) -> None:
        text = _decode(payload, "LOG").get("text")
        if not isinstance(text, str):
            raise ProtocolError(f"a LOG frame has no text: {text!r:.200}")
        JobRun._log_text(text)

    @staticmethod
    def _log_text(text: str) -> None:
        err = sys.stderr
        err.write(text if text.endswith("\n") else text + "\n")
        err.flush()

    def _end(self, status: str) -> None:
        with self._abort_lock:
            self._ended = True
        try:
            self._host.close()
        finally:
            self._finish_display(status)

    def _finish_display(self, status: str) -> None:
        display, self._display = self._display, None
        if display is not None:
            display.finish(status)

    @property
    def host_pid(self) -> int:
        """The engine host's process id."""
        return self._host.pid

    def request_cancel(self) -> None:
        """Sends CANCEL and returns: the host stops the job and answers with FAILED (read by ``next_values``).
        Only for a run whose frames another thread reads; raises EngineError when the host is gone."""
        if not self._ended:
            self._cancel_requested = True
            self._host.send(kinds.CANCEL)

    def _stop_at_exit(self) -> None:
        self.abort()

    def abort(self, status: str = "CANCELED") -> None:
        """Cancels the job if it still runs and stops the host; ``status`` is what the display shows at the end.
        Safe to call twice, and from two threads."""
        with self._abort_lock:
            if self._ended:
                return
            self._ended = True
        if self._submitted:
            try:
                self._host.send(kinds.CANCEL)
            except EngineError:
                pass  # the host is already gone: nothing left to cancel
        try:
            self._host.terminate()
        finally:
            self._finish_display(status)
