"""Side-output records of one worker call, gathered per tag and sent back with the call's answer.

A function emits to a side output by yielding ``(OutputTag, value)`` (PyFlink's way) or with
``ctx.output(tag, value)``. Each tag's records travel as one Arrow IPC stream (columns ``v`` of the
tag's type and ``ts``), listed in the answer's msgpack section as ``"side": [[tag_id, type_name,
ipc], ...]`` (docs/ARCHITECTURE.md, worker protocol version 2).
"""
import numpy as np

from pyflow._arrow import Column, Field, RecordBatch, Schema, write_stream
from pyflow._protocol.values import arrow_type, to_column
from pyflow.datastream.output_tag import OutputTag

NO_TIMESTAMP = -(2 ** 63)


class SideOutputs:
    """The side records of the call under way, per tag id.

    ``read`` is the stage spec's ``side_tags``: the tags read from the emitting operator. Records of other
    tags are dropped here, as Flink drops a tag nobody reads; in a fused chain this is also what keeps one
    stage's tag out of another stage's side output (a tag belongs to the operator that emitted it).
    None: every tag is kept (a chain built by a host that does not send ``side_tags``)."""

    def __init__(self, read=None):
        self._tags = {}  # tag id -> (type spec, values, timestamps)
        self._read = None if read is None else frozenset(read)

    def scoped(self, read) -> "ScopedSideOutputs":
        """A view for one stage of a fused chain that keeps only the tags read from that stage."""
        return ScopedSideOutputs(self, read)

    def emit(self, tag, value, timestamp):
        self._emit(tag, value, timestamp, self._read)

    def _emit(self, tag, value, timestamp, read):
        if not isinstance(tag, OutputTag):
            raise TypeError(f"ctx.output() expects an OutputTag as its first argument, got {tag!r}")
        if read is not None and tag.tag_id not in read:
            return
        spec = tag._type_spec()
        entry = self._tags.get(tag.tag_id)
        if entry is None:
            entry = self._tags[tag.tag_id] = (spec, [], [])
        elif entry[0] != spec:
            raise TypeError(f"side output '{tag.tag_id}' is used with two types, {entry[0]['name']} and "
                            f"{spec['name']}; give every OutputTag of one id the same type_info")
        entry[1].append(value)
        entry[2].append(NO_TIMESTAMP if timestamp is None else timestamp)

    def take(self) -> list:
        """``[[tag_id, type_name, ipc], ...]`` for the records gathered so far; then empty."""
        out = []
        for tag_id, (spec, values, stamps) in self._tags.items():
            try:
                v = to_column(spec, values)
            except (TypeError, ValueError, OverflowError) as e:
                raise TypeError(f"a record for side output '{tag_id}' does not fit its type {spec['name']}: {e}. "
                                "Declare the right type_info on the OutputTag, or none to pass Python objects "
                                "pickled") from e
            valid = np.array([t != NO_TIMESTAMP for t in stamps], dtype=bool)
            ts = np.array([0 if t == NO_TIMESTAMP else t for t in stamps], dtype=np.int64)
            ts_col = Column.from_numpy("int64", ts, None if valid.all() else valid)
            batch = RecordBatch(Schema([Field("v", arrow_type(spec)), Field("ts", "int64")]), [v, ts_col])
            out.append([tag_id, spec["name"], write_stream(batch)])
        self._tags = {}
        return out


class ScopedSideOutputs:
    """One stage's side outputs inside a fused chain's ``SideOutputs``: only the tags read from that stage."""

    def __init__(self, outputs: SideOutputs, read):
        self._outputs = outputs
        self._read = None if read is None else frozenset(read)

    def emit(self, tag, value, timestamp):
        self._outputs._emit(tag, value, timestamp, self._read)


def is_side_record(produced) -> bool:
    """Whether a yielded item is PyFlink's ``(OutputTag, value)`` pair for a side output."""
    return type(produced) is tuple and len(produced) == 2 and isinstance(produced[0], OutputTag)
