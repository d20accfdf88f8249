"""Encoding the elements of ``from_collection`` as the Arrow IPC ``data`` of a ``source.collection`` node."""
import array
import pickle

import numpy as np

from pyflow._arrow import Column, Field, RecordBatch, Schema, write_stream
from pyflow._protocol.values import PICKLED, arrow_type, to_column
from pyflow.common.typeinfo import _INT_RANGES, TypeInformation
from pyflow.errors import PlanError


#: Rows per record batch of the collection's stream: the engine forwards a batch of this size to a
#: Python worker as it is (python.fn-execution.arrow.batch.size defaults to the same).
CHUNK_ROWS = 10_000


def encode_collection(values: list, type_info: TypeInformation) -> bytes:
    """One Arrow IPC stream with column ``v`` holding ``values`` as ``type_info``, in record
    batches of at most ``CHUNK_ROWS``.

    Every element is checked first, so a bad one is reported by index, with the fix.

    >>> from pyflow._arrow import read_stream
    >>> from pyflow.common import Types
    >>> read_stream(encode_collection([1, 2], Types.INT()))[0].column("v").to_pylist()
    [1, 2]
    """
    spec = type_info._to_spec()
    schema = Schema([Field("v", arrow_type(spec))])
    ints = _plain_ints(values, spec["name"])
    if ints is not None:
        columns = [Column.from_numpy(arrow_type(spec), ints[i:i + CHUNK_ROWS]) for i in range(0, len(ints), CHUNK_ROWS)]
        return write_stream([RecordBatch(schema, [c]) for c in columns], schema=schema)
    if not _all_fit(values, spec["name"]):
        _check_each(values, type_info)
    try:
        batches = [RecordBatch(schema, [to_column(spec, values[i:i + CHUNK_ROWS])])
                   for i in range(0, len(values), CHUNK_ROWS)]
    except Exception as e:  # noqa: BLE001 - the codec's own check, after ours: report it, never guess
        if spec["name"] == PICKLED:
            _check_picklable(values)  # names the element that failed
        raise PlanError(f"from_collection: the elements cannot be encoded as {type_info!r}: {e}") from e
    return write_stream(batches, schema=schema)


def _plain_ints(values: list, name: str) -> "np.ndarray | None":
    """For an integer type whose elements are all plain ``int`` within its range: the whole list as one int64
    array, converted in one C pass and range-checked with numpy. None otherwise: the checked path below
    handles (and names) anything else."""
    if name not in _INT_RANGES or not values or set(map(type, values)) != {int}:
        return None
    try:
        ints = np.frombuffer(array.array("q", values), dtype=np.int64)
    except OverflowError:
        return None
    low, high = _INT_RANGES[name]
    if ints.min() < low or ints.max() > high:
        return None
    return ints


def _all_fit(values: list, name: str) -> bool:
    """True when every element is of a plain built-in type that fits ``name``: checked per type,
    not per element, so a million ints cost milliseconds. Anything else takes the per-element
    check, which names the first element that does not fit."""
    kinds = set(map(type, values))
    if name == "PICKLED_BYTE_ARRAY":
        return type(None) not in kinds
    if name == "STRING":
        return kinds <= {str}
    if name == "BOOLEAN":
        return kinds <= {bool}
    if name in ("FLOAT", "DOUBLE"):
        return kinds <= {float, int}
    if name in _INT_RANGES and kinds <= {int}:
        low, high = _INT_RANGES[name]
        return not values or (low <= min(values) and max(values) <= high)
    return False


def _check_each(values: list, type_info: TypeInformation) -> None:
    for index, value in enumerate(values):
        if value is None:
            raise PlanError(f"from_collection: element {index} is None; a stream cannot hold null records "
                            "(as in Flink). Remove it or replace it with a value.")
        why = type_info._check(value)
        if why is not None:
            raise PlanError(
                f"from_collection: element {index} ({_short(value)}, of type {type(value).__name__}) does not fit "
                f"type_info={type_info!r}: {why}. Fix the element, or declare a type that fits it "
                "(Types.PICKLED_BYTE_ARRAY(), the default, takes any picklable object).")


def _check_picklable(values: list) -> None:
    for index, value in enumerate(values):
        try:
            pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # noqa: BLE001 - pickling fails with many exception types
            raise PlanError(
                f"from_collection: element {index} ({_short(value)}) cannot be pickled ({type(e).__name__}: {e}). "
                "Elements without a declared type travel pickled: use plain data (numbers, strings, tuples, "
                "lists, dicts, module-level classes), or declare type_info.") from e


def _short(value, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
