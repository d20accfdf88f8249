"""Runs a Python window function (reduce, aggregate, process) over the windows that fire together.

A WINDOWS frame holds ``u32 n``, a msgpack header ``{"windows": [[key, start, end, count], ...]}``
(start and end are None for count windows) and an Arrow stream whose column ``v`` holds every
window's records, window after window. The answer, WINDOW_RESULT, holds ``u32 n``, msgpack
``{"counts": [results per window]}`` and an Arrow stream of the results, window after window.
"""
import functools
import struct

import msgpack

from pyflow._arrow import Field, RecordBatch, Schema, read_stream, write_stream
from pyflow._protocol.keys import decode_key
from pyflow._protocol.values import arrow_type, from_column, to_column
from pyflow.datastream.functions import ProcessWindowFunction
from pyflow.datastream.window import GlobalWindow, TimeWindow
from pyflow.worker.functions import load_function

_U32 = struct.Struct("<I")


class WindowChain:
    """One window function subtask."""

    def __init__(self, spec, user_error):
        stage = spec["stages"][0]
        self.task = spec["task"]
        self.stage = stage["name"]
        self.kind = stage["kind"]
        self.input_type = spec["input_type"]
        self.output_type = stage["type"]
        self.all_windows = bool(stage.get("all"))
        self._user_error = user_error
        self.fn = load_function(stage)
        if self.kind == "window_process":
            try:
                self.fn.open(None)
            except Exception as e:  # noqa: BLE001 - user code
                raise user_error(self.stage, e) from e

    def fire(self, payload) -> bytes:
        (n,) = _U32.unpack_from(payload, 0)
        header = msgpack.unpackb(payload[4:4 + n], raw=False)
        values = from_column(self.input_type, read_stream(memoryview(payload)[4 + n:])[0].column("v"))
        out, counts, pos = [], [], 0
        try:
            for key, start, end, count in header["windows"]:
                elements = values[pos:pos + count]
                pos += count
                window = GlobalWindow() if start is None else TimeWindow(start, end)
                produced = self._apply(decode_key(key), window, elements)
                counts.append(len(produced))
                out.extend(produced)
        except Exception as e:  # noqa: BLE001 - reported with the stage name
            raise self._user_error(self.stage, e) from e
        try:
            column = to_column(self.output_type, out)
        except (TypeError, ValueError, OverflowError) as e:
            raise self._user_error(self.stage, TypeError(
                f"a result does not fit the declared output type {self.output_type['name']}: {e}")) from e
        trailer = msgpack.packb({"counts": counts}, use_bin_type=True)
        body = write_stream(RecordBatch(Schema([Field("v", arrow_type(self.output_type))]), [column]))
        return _U32.pack(len(trailer)) + trailer + body

    def _apply(self, key, window, elements) -> list:
        if self.kind == "window_reduce":
            return [functools.reduce(self.fn, elements)]
        if self.kind == "window_aggregate":
            acc = self.fn.create_accumulator()
            for e in elements:
                acc = self.fn.add(e, acc)
            return [self.fn.get_result(acc)]
        produced = (self.fn.process(_Context(window), elements) if self.all_windows
                    else self.fn.process(key, _Context(window), elements))
        return [] if produced is None else list(produced)


class _Context(ProcessWindowFunction.Context):
    def __init__(self, window):
        self._window = window

    def window(self):
        return self._window

    def current_processing_time(self) -> int:
        import time
        return int(time.time() * 1000)

    def current_watermark(self) -> int:
        raise NotImplementedError("current_watermark() in a Python window function is not available yet (planned)")
