"""The engine host's standard error: passed on to the driver's, with its last lines kept for the error that
reports a host crash (a .NET runtime failure, or a Python function that ended the host in thread mode)."""
import os
import threading

TAIL_BYTES = 8192   # enough for a .NET fatal error's first frames or a Python traceback
TAIL_LINES = 20
READ_BYTES = 65536


class HostStderr:
    """Reads the host's stderr pipe on a daemon thread and writes what it reads to fd 2.

    Raw ``os.read`` / ``os.write``, never a buffered file: a daemon thread frozen at interpreter exit while it
    holds a buffered file's lock aborts the interpreter (``_enter_buffered_busy``); raw calls hold no lock.
    """

    def __init__(self, pipe, pid: int):
        self._fd = pipe.fileno()
        self._pipe = pipe  # kept open until the thread is done with its descriptor
        self._tail = bytearray()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._pump, name=f"pyflow-host-{pid}-stderr", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, READ_BYTES)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._tail += chunk
                del self._tail[:-TAIL_BYTES]
            try:
                os.write(2, chunk)
            except OSError:
                pass  # the driver's stderr is closed: the tail still reaches the error

    def tail(self, wait: float = 1.0) -> str:
        """The last lines written, after waiting up to ``wait`` s for the pipe to end (a dead host's last words)."""
        self._thread.join(timeout=wait)
        with self._lock:
            text = bytes(self._tail).decode("utf-8", errors="replace")
        return "\n".join(text.splitlines()[-TAIL_LINES:])

    def close(self, wait: float = 1.0) -> None:
        """Waits (bounded) for the pipe to end, then closes it; a grandchild holding it open leaves it to the OS."""
        self._thread.join(timeout=wait)
        if not self._thread.is_alive():
            self._pipe.close()
