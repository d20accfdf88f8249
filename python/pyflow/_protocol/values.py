"""Between Python values and Arrow columns, by PyFlow TYPE (``{"name": "INT"}``, ...)."""
import pickle

import cloudpickle

from pyflow._arrow import Column

# PyFlink type name -> Arrow type on the wire (docs/ARCHITECTURE.md, "TYPE").
ARROW_TYPES = {
    "BOOLEAN": "bool",
    "BYTE": "int32",
    "SHORT": "int32",
    "INT": "int32",
    "LONG": "int64",
    "BIG_INT": "int64",
    "FLOAT": "float64",
    "DOUBLE": "float64",
    "STRING": "utf8",
    "BYTES": "binary",
    "SQL_TIMESTAMP": "timestamp[us]",
    "PICKLED_BYTE_ARRAY": "binary",
}

PICKLED = "PICKLED_BYTE_ARRAY"


def arrow_type(type_spec) -> str:
    name = type_spec["name"]
    try:
        return ARROW_TYPES[name]
    except KeyError:
        raise TypeError(f"type {name} is not supported on the wire yet; supported: {', '.join(ARROW_TYPES)}") from None


def _dumps(value, dumps=pickle.dumps, proto=pickle.HIGHEST_PROTOCOL) -> bytes:
    """Plain pickle, which is fast; cloudpickle when the value refers to ``__main__`` (a class or
    function defined in the driver's script, which another process could not import) or plain
    pickle cannot take it at all (such a class, rebuilt by cloudpickle in a worker)."""
    try:
        data = dumps(value, proto)
    except (pickle.PicklingError, AttributeError, TypeError):
        return cloudpickle.dumps(value, proto)
    if b"__main__" in data:
        data = cloudpickle.dumps(value, proto)
    return data


def to_column(type_spec, values) -> Column:
    """Encodes a list of Python values of ``type_spec`` as a column."""
    if type_spec["name"] == PICKLED:
        return Column.from_pylist("binary", [_dumps(v) for v in values])
    return Column.from_pylist(arrow_type(type_spec), values)


def from_column(type_spec, column) -> list:
    """Decodes a column into a list of Python values of ``type_spec``."""
    values = column.to_pylist()
    if type_spec["name"] == PICKLED:
        loads = pickle.loads
        return [None if v is None else loads(v) for v in values]
    return values
