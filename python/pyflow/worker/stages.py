"""One stage per user function. A stage maps a ``Rows`` (values, timestamps, keys) to another."""
import operator
from dataclasses import dataclass

import numpy as np

from pyflow._protocol.keys import canonical_key
from pyflow.worker.partition import custom_partition_stage
from pyflow.worker.sink import sink_stage


@dataclass
class Rows:
    """The records of one batch inside the worker: parallel lists, plus optional keys and accumulators."""

    values: list
    ts: "np.ndarray | None"  # int64 event timestamps; None: no record has one
    ts_valid: "np.ndarray | None"  # None: every timestamp is set
    keys: "list | None" = None
    accs: "list | None" = None
    #: For each row, its record's index in the batch the chain was given; None: row i is record i.
    origin: "list | None" = None

    def take(self, index: list, values: list) -> "Rows":
        """Rows for ``values``, each with the timestamp (and origin) of the input row at ``index``."""
        origin = index if self.origin is None else [self.origin[i] for i in index]
        if self.ts is None:
            return Rows(values, None, None, origin=origin)
        idx = np.asarray(index, dtype=np.int64)
        valid = None if self.ts_valid is None else self.ts_valid[idx]
        return Rows(values, self.ts[idx], valid, origin=origin)

    def record_of(self, row: int) -> int:
        """The index in the chain's input batch of the record that row ``row`` came from."""
        return row if self.origin is None else self.origin[row]


#: What a user function may raise and the worker reports as the function's error. SystemExit is one: a function
#: that calls sys.exit() fails, it does not end the worker (nor, in thread mode, the engine host it runs in).
USER_ERRORS = (Exception, SystemExit)


def describe_exit(e: SystemExit) -> str:
    """The message of a SystemExit raised by a user function: what it did and what to do instead."""
    return (f"the function called sys.exit({e.code!r}); a function cannot end its worker or the job that way. "
            "Raise an exception to fail the job, or return normally")


class UserFunctionError(Exception):
    """A user function raised; carries the stage so the host can name the operator, and when it was one
    record's call, that record's index in the chain's input batch (the host maps it to a file and line)."""

    def __init__(self, stage: str, original: BaseException, record: "int | None" = None):
        super().__init__(str(original))
        self.stage = stage
        self.original = original
        self.record = record


class RecordError(Exception):
    """Raised by a stage when the call for row ``row`` of its input raised ``original``."""

    def __init__(self, row: "int | None", original: BaseException):
        super().__init__(str(original))
        self.row = row
        self.original = original


def failed_row(values, it) -> "int | None":
    """The row whose call raised, from the iterator ``it`` over ``values`` that fed the calls: a list's
    iterator knows how many rows are left, so the hot loop keeps no counter of its own. None when ``values``
    is not a list (a pandas Series after a vectorized stage), whose iterator does not say."""
    left = operator.length_hint(it, -1) if isinstance(values, list) else -1
    return None if left < 0 else len(values) - left - 1


def _map(fn, name):
    def run(rows: Rows) -> Rows:
        it = iter(rows.values)
        try:
            return Rows([fn(v) for v in it], rows.ts, rows.ts_valid, origin=rows.origin)
        except USER_ERRORS as e:
            raise RecordError(failed_row(rows.values, it), e) from e
    return run


def _filter(fn, name):
    def run(rows: Rows) -> Rows:
        it = iter(rows.values)
        try:
            index = [i for i, v in enumerate(it) if fn(v)]
        except USER_ERRORS as e:
            raise RecordError(failed_row(rows.values, it), e) from e
        if len(index) == len(rows.values):
            return rows
        vals = rows.values
        return rows.take(index, [vals[i] for i in index])
    return run


def _flat_map(fn, name):
    def run(rows: Rows) -> Rows:
        out, index = [], []
        append, index_append = out.append, index.append
        i = 0
        try:
            for i, v in enumerate(rows.values):
                produced = fn(v)
                if produced is None:
                    raise TypeError(f"the flat_map function returned None; it must return an iterable or be a generator (use yield)")
                for o in produced:
                    append(o)
                    index_append(i)
        except USER_ERRORS as e:
            raise RecordError(i, e) from e
        return rows.take(index, out)
    return run


def _key_selector(fn, name):
    def run(rows: Rows) -> Rows:
        it = iter(rows.values)
        try:
            rows.keys = [canonical_key(fn(v)) for v in it]
        except USER_ERRORS as e:
            raise RecordError(failed_row(rows.values, it), e) from e
        return rows
    return run


def _reduce(fn, name):
    def run(rows: Rows) -> Rows:
        if rows.keys is None or rows.accs is None:
            raise RuntimeError("reduce needs a keyed input with accumulators (columns k and acc)")
        current = {}
        out = []
        for k, v, acc in zip(rows.keys, rows.values, rows.accs):
            if k not in current:
                current[k] = acc
            a = current[k]
            a = v if a is None else fn(a, v)
            current[k] = a
            out.append(a)
        return Rows(out, rows.ts, rows.ts_valid)
    return run


NO_TIMESTAMP = -(2 ** 63)  # the engine's "no timestamp" (Flink's Long.MIN_VALUE), given to assigners as is


def _timestamp_assigner(fn, name):
    def run(rows: Rows) -> Rows:
        n = len(rows.values)
        if rows.ts is None:
            previous = [NO_TIMESTAMP] * n
        else:
            previous = rows.ts.tolist()
            if rows.ts_valid is not None:
                previous = [t if ok else NO_TIMESTAMP for t, ok in zip(previous, rows.ts_valid.tolist())]
        it = iter(rows.values)
        try:
            assigned = [fn(v, t) for v, t in zip(it, previous)]
        except USER_ERRORS as e:
            raise RecordError(failed_row(rows.values, it), e) from e
        bad = next((a for a in assigned if not isinstance(a, int) or isinstance(a, bool)), None)
        if bad is not None or (assigned and not all(isinstance(a, int) for a in assigned)):
            raise TypeError(f"the timestamp assigner returned {bad!r}; it must return an int "
                            "(epoch milliseconds)")
        rows.ts = np.array(assigned, dtype=np.int64)
        rows.ts_valid = None
        return rows
    return run


def _map_pandas(fn, name):
    import pandas as pd

    def run(rows: Rows) -> Rows:
        # A row input arrives as a DataFrame (one column per field); a row output may be one.
        series = rows.values if isinstance(rows.values, (pd.Series, pd.DataFrame)) else pd.Series(rows.values)
        out = fn(series)
        if not hasattr(out, "__len__") or len(out) != len(series):
            got = f"{type(out).__name__} of {len(out)}" if hasattr(out, "__len__") else type(out).__name__
            raise TypeError(f"a vectorized (func_type='pandas') map must return a Series or array of the same length "
                            f"as its input ({len(series)}), got {got}")
        return Rows(out if isinstance(out, (pd.Series, pd.DataFrame)) else pd.Series(out), rows.ts, rows.ts_valid,
                    origin=rows.origin)
    return run


KINDS = {"timestamp_assigner": _timestamp_assigner, "map_pandas": _map_pandas, "map": _map, "filter": _filter, "flat_map": _flat_map, "key_selector": _key_selector, "reduce": _reduce,
         "sink": sink_stage}


def build(kind: str, fn, name: str, num_partitions: "int | None" = None, sides=None, subtask: int = 0,
          parallelism: int = 1):
    """The stage for one STAGE entry of the OPEN frame: ``num_partitions`` is a custom_partition's; a ``process``
    stage sends side records to ``sides``."""
    if kind == "custom_partition":
        run = custom_partition_stage(fn, name, num_partitions)
    elif kind == "process":
        from pyflow.worker.process import process_stage
        try:
            run = process_stage(fn, name, sides, subtask, parallelism)
        except USER_ERRORS as e:  # noqa: BLE001 - open() is user code
            raise UserFunctionError(name, e) from e
    else:
        try:
            make = KINDS[kind]
        except KeyError:
            raise ValueError(f"unknown stage kind {kind!r}; this worker knows {sorted(KINDS) + ['custom_partition', 'process']}") from None
        run = make(fn, name)

    def guarded(rows: Rows) -> Rows:
        try:
            return run(rows)
        except RecordError as e:
            record = None if e.row is None else rows.record_of(e.row)
            raise UserFunctionError(name, e.original, record) from e.original
        except USER_ERRORS as e:  # noqa: BLE001 - every user error is reported, none swallowed
            raise UserFunctionError(name, e) from e
    return guarded
