"""Stops every job still running when the interpreter exits.

A run's reader thread is a daemon blocked in a read of the host's stdout (and a ``JobClient``'s pump writes print
sinks to ``sys.stdout``). Left alone until finalization, such a thread holds the lock of a buffered file while the
interpreter freezes daemon threads; closing that file from a finalizer then aborts the interpreter with ``Fatal
Python error: _enter_buffered_busy``. ``atexit`` runs before that freeze, while those threads still run, so the
runs stopped here end their hosts, and their threads end, cleanly.
"""
import atexit
import itertools
import threading
import weakref

_lock = threading.Lock()
_order = itertools.count()
# Objects with a ``_stop_at_exit()`` by registration number; weak, so a collected run needs no unregistering.
_live = weakref.WeakValueDictionary()


def register(owner) -> None:
    """``owner._stop_at_exit()`` runs at interpreter exit unless ``owner`` was collected before. The last
    registered stops first (a ``JobClient`` before the run it wraps, as ``atexit`` orders its own)."""
    with _lock:
        _live[next(_order)] = owner


def _stop_all() -> None:
    with _lock:
        owners = [owner for _, owner in sorted(_live.items(), reverse=True)]
    for owner in owners:
        try:
            owner._stop_at_exit()
        except Exception:  # noqa: BLE001 - every other run must still be stopped
            pass


atexit.register(_stop_all)
