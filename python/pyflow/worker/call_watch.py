"""Watching the call a worker is in, so a hung user function is reported instead of hanging the job silently.

A daemon thread checks the one call in flight (a batch, a round of timers or windows). With
``python.fn-execution.timeout`` set, a call running longer fails the job: ``on_timeout`` gets an ERROR map
naming the stage, the exact record the function is on (read from the stage loop's frame, so the hot path
pays nothing) and the stack where it hangs. Without a timeout, a warning naming the operator and the record
goes to stderr every ``stall_warning`` seconds of no progress (the host forwards worker stderr as LOG lines).

The thread needs the GIL: it runs while the function sleeps, waits on I/O or runs Python code, not while it
holds the GIL inside native code (then the host sees nothing until the call returns).
"""
import os
import reprlib
import sys
import threading
import time
import traceback

import msgpack

_WORKER_DIR = os.path.dirname(os.path.abspath(__file__))
_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 200


def watch_for_open(payload, on_timeout) -> "CallWatch":
    """The watch of the chain an OPEN payload describes (its ``task`` and ``limits``)."""
    try:
        spec = msgpack.unpackb(payload, raw=False)
    except Exception:  # noqa: BLE001 - a bad OPEN is reported by open_chain; watch it with the defaults
        spec = {}
    if not isinstance(spec, dict):
        spec = {}
    return CallWatch(spec.get("task", "worker"), spec.get("limits"), on_timeout)


_DEFAULT_MAX_FRAME = 256 * 1024 * 1024  # frames.MAX_FRAME, without importing the protocol here


class CallWatch:
    """``begin()`` / ``end()`` around every call; ``limits`` is OPEN's ``{"timeout_ms", "stall_warning_ms"}``."""

    def __init__(self, task: str, limits: "dict | None", on_timeout):
        limits = limits or {}
        self.task = task
        self.timeout = limits["timeout_ms"] / 1000 if limits.get("timeout_ms") else None
        self.warning = (limits.get("stall_warning_ms") or 60_000) / 1000
        #: OPEN's pyflow.frame.max-size (the watch reads the limits; the worker loop takes this one from it).
        self.max_frame = limits.get("max_frame") or _DEFAULT_MAX_FRAME
        self._on_timeout = on_timeout
        self._lock = threading.Lock()
        self._since = None  # monotonic start of the call in flight, None between calls
        self._thread_ident = None
        self._warned = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"pyflow call watch: {task}", daemon=True)
        self._thread.start()

    def begin(self) -> None:
        with self._lock:
            self._since, self._thread_ident, self._warned = time.monotonic(), threading.get_ident(), 0

    def end(self) -> None:
        with self._lock:
            self._since = None

    def stop(self) -> None:
        self._stop.set()

    @property
    def thread_ident(self):
        """The thread of the latest call (thread mode interrupts it after a timeout)."""
        return self._thread_ident

    def _run(self) -> None:
        limit = self.timeout if self.timeout is not None else self.warning
        tick = min(1.0, max(0.02, limit / 10))
        while not self._stop.wait(tick):
            with self._lock:
                since, ident = self._since, self._thread_ident
            if since is None:
                continue
            stalled = time.monotonic() - since
            if self.timeout is not None and stalled >= self.timeout:
                self._stop.set()
                self._on_timeout(self._timeout_error(ident, stalled))
                return
            if self.timeout is None and stalled >= (self._warned + 1) * self.warning:
                self._warned += 1
                stage, what, _ = describe(ident)
                print(f"pyflow: operator '{stage or self.task}' has made no progress for {stalled:.0f} s, "
                      f"{what}; the function may hang. Set python.fn-execution.timeout to fail such a job instead",
                      file=sys.stderr, flush=True)

    def _timeout_error(self, ident, stalled: float) -> dict:
        stage, what, stack = describe(ident)
        message = (f"the function has not returned for {stalled:.1f} s (python.fn-execution.timeout is "
                   f"{self.timeout:g} s), {what}. Fix the function, or raise python.fn-execution.timeout")
        return {"stage": stage or self.task, "type": "TimeoutError", "message": message,
                "traceback": "Where the function was:\n" + stack}


def describe(ident) -> tuple:
    """``(stage name or None, "processing record 42" or what is known, stack text)`` of thread ``ident``'s call."""
    frame = sys._current_frames().get(ident)
    if frame is None:
        return None, "the record being processed is unknown", ""
    stack = "".join(traceback.format_stack(frame))
    stage, what = None, None
    while frame is not None:
        if os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _WORKER_DIR:
            local = frame.f_locals
            if what is None:
                what = _what(local)
            if stage is None and frame.f_code.co_name == "guarded":
                stage = local.get("name")
        frame = frame.f_back
    return stage, what or "the record being processed is unknown", stack


def _what(local: dict) -> "str | None":
    if "v" in local:
        return f"processing record {_SHOW.repr(local['v'])}"
    if "ts" in local and "key" in local and "domain" in local:
        return f"firing the timer at {local['ts']} of key {_SHOW.repr(local['key'])}"
    if "start" in local and "end" in local and "key" in local:
        return f"firing window [{local['start']}, {local['end']}) of key {_SHOW.repr(local['key'])}"
    return None
