"""Runs a Python window function (reduce, aggregate, vectorized aggregate, process) over the windows
that fire together.

A WINDOWS frame holds ``u32 n``, a msgpack header ``{"windows": [[key, start, end, count], ...],
"watermark": int, "time": int}`` (start and end are None for count windows) and an Arrow stream whose
column ``v`` holds every window's records, window after window. The answer, WINDOW_RESULT, holds
``u32 n``, msgpack ``{"counts": [results per window], "side": [[tag_id, type_name, ipc], ...]}`` and
an Arrow stream of the results, window after window.
"""
import functools
import struct

import msgpack

from pyflow._arrow import Field, RecordBatch, Schema, read_stream, write_stream
from pyflow._protocol.keys import decode_key
from pyflow._protocol.values import arrow_type, from_column, to_column, to_series
from pyflow.datastream.functions import ProcessWindowFunction
from pyflow.datastream.window import GlobalWindow, TimeWindow
from pyflow.worker.functions import load_function
from pyflow.worker.side_outputs import NO_TIMESTAMP, SideOutputs, is_side_record
from pyflow.worker.stages import USER_ERRORS

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
        self.sides = SideOutputs(stage.get("side_tags"))
        self.watermark = NO_TIMESTAMP
        self.now = 0
        self.fn = load_function(stage)
        if self.kind == "window_process":
            try:
                self.fn.open(None)
            except USER_ERRORS as e:  # noqa: BLE001 - user code
                raise user_error(self.stage, e) from e

    def fire(self, payload) -> bytes:
        (n,) = _U32.unpack_from(payload, 0)
        header = msgpack.unpackb(payload[4:4 + n], raw=False)
        column = read_stream(memoryview(payload)[4 + n:])[0].column("v")
        values = (to_series(self.input_type, column) if self.kind == "window_aggregate_pandas"
                  else from_column(self.input_type, column))
        self.watermark = header.get("watermark", NO_TIMESTAMP)
        self.now = header.get("time", 0)
        out, counts, pos = [], [], 0
        try:
            for key, start, end, count in header["windows"]:
                elements = values[pos:pos + count]
                pos += count
                window = GlobalWindow() if start is None else TimeWindow(start, end)
                produced = self._apply(decode_key(key), window, elements)
                kept = 0
                for o in produced:
                    if is_side_record(o):
                        self.sides.emit(o[0], o[1], window.max_timestamp())
                    else:
                        out.append(o)
                        kept += 1
                counts.append(kept)
            side = self.sides.take()
        except USER_ERRORS as e:  # noqa: BLE001 - reported with the stage name
            raise self._user_error(self.stage, e) from e
        try:
            column = to_column(self.output_type, out)
        except (TypeError, ValueError, OverflowError) as e:
            raise self._user_error(self.stage, TypeError(
                f"a result does not fit the declared output type {self.output_type['name']}: {e}")) from e
        trailer = msgpack.packb({"counts": counts, "side": side}, use_bin_type=True)
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
        if self.kind == "window_aggregate_pandas":
            return [_scalar(self.fn(elements.reset_index(drop=True)))]
        context = _Context(self, window)
        produced = (self.fn.process(context, elements) if self.all_windows
                    else self.fn.process(key, context, elements))
        return [] if produced is None else list(produced)


def _scalar(result):
    """A vectorized aggregate's one value as a plain Python value (numpy scalars unwrapped)."""
    if hasattr(result, "__len__") and not isinstance(result, (str, bytes, tuple)):
        raise TypeError(f"a vectorized (func_type='pandas') window aggregate must return one value per window, "
                        f"got {type(result).__name__} of {len(result)}")
    return result.item() if hasattr(result, "item") else result


class _Context(ProcessWindowFunction.Context):
    """What a window function sees: its window, the operator's watermark and processing time when the
    round fired (both from the engine), and side outputs."""

    def __init__(self, chain, window):
        self._chain = chain
        self._window = window

    def window(self):
        return self._window

    def current_processing_time(self) -> int:
        return self._chain.now

    def current_watermark(self) -> int:
        return self._chain.watermark

    def output(self, output_tag, value):
        self._chain.sides.emit(output_tag, value, self._window.max_timestamp())
