"""The worker loop: OPEN, then BATCH -> RESULT until CLOSE or end of input."""
import os
import struct
import sys
import threading
import traceback

import msgpack
import numpy as np

from pyflow._arrow import Column, Field, RecordBatch, Schema, read_stream, write_stream
from pyflow._protocol.conform import conformer
from pyflow._protocol.frames import MAX_FRAME, FrameTooLargeError, ProtocolError, read_frame, widen_pipe, write_frame
from pyflow._protocol.values import arrow_type, from_column, from_series, to_column, to_series
from pyflow.worker.call_watch import watch_for_open
from pyflow.worker.frame_size import too_large_message
from pyflow.worker.functions import load_function
from pyflow.worker.host_death import die_with_host
from pyflow.worker.co_process import CoProcessRunner
from pyflow.worker.keyed_process import KeyedProcessRunner
from pyflow.worker.lifecycle import close_functions
from pyflow.worker.source import SourceChain
from pyflow.worker.runtime_context import PlainRuntimeContext, open_function
from pyflow.worker.side_outputs import SideOutputs, is_side_record
from pyflow.worker.window import WindowChain
from pyflow.worker.stages import USER_ERRORS, Rows, UserFunctionError, build, describe_exit

PROTOCOL = 2  # 2: side outputs (SIDE_RESULT, "side" in KEYED_RESULT and WINDOW_RESULT)
#: The fd that carries frames to the engine, once main() has moved it off fd 1 (for diagnostics and fault tests).
protocol_out_fd = None
OPEN, BATCH, CLOSE, KEYED_BATCH, TIMERS, WINDOWS, POLL = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
READY, RESULT, ERROR, CLOSED, KEYED_RESULT, WINDOW_RESULT, SIDE_RESULT = 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16
SOURCE_RESULT = 0x17  # POLL/SOURCE_RESULT: a Python SourceFunction (source.py)
HOST_KINDS = frozenset((OPEN, BATCH, CLOSE, KEYED_BATCH, TIMERS, WINDOWS, POLL))
_U32 = struct.Struct("<I")


class Chain:
    """The fused stages of one operator subtask."""

    def __init__(self, spec):
        if spec.get("protocol") != PROTOCOL:
            raise ProtocolError(f"engine speaks worker protocol {spec.get('protocol')}, this worker {PROTOCOL}; "
                                "reinstall pyflow so the engine and the package match")
        self.task = spec["task"]
        self.input_type = spec["input_type"]
        stages = spec["stages"]
        self.sides = SideOutputs()
        #: A chain with a ProcessFunction answers SIDE_RESULT (its side records, then the RESULT body).
        self.has_side_outputs = any(s["kind"] == "process" for s in stages)
        self.stages = []
        self.functions = []  # the user functions, for close() at the end (lifecycle.py)
        context = PlainRuntimeContext(self.task, spec["subtask"], spec["parallelism"])
        for s in stages:
            fn = load_function(s)
            self.functions.append(fn)
            try:
                open_function(fn, context)
            except USER_ERRORS as e:  # noqa: BLE001 - open() is user code: report it as the function's error
                raise UserFunctionError(s["name"], e) from e
            self.stages.append(build(s["kind"], fn, s["name"], s.get("num_partitions"),
                                     self.sides.scoped(s.get("side_tags")), spec["subtask"], spec["parallelism"]))
        # Fused stages see each other's results as a shuffle would deliver them (conform.py).
        self.conform = [(s["name"], s["type"]["name"], conformer(s["type"]))
                        if i < len(stages) - 1 and s["kind"] in RESHAPING else None for i, s in enumerate(stages)]
        self.output_type = stages[-1]["type"]
        self.emits_keys = stages[-1]["kind"] in ("key_selector", "custom_partition")
        # A vectorized first stage gets the column as a pandas Series straight from the Arrow buffer.
        self.vectorized_input = stages[0]["kind"] == "map_pandas"
        self.acc_type = self.input_type if stages[-1]["kind"] == "reduce" else None
        self.max_frame = (spec.get("limits") or {}).get("max_frame") or MAX_FRAME
        self.last_stage = stages[-1]["name"]  # the operator whose results the chain returns

    def process(self, payload) -> bytes:
        batches = read_stream(payload)
        if len(batches) != 1:
            raise ProtocolError(f"a BATCH frame must hold one record batch, it held {len(batches)}")
        batch = batches[0]
        names = [f.name for f in batch.schema.fields]
        values = (to_series(self.input_type, batch.column("v")) if self.vectorized_input
                  else from_column(self.input_type, batch.column("v")))
        if "ts" in names:
            ts_col = batch.column("ts")
            rows = Rows(values, ts_col.to_numpy(), ts_col.validity)
        else:
            rows = Rows(values, None, None)
        if "k" in names:
            rows.keys = batch.column("k").to_pylist()
        if "acc" in names:
            rows.accs = from_column(self.input_type, batch.column("acc"))
        for stage, conform in zip(self.stages, self.conform):
            rows = stage(rows)
            if conform is not None and conform[2] is not None:
                rows.values = _conformed(conform, rows.values)
        body = self._encode(rows)
        if len(body) + 1 > self.max_frame:
            raise UserFunctionError(self.last_stage, FrameTooLargeError(too_large_message(
                self.last_stage, rows.values, len(body) + 1, self.max_frame)))
        if not self.has_side_outputs:
            return body
        section = msgpack.packb({"side": self.sides.take()}, use_bin_type=True)
        return _U32.pack(len(section)) + section + body

    def _encode(self, rows: Rows) -> bytes:
        try:
            v = from_series(self.output_type, rows.values) if hasattr(rows.values, "to_numpy") \
                else to_column(self.output_type, rows.values)
        except (TypeError, ValueError, OverflowError) as e:
            raise UserFunctionError(self.task, TypeError(
                f"a result does not fit the declared output type {self.output_type['name']}: {e}. "
                "Declare the right output_type, or leave it unset to pass Python objects pickled")) from e
        fields = [Field("v", arrow_type(self.output_type))]
        cols = [v]
        if rows.ts is not None:
            fields.append(Field("ts", "int64"))
            cols.append(Column.from_numpy("int64", np.ascontiguousarray(rows.ts, dtype=np.int64), rows.ts_valid))
        if self.emits_keys:
            fields.append(Field("k", "binary"))
            cols.append(Column.from_pylist("binary", rows.keys))
        return write_stream(RecordBatch(Schema(fields), cols))


class KeyedChain:
    """A ``KeyedProcessFunction`` subtask: batches and timers come with their keys' state (see keyed_process).
    A ``co_process`` (after connect) too: it has two input types, and each batch's header names its input."""

    def __init__(self, spec):
        if spec.get("protocol") != PROTOCOL:
            raise ProtocolError(f"engine speaks worker protocol {spec.get('protocol')}, this worker {PROTOCOL}; "
                                "reinstall pyflow so the engine and the package match")
        stage = spec["stages"][0]
        self.task = spec["task"]
        self.stage = stage["name"]
        self.input_types = stage.get("input_types") or [spec["input_type"]]
        self.output_type = stage["type"]
        runner = CoProcessRunner if stage["kind"] == "co_process" else KeyedProcessRunner
        try:
            self.runner = runner(load_function(stage), spec["subtask"], spec["parallelism"],
                                 bool(stage.get("batch_mode")), stage.get("restored_states"))
        except USER_ERRORS as e:  # noqa: BLE001 - open() is user code: report it as the function's error
            raise UserFunctionError(self.stage, e) from e
        self.runner.sides = SideOutputs(stage.get("side_tags"))

    def batch(self, payload) -> bytes:
        header, rest = _split(payload)
        batch = read_stream(rest)[0]
        names = [f.name for f in batch.schema.fields]
        input_index = header.get("input", 0)
        values = from_column(self.input_types[input_index], batch.column("v"))
        keys = batch.column("k").to_pylist() if "k" in names else None
        if "ts" in names:
            ts_col = batch.column("ts")
            ts = ts_col.to_pylist()
            ts = [NO_TIMESTAMP if t is None else t for t in ts]
        else:
            ts = [NO_TIMESTAMP] * len(values)
        return self._run(header, lambda emit: self.runner.process_input(input_index, keys, values, ts, emit))

    def timers(self, payload) -> bytes:
        header = msgpack.unpackb(payload, raw=False)
        return self._run(header, lambda emit: self.runner.on_timers(header["timers"], emit))

    def _run(self, header, body) -> bytes:
        out, out_ts = [], []
        sides = self.runner.sides

        def emit(value, timestamp):
            if is_side_record(value):
                sides.emit(value[0], value[1], timestamp)
                return
            out.append(value)
            out_ts.append(timestamp)

        self.runner.begin(header)
        try:
            body(emit)
            trailer = self.runner.end()
            trailer["side"] = sides.take()
        except USER_ERRORS as e:  # noqa: BLE001 - reported with the stage name
            raise UserFunctionError(self.stage, e) from e
        trailer = msgpack.packb(trailer, use_bin_type=True)
        try:
            v = to_column(self.output_type, out)
        except (TypeError, ValueError, OverflowError) as e:
            raise UserFunctionError(self.stage, TypeError(
                f"a result does not fit the declared output type {self.output_type['name']}: {e}")) from e
        valid = np.array([t != NO_TIMESTAMP for t in out_ts], dtype=bool)
        ts = np.array([0 if t == NO_TIMESTAMP else t for t in out_ts], dtype=np.int64)
        ts_col = Column.from_numpy("int64", ts, None if valid.all() else valid)
        body_bytes = write_stream(RecordBatch(Schema([Field("v", arrow_type(self.output_type)), Field("ts", "int64")]),
                                              [v, ts_col]))
        return _U32.pack(len(trailer)) + trailer + body_bytes


NO_TIMESTAMP = -(2 ** 63)
#: Stages whose results take their declared output type (filter and timestamp assigners pass values on as they are).
RESHAPING = ("map", "flat_map", "process")


def _conformed(conform, values: list) -> list:
    stage, type_name, conform_all = conform
    try:
        return conform_all(values)
    except TypeError as e:
        raise UserFunctionError(stage, TypeError(
            f"a result does not fit the declared output type {type_name}: {e}. Declare the right output_type, "
            "or leave it unset to pass Python objects pickled")) from None


def _split(payload):
    (n,) = _U32.unpack_from(payload, 0)
    return msgpack.unpackb(payload[4:4 + n], raw=False), memoryview(payload)[4 + n:]


def _open(spec):
    if spec.get("protocol") != PROTOCOL:
        raise ProtocolError(f"engine speaks worker protocol {spec.get('protocol')}, this worker {PROTOCOL}; "
                            "reinstall pyflow so the engine and the package match")
    kind = spec["stages"][0]["kind"] if spec["stages"] else None
    if kind in ("keyed_process", "co_process"):
        return KeyedChain(spec)
    if kind in ("window_reduce", "window_aggregate", "window_aggregate_pandas", "window_process"):
        return WindowChain(spec, UserFunctionError)
    if kind == "source":
        return _open_source(spec)
    return Chain(spec)


def _open_source(spec):
    stage = spec["stages"][0]
    fn = load_function(stage)
    try:
        fn.open(PlainRuntimeContext(spec["task"], spec["subtask"], spec["parallelism"]))
    except USER_ERRORS as e:  # noqa: BLE001 - open() is user code
        raise UserFunctionError(stage["name"], e) from e
    return SourceChain(spec, fn, UserFunctionError)


def _error_payload(e: BaseException, stage: str) -> bytes:
    original = e.original if isinstance(e, UserFunctionError) else e
    tb = "".join(traceback.format_exception(type(original), original, original.__traceback__))
    error = {
        "stage": stage,
        "type": type(original).__qualname__,
        "message": describe_exit(original) if isinstance(original, SystemExit) else str(original),
        "traceback": tb,
    }
    record = getattr(e, "record", None)
    if record is not None:
        error["record"] = record  # the failing record's index in the batch; the host maps it to a file and line
    return msgpack.packb(error, use_bin_type=True)


def answer(chain, kind: int, payload):
    """The reply ``(kind, payload)`` to one frame after OPEN: shared by the worker process and thread mode.
    A failure becomes an ERROR reply; nothing is raised."""
    try:
        if kind == BATCH:
            if not isinstance(chain, Chain):
                raise ProtocolError("BATCH for a chain that takes no plain batches")
            return (SIDE_RESULT if chain.has_side_outputs else RESULT), chain.process(payload)
        if kind == WINDOWS:
            if not isinstance(chain, WindowChain):
                raise ProtocolError("WINDOWS before a window OPEN")
            return WINDOW_RESULT, chain.fire(payload)
        if kind == POLL:
            if not isinstance(chain, SourceChain):
                raise ProtocolError("POLL before a source OPEN")
            return SOURCE_RESULT, chain.poll(payload)
        if kind in (KEYED_BATCH, TIMERS):
            if not isinstance(chain, KeyedChain):
                raise ProtocolError("keyed frames before a keyed OPEN")
            return KEYED_RESULT, chain.batch(payload) if kind == KEYED_BATCH else chain.timers(payload)
        raise ProtocolError(f"unknown frame kind 0x{kind:02x}")
    except UserFunctionError as e:
        return ERROR, _error_payload(e, e.stage)
    except USER_ERRORS as e:  # noqa: BLE001 - reported to the host, which fails the job with it
        return ERROR, _error_payload(e, chain.task if chain else "worker")


def close_chain(chain):
    """Calls ``close()`` of the chain's function objects; the reply ``(kind, payload)`` to CLOSE: CLOSED, or
    ERROR naming the stage when a close() raised."""
    if chain is None:
        return CLOSED, b""
    functions = chain.functions if isinstance(chain, (Chain, SourceChain)) else [
        chain.runner.fn if isinstance(chain, KeyedChain) else chain.fn]
    try:
        if isinstance(chain, SourceChain):
            chain.stop()
        close_functions(functions)
    except USER_ERRORS as e:  # noqa: BLE001 - close() is user code: reported to the host, which fails the job
        return ERROR, _error_payload(e, getattr(chain, "stage", chain.task))
    return CLOSED, b""


def open_chain(payload):
    """The chain of an OPEN payload and the reply to send: ``(chain, kind, payload)``; chain is None on error."""
    try:
        chain = _open(msgpack.unpackb(payload, raw=False))
        return chain, READY, msgpack.packb({"protocol": PROTOCOL, "pid": os.getpid()})
    except UserFunctionError as e:
        return None, ERROR, _error_payload(e, e.stage)
    except USER_ERRORS as e:  # noqa: BLE001 - reported to the host
        return None, ERROR, _error_payload(e, "worker")


def _stop_source(chain) -> None:
    """The host went away (the job was cancelled or failed): a Python source's run() gets cancel()."""
    if isinstance(chain, SourceChain):
        try:
            chain.stop()
        except Exception as e:  # noqa: BLE001 - nobody is left to report to but stderr
            print(f"pyflow worker: stopping the source: {e}", file=sys.stderr)


def _host_pid(argv) -> "int | None":
    """``--host-pid N`` (the engine host passes its pid), or None when the worker was started by hand."""
    if len(argv) == 2 and argv[0] == "--host-pid" and argv[1].isdigit():
        return int(argv[1])
    if argv:
        raise SystemExit(f"usage: python -m pyflow.worker [--host-pid PID], got {argv!r}")
    return None


def main(argv=None) -> int:
    die_with_host(_host_pid(sys.argv[1:] if argv is None else argv))
    # Frames own fd 0 and a private copy of fd 1; user print() and C-level writes to fd 1 go to stderr.
    global protocol_out_fd
    protocol_out_fd = os.dup(1)
    proto_out = os.fdopen(protocol_out_fd, "wb", buffering=1 << 16)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    proto_in = os.fdopen(os.dup(0), "rb", buffering=1 << 16)
    widen_pipe(protocol_out_fd)
    widen_pipe(proto_in.fileno())

    write_lock = threading.Lock()  # the call watch may report a timeout while the main thread writes a reply

    max_frame = MAX_FRAME  # until OPEN names the job's pyflow.frame.max-size

    def send(reply, body):
        if len(body) + 1 > max_frame:  # a reply too large for the host to read: say so instead
            reply, body = ERROR, _error_payload(FrameTooLargeError(
                f"the reply to one call is {len(body) + 1} bytes, over the frame limit of {max_frame} bytes; raise "
                "the option pyflow.frame.max-size (at most 1 gb), or lower python.fn-execution.arrow.batch.size"),
                getattr(chain, "task", "worker"))
        with write_lock:
            write_frame(proto_out, reply, body)
            proto_out.flush()

    def on_timeout(error):
        send(ERROR, msgpack.packb(error, use_bin_type=True))
        os._exit(5)  # the hung function cannot be stopped otherwise; the host fails the job with the ERROR

    chain, watch = None, None
    while True:
        try:
            frame = read_frame(proto_in, "worker stdin", max_frame, HOST_KINDS)
        except (EOFError, ProtocolError) as e:
            print(f"pyflow worker: {e}", file=sys.stderr)
            return 3
        if frame is None:
            _stop_source(chain)
            return 0  # the host went away: nothing left to do
        kind, payload = frame
        if kind == OPEN:
            watch = watch_for_open(payload, on_timeout)
            max_frame = watch.max_frame
            watch.begin()
            chain, reply, body = open_chain(payload)
        elif kind == CLOSE:
            reply, body = close_chain(chain)
            send(reply, body)
            return 0 if reply == CLOSED else 4
        else:
            if watch is not None:
                watch.begin()
            reply, body = answer(chain, kind, payload)
        if watch is not None:
            watch.end()
        send(reply, body)
