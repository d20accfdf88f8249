"""Notebook helpers behind ``DataStream.collect()`` and ``DataStream.to_pandas()``.

Both run the job through ``execute_and_collect`` and gather every record. ``to_pandas`` takes its
columns from the stream's declared type: one per field of a ``Types.ROW_NAMED`` (its names) or a
``Types.ROW`` / ``Types.TUPLE`` (f0, f1, ...), and one column ``f0`` for any other type. Each column
gets the dtype of its field's type:

=====================================  =============================  ==============================
type                                   dtype without nulls            dtype with nulls
=====================================  =============================  ==============================
BYTE, SHORT, INT                       int32                          Int32 (pandas' nullable int)
LONG, BIG_INT                          int64                          Int64
FLOAT, DOUBLE                          float64                        float64 (NaN)
BOOLEAN                                bool                           boolean
SQL_TIMESTAMP                          datetime64[ns]                 datetime64[ns] (NaT)
STRING, BYTES, nested, pickled         object                         object (None)
=====================================  =============================  ==============================
"""
from pyflow.common.typeinfo import TypeInformation

__all__ = ["collect", "to_pandas", "frame_columns"]

_NUMBER_DTYPES = {"BYTE": ("int32", "Int32"), "SHORT": ("int32", "Int32"), "INT": ("int32", "Int32"),
                  "LONG": ("int64", "Int64"), "BIG_INT": ("int64", "Int64"),
                  "FLOAT": ("float64", "float64"), "DOUBLE": ("float64", "float64"),
                  "BOOLEAN": ("bool", "boolean")}


def collect(stream, job_execution_name=None, limit=None) -> list:
    """Every record of ``stream`` (at most ``limit``), after running its job to the end."""
    results = stream.execute_and_collect(job_execution_name, limit=limit)
    if isinstance(results, list):
        return results
    with results:
        return list(results)


def frame_columns(type_info: TypeInformation) -> list:
    """``[(column name, type of the column), ...]`` of a DataFrame of records of ``type_info``.

    >>> from pyflow.common import Types
    >>> [n for n, _ in frame_columns(Types.ROW_NAMED(["id", "name"], [Types.INT(), Types.STRING()]))]
    ['id', 'name']
    >>> frame_columns(Types.LONG())
    [('f0', Types.LONG())]
    """
    spec = type_info._to_spec()
    if spec["name"] in ("ROW", "ROW_NAMED"):
        return list(zip(type_info.get_field_names(), type_info.get_field_types()))
    if spec["name"] == "TUPLE":
        return [(f"f{i}", t) for i, t in enumerate(type_info.get_field_types())]
    return [("f0", type_info)]


def to_pandas(stream, job_execution_name=None, limit=None):
    """A pandas DataFrame of every record of ``stream`` (see the module's docstring for columns and dtypes)."""
    import pandas as pd
    values = collect(stream, job_execution_name, limit)
    columns = frame_columns(stream.get_type())
    if len(columns) == 1 and columns[0][1] is stream.get_type():
        data = [values]
    else:
        data = [[None if v is None else v[i] for v in values] for i in range(len(columns))]
    return pd.DataFrame({name: _series(t, column) for (name, t), column in zip(columns, data)},
                        columns=[name for name, _ in columns])


def _series(type_info: TypeInformation, values: list):
    import pandas as pd
    name = type_info._to_spec()["name"]
    has_nulls = any(v is None for v in values)
    if name in _NUMBER_DTYPES:
        plain, nullable = _NUMBER_DTYPES[name]
        return pd.Series(values, dtype=nullable if has_nulls else plain)
    if name == "SQL_TIMESTAMP":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    series = pd.Series(values, dtype=object)
    return series
