"""Thread mode: the engine host runs the worker's chains inside its own process (pythonnet), one call
per batch, with the same frames as process mode minus the pipe: ``open`` and ``call`` below take and
return frame payloads. The host holds the GIL only for the duration of a call."""
import builtins
import ctypes
import sys

from pyflow.worker.call_watch import watch_for_open
from pyflow.worker.main import answer, close_chain, open_chain


class Embedded:
    """A chain and the watch over its calls (``call_watch``): what ``open`` hands the host."""

    __slots__ = ("chain", "watch")

    def __init__(self, chain, watch):
        self.chain, self.watch = chain, watch


def prepare(path: list) -> None:
    """Once per host process: the driver's sys.path, and user print() kept off the host's stdout (the gateway).

    The path becomes exactly the driver's (the same rule as worker processes): what the embedding added (the .NET
    runtime's directory) or computed on its own is dropped, so nothing imports from where the driver would not.
    """
    sys.path[:] = list(path)
    sys.stdout = sys.stderr


def interrupt(thread_ident, message: str) -> None:
    """Raises TimeoutError(message) in the thread at its next bytecode: stops a function looping in Python code
    (one sleeping or blocked in native code sees it only when that returns)."""
    class TimeoutError(builtins.TimeoutError):  # noqa: A001 - reported under the builtin's name
        def __init__(self, *args):
            super().__init__(message)
    if thread_ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_ident), ctypes.py_object(TimeoutError))


def open(payload: bytes, report=None):
    """(Embedded, reply kind, reply payload) for an OPEN payload. ``report(stage, type, message, traceback)``
    (a host delegate) fails the job when a call runs past ``python.fn-execution.timeout``."""
    watch = None

    def on_timeout(error):
        # The report first: it fails the job with the record and the stack, before the interrupted call's own error.
        if report is not None:
            report.Invoke(error["stage"], error["type"], error["message"], error["traceback"])
        interrupt(watch.thread_ident, error["message"])

    watch = watch_for_open(payload, on_timeout)
    watch.begin()
    try:
        chain, kind, body = open_chain(payload)
    finally:
        watch.end()
    if chain is None:
        watch.stop()
    return Embedded(chain, watch), kind, body


def call(embedded: Embedded, kind: int, payload: bytes):
    """(reply kind, reply payload) for one frame."""
    embedded.watch.begin()
    try:
        return answer(embedded.chain, kind, payload)
    finally:
        embedded.watch.end()


def close(embedded: Embedded):
    """(reply kind, reply payload) for the end of the chain: its functions' close() has run (CLOSED) or raised (ERROR)."""
    embedded.watch.stop()
    return close_chain(embedded.chain)


def stop(embedded: Embedded) -> None:
    """When the job stops without closing (failure, cancel): a Python source's run() is cancelled, so no thread of
    it outlives the job in the host's interpreter. Other chains have nothing running between calls."""
    embedded.watch.stop()
    halt = getattr(embedded.chain, "stop", None)
    if halt is not None:
        halt()
