"""The engine host as a child process: frames go to its stdin; a reader thread queues the frames of its stdout.

Every wait here is bounded or ends when the host exits, so the driver never hangs on a dead host.
"""
import queue
import signal
import subprocess
import threading
import time

from pyflow._gateway import kinds
from pyflow._gateway.host_stderr import HostStderr
from pyflow._protocol import frames
from pyflow.errors import EngineError, EngineHostNotFoundError, ProtocolError

PIPE_NAME = "engine host stdout"
# Bound of the frame queue. When the consumer is slow (a collect iterator read slowly), the reader blocks,
# the host's stdout pipe fills and the host's writes block: backpressure instead of unbounded memory here.
QUEUE_FRAMES = 64
POLL_SECONDS = 0.1      # granularity of every wait on the queue
EXIT_GRACE_SECONDS = 2.0  # after the host exited, how long its stdout may stay open (held by a grandchild)
STOP_SECONDS = 5.0      # how long the host gets to exit before it is killed
STDIN_GRACE_SECONDS = 1.0  # on abort: time to exit on stdin EOF before SIGTERM


def describe_exit(code: int) -> str:
    """``"exit code 3"`` or ``"killed by signal 9 (SIGKILL)"``."""
    if code < 0:
        try:
            return f"killed by signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class HostProcess:
    """A running engine host. Use from one thread: ``send``, ``next_frame``, then ``close`` or ``terminate``."""

    def __init__(self, command: list, max_frame: int = frames.MAX_FRAME):
        self._max_frame = max_frame  # the job's pyflow.frame.max-size
        try:
            # A new session keeps Ctrl+C away from the host: the driver catches it and stops the host in order
            # (CANCEL, stdin EOF, then SIGTERM). The host still exits with the driver: its stdin closes then.
            # close_fds (the default, said out loud): no descriptor of the driver but these pipes reaches the host
            # and, through it, user functions in workers.
            self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, start_new_session=True, close_fds=True)
        except OSError as e:
            raise EngineHostNotFoundError(f"cannot start the engine host with {command!r}: {e}") from e
        try:
            frames.widen_pipe(self._proc.stdin.fileno())
            frames.widen_pipe(self._proc.stdout.fileno())
            self._stderr = HostStderr(self._proc.stderr, self._proc.pid)
            self._queue = queue.Queue(QUEUE_FRAMES)
            self._stopping = threading.Event()
            self._reader = threading.Thread(target=self._read_loop, name=f"pyflow-host-{self._proc.pid}-reader",
                                            daemon=True)
            self._reader.start()
        except BaseException:
            # Ctrl+C (or any error) before the caller holds this object: nobody else could stop the host.
            self._proc.kill()
            self._proc.wait(timeout=STOP_SECONDS)
            raise

    @property
    def pid(self) -> int:
        return self._proc.pid

    def _read_loop(self) -> None:
        try:
            while True:
                frame = frames.read_frame(self._proc.stdout, PIPE_NAME, self._max_frame, kinds.NAMES)
                if not self._put(("eof", None) if frame is None else ("frame", frame)) or frame is None:
                    return
        except frames.FrameTooLargeError as e:
            self._put(("too_large", e))
        except (frames.ProtocolError, EOFError) as e:
            self._put(("corrupt", e))
        except (OSError, ValueError) as e:  # ValueError: the pipe was closed under us
            self._put(("broken", e))

    def _put(self, item) -> bool:
        while not self._stopping.is_set():
            try:
                self._queue.put(item, timeout=POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def send(self, kind: int, payload: bytes = b"") -> None:
        """Writes one frame to the host's stdin; raises EngineError if the host is gone."""
        try:
            frames.write_frame(self._proc.stdin, kind, payload)
            self._proc.stdin.flush()
        except (OSError, ValueError) as e:
            raise EngineError(f"cannot send {kinds.name(kind)} to the engine host ({type(e).__name__}: {e}); "
                              f"the host: {self.exit_status()}") from e

    def next_frame(self, waiting_for: str, timeout: "float | None" = None) -> tuple:
        """The next ``(kind, payload)`` from the host.

        Raises EngineError when the host ends its output, exits, or (with ``timeout``) stays silent too long,
        and ProtocolError for a corrupt or truncated frame. ``waiting_for`` names what was expected.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        exited_at = None
        while True:
            try:
                tag, value = self._queue.get(timeout=POLL_SECONDS)
            except queue.Empty:
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    raise EngineError(f"the engine host sent no {waiting_for} within {timeout:g} s "
                                      f"(the host: {self.exit_status()})") from None
                if self._proc.poll() is not None:
                    exited_at = exited_at or now
                    if now - exited_at >= EXIT_GRACE_SECONDS:
                        raise EngineError(f"the engine host exited ({describe_exit(self._proc.returncode)}) while "
                                          f"the driver waited for {waiting_for}; its stderr above may say why")
                elif not self._reader.is_alive() and self._queue.empty():
                    raise EngineError(f"the reader of the engine host's output stopped while the driver waited "
                                      f"for {waiting_for} (the host: {self.exit_status()})")
                continue
            if tag == "frame":
                return value
            if tag == "eof":
                raise EngineError(f"the engine host closed its output while the driver waited for {waiting_for} "
                                  f"(the host: {self.exit_status()}); its stderr above may say why")
            if tag == "too_large":
                raise ProtocolError(f"while the driver waited for {waiting_for}: {value}")
            if tag == "corrupt":
                raise ProtocolError(f"the engine host sent a corrupt or truncated frame while the driver waited "
                                    f"for {waiting_for}: {value} (the host: {self.exit_status()}). Reinstall pyflow "
                                    "so the driver and the engine come from the same build.") from value
            raise EngineError(f"reading the engine host's output failed: {value} (the host: {self.exit_status()})")

    def exit_status(self, wait: float = 1.0) -> str:
        """``"exit code N"``, ``"killed by signal N (...)"`` or ``"still running"``, after waiting up to ``wait``."""
        try:
            return describe_exit(self._proc.wait(timeout=wait))
        except subprocess.TimeoutExpired:
            return "still running"

    def returncode(self, wait: float) -> "int | None":
        """The host's exit code (negative: killed by that signal) after waiting up to ``wait``; None if it runs."""
        try:
            return self._proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            return None

    def stderr_tail(self) -> str:
        """The last lines the host wrote to its stderr (they were passed on to the driver's stderr too)."""
        return self._stderr.tail()

    def close(self) -> None:
        """Ends the session: closes the host's stdin (the host then exits), waits, kills after STOP_SECONDS."""
        self._close_stdin()
        self._wait_or_kill(STOP_SECONDS)
        self._release()

    def terminate(self) -> None:
        """Stops the host now: stdin EOF, then SIGTERM, then SIGKILL; each step bounded."""
        self._close_stdin()
        try:
            self._proc.wait(timeout=STDIN_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self._proc.terminate()
            self._wait_or_kill(STOP_SECONDS)
        self._release()

    def _close_stdin(self) -> None:
        try:
            self._proc.stdin.close()
        except OSError:
            pass  # the host already closed its end: it is exiting, which is what we ask

    def _wait_or_kill(self, seconds: float) -> None:
        try:
            self._proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=seconds)

    def _release(self) -> None:
        self._stopping.set()
        # The host has exited, so its stdout reaches EOF and the reader ends; a grandchild holding the pipe
        # open could keep it blocked, hence the bounded join (the thread is a daemon).
        self._reader.join(timeout=1.0)
        if not self._reader.is_alive():
            self._proc.stdout.close()
        self._stderr.close()
