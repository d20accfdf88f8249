"""Between Python values and Arrow columns, by PyFlow TYPE (``{"name": "INT"}``, ...)."""
import pickle

import cloudpickle

from pyflow._arrow import ArrowCodecError, Column
from pyflow._protocol import instants, nested

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
    "SQL_DATE": "date32",
    "LOCAL_DATE": "date32",
    "SQL_TIME": "time32[ms]",
    "LOCAL_TIME": "time64[us]",
    "LOCAL_DATE_TIME": "timestamp[us]",
    "INSTANT": "timestamp[us, tz=UTC]",
    "BIG_DEC": "decimal128(38, 18)",
}

PICKLED = "PICKLED_BYTE_ARRAY"


def arrow_type(type_spec):
    """The Arrow type of a TYPE: a type name, or a nested type of ``pyflow._arrow``."""
    name = type_spec["name"]
    if name in nested.NESTED:
        return nested.arrow_type(type_spec, arrow_type)
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
    if type_spec["name"] in nested.NESTED:
        return nested.to_column(type_spec, values, arrow_type(type_spec), _dumps)
    if type_spec["name"] == "INSTANT":
        values = [None if v is None else instants.to_datetime(v, f"INSTANT value at index {i}")
                  for i, v in enumerate(values)]
    return Column.from_pylist(arrow_type(type_spec), values)


def from_column(type_spec, column) -> list:
    """Decodes a column into a list of Python values of ``type_spec``."""
    values = column.to_pylist()
    if type_spec["name"] == PICKLED:
        loads = pickle.loads
        return [None if v is None else loads(v) for v in values]
    if type_spec["name"] in nested.NESTED:
        return nested.from_values(type_spec, values)
    if type_spec["name"] == "INSTANT":
        return [None if v is None else instants.from_datetime(v) for v in values]
    return values


_NUMPY_KINDS = {"int32": "i", "int64": "i", "float64": "f", "bool": "b"}


def to_series(type_spec, column):
    """A column as a pandas Series, straight from the Arrow buffer for numbers and booleans without nulls;
    a ROW, ROW_NAMED or TUPLE column as a DataFrame with one column per field."""
    import pandas as pd
    if type_spec["name"] in nested.STRUCTS:
        return nested.to_frame(type_spec, column, to_series)
    kind = arrow_type(type_spec) if type_spec["name"] != PICKLED else None
    if kind in _NUMPY_KINDS and column.validity is None:
        return pd.Series(column.to_numpy(), copy=False)
    return pd.Series(from_column(type_spec, column))


def from_series(type_spec, series) -> Column:
    """A vectorized function's result (Series or array) as a column of ``type_spec``, without per-record work
    for numbers and booleans; nulls (NaN/None) become nulls. A row type also takes a DataFrame (by column
    name for ROW_NAMED, by position otherwise)."""
    import numpy as np
    import pandas as pd
    if isinstance(series, pd.DataFrame) or type_spec["name"] in nested.NESTED:
        return nested.from_frame(type_spec, series, from_series, to_column)
    kind = arrow_type(type_spec) if type_spec["name"] != PICKLED else None
    values = series if isinstance(series, pd.Series) else pd.Series(series)
    if kind in _NUMPY_KINDS:
        missing = values.isna().to_numpy()
        if not missing.any():
            dtype = {"int32": np.int32, "int64": np.int64, "float64": np.float64, "bool": np.bool_}[kind]
            array = values.to_numpy()
            if kind in ("int32", "int64") and array.dtype.kind == "f":
                raise TypeError(f"a vectorized function returned floats for output type {type_spec['name']}; "
                                "round or cast them (e.g. .astype('int64')), or declare Types.DOUBLE()")
            return Column.from_numpy(kind, array.astype(dtype, copy=False))
    return to_column(type_spec, [None if pd.isna(v) else v for v in values.tolist()])
