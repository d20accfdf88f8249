"""Runs a Python ``SourceFunction`` (``env.add_source``): its ``run(ctx)`` on a thread of the worker, feeding a
bounded queue; each POLL frame from the engine takes what is ready (waiting briefly for the first record) and
answers SOURCE_RESULT: ``u32 n``, msgpack ``{"ended": bool}``, an Arrow stream with ``v`` and ``ts``.

``run`` blocks in ``ctx.collect`` while the queue is full (the engine's backpressure reaches it that way).
At CLOSE, or when the job stops, ``cancel()`` is called and the thread is given a bounded time to leave
``run``; an exception in ``run`` is raised at the next POLL, so the job fails with its traceback.
"""
import queue
import struct
import threading

import msgpack
import numpy as np

from pyflow._arrow import Column, Field, RecordBatch, Schema, write_stream
from pyflow._protocol.values import arrow_type, to_column
from pyflow.datastream.functions import SourceFunction

NO_TIMESTAMP = -(2 ** 63)
QUEUE_BOUND = 10_000
FIRST_RECORD_WAIT_S = 0.05
STOP_BOUND_S = 5.0
_U32 = struct.Struct("<I")


class _Stopped(Exception):
    """Raised inside ``collect`` once the source is cancelled, to leave a ``run`` that keeps collecting."""


class _Context(SourceFunction.SourceContext):
    def __init__(self, source):
        self._s = source

    def collect(self, element):
        self._s.put((element, NO_TIMESTAMP))

    def collect_with_timestamp(self, element, timestamp: int):
        if not isinstance(timestamp, int) or isinstance(timestamp, bool):
            raise TypeError(f"collect_with_timestamp(): the timestamp must be an int (epoch ms), got {timestamp!r}")
        self._s.put((element, timestamp))

    def emit_watermark(self, watermark):
        raise NotImplementedError("emit_watermark() from a Python SourceFunction is not supported yet; collect "
                                  "records with timestamps and add assign_timestamps_and_watermarks(...) after the "
                                  "source")

    def get_checkpoint_lock(self):
        return self._s.lock


class SourceChain:
    """One Python source subtask (protocol: OPEN with a single ``source`` stage, then POLL frames)."""

    def __init__(self, spec, fn, user_error):
        stage = spec["stages"][0]
        self.task = spec["task"]
        self.stage = stage["name"]
        self.output_type = stage["type"]
        self.fn = fn
        self.functions = [fn]
        self._user_error = user_error
        self._queue = queue.Queue(QUEUE_BOUND)
        self._stopped = threading.Event()
        self._done = threading.Event()
        self._error = None
        self.lock = threading.RLock()
        self._thread = threading.Thread(target=self._run, name=f"pyflow source {self.stage}", daemon=True)
        self._started = False

    def put(self, item):
        while not self._stopped.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stopped()

    def _run(self):
        try:
            self.fn.run(_Context(self))
        except _Stopped:
            pass
        except BaseException as e:  # noqa: BLE001 - reported at the next POLL
            self._error = e
        finally:
            self._done.set()

    def poll(self, payload) -> bytes:
        if not self._started:
            self._started = True
            self._thread.start()
        limit = max(1, msgpack.unpackb(payload, raw=False).get("max", 1000))
        items = []
        try:
            items.append(self._queue.get(timeout=FIRST_RECORD_WAIT_S))
            while len(items) < limit:
                items.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        if self._error is not None and not items:
            raise self._user_error(self.stage, self._error)
        ended = self._done.is_set() and self._queue.empty() and self._error is None and not items
        return self._encode(items, ended)

    def _encode(self, items, ended: bool) -> bytes:
        values = [v for v, _ in items]
        try:
            column = to_column(self.output_type, values)
        except (TypeError, ValueError, OverflowError) as e:
            raise self._user_error(self.stage, TypeError(
                f"a collected record does not fit the source's declared type {self.output_type['name']}: {e}. "
                "Pass the right type_info to add_source, or leave it unset to pass Python objects pickled")) from e
        stamps = [t for _, t in items]
        valid = np.array([t != NO_TIMESTAMP for t in stamps], dtype=bool)
        ts = np.array([0 if t == NO_TIMESTAMP else t for t in stamps], dtype=np.int64)
        ts_col = Column.from_numpy("int64", ts, None if valid.all() else valid)
        body = write_stream(RecordBatch(Schema([Field("v", arrow_type(self.output_type)), Field("ts", "int64")]),
                                        [column, ts_col]))
        header = msgpack.packb({"ended": ended}, use_bin_type=True)
        return _U32.pack(len(header)) + header + body

    def stop(self):
        """Cancels ``run`` (``cancel()``, then a bounded wait for the thread to leave it)."""
        if not self._started or self._done.is_set():
            return
        self._stopped.set()
        self.fn.cancel()
        while True:  # unblock a collect() waiting on a full queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._thread.join(STOP_BOUND_S)
        if self._thread.is_alive():
            raise TimeoutError(f"the SourceFunction of '{self.stage}' did not leave run() within {STOP_BOUND_S} s "
                               "of cancel(); make run() check a flag that cancel() clears")
