"""Thread mode: the engine host runs the worker's chains inside its own process (pythonnet), one call
per batch, with the same frames as process mode minus the pipe: ``open`` and ``call`` below take and
return frame payloads. The host holds the GIL only for the duration of a call."""
import sys

from pyflow.worker.main import answer, close_chain, open_chain


def prepare(path: list) -> None:
    """Once per host process: the driver's sys.path, and user print() kept off the host's stdout (the gateway).

    The path becomes exactly the driver's (the same rule as worker processes): what the embedding added (the .NET
    runtime's directory) or computed on its own is dropped, so nothing imports from where the driver would not.
    """
    sys.path[:] = list(path)
    sys.stdout = sys.stderr


def open(payload: bytes):
    """(chain, reply kind, reply payload) for an OPEN payload."""
    return open_chain(payload)


def call(chain, kind: int, payload: bytes):
    """(reply kind, reply payload) for one frame."""
    return answer(chain, kind, payload)


def close(chain):
    """(reply kind, reply payload) for the end of the chain: its functions' close() has run (CLOSED) or raised (ERROR)."""
    return close_chain(chain)


def stop(chain) -> None:
    """When the job stops without closing (failure, cancel): a Python source's run() is cancelled, so no thread of
    it outlives the job in the host's interpreter. Other chains have nothing running between calls."""
    halt = getattr(chain, "stop", None)
    if halt is not None:
        halt()
