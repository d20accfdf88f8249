"""Nested TYPEs (ROW, ROW_NAMED, TUPLE, LIST, MAP, PRIMITIVE_ARRAY) between Python values and Arrow columns.

The Arrow codec turns structs into tuples, lists into lists and maps into dicts; this module adds
what the TYPE says beyond that: ``Row`` objects (with ROW_NAMED's field names), pickled fields
(PICKLED_BYTE_ARRAY inside a nested type), ``Instant`` fields, numpy primitive arrays, errors that name the field that does not fit, and the
DataFrame form of row columns for vectorized functions. docs/ARCHITECTURE.md, "TYPE", has the specs.
"""
import pickle

from pyflow._arrow import ArrowCodecError, Column, Field
from pyflow._arrow.convert import Parts
from pyflow._arrow.types import list_of, map_of, struct_of
from pyflow.common.row import Row

NESTED = frozenset({"ROW", "ROW_NAMED", "TUPLE", "LIST", "MAP", "PRIMITIVE_ARRAY"})
LISTS = frozenset({"LIST", "PRIMITIVE_ARRAY"})
STRUCTS = frozenset({"ROW", "ROW_NAMED", "TUPLE"})
PICKLED = "PICKLED_BYTE_ARRAY"
INSTANT = "INSTANT"

_DECODERS = {}


def field_names(spec) -> list:
    """The Arrow field names of a row or tuple: ROW_NAMED's names, else f0, f1, ..."""
    return list(spec["names"]) if spec["name"] == "ROW_NAMED" else [f"f{i}" for i in range(len(spec["fields"]))]


def arrow_type(spec, arrow_type_of):
    name = spec["name"]
    if name in STRUCTS:
        return struct_of([Field(n, arrow_type_of(c)) for n, c in zip(field_names(spec), spec["fields"])])
    if name in LISTS:
        return list_of(arrow_type_of(spec["element"]))
    return map_of(arrow_type_of(spec["key"]), arrow_type_of(spec["value"]))


def _contains(spec, name: str) -> bool:
    if spec["name"] == name:
        return True
    children = spec.get("fields") or [spec[k] for k in ("element", "key", "value") if k in spec]
    return any(_contains(c, name) for c in children)


def to_column(spec, values, arrow, dumps) -> Column:
    """``values`` of nested TYPE ``spec`` as a column; a value that does not fit is a TypeError naming its field."""
    try:
        encoded = [_prepare(spec, v, dumps) for v in values] if _needs_prepare(spec) else values
        return Column.from_pylist(arrow, encoded)
    except ArrowCodecError as e:
        raise TypeError(_explain(spec, values) or str(e)) from None


def _needs_prepare(spec) -> bool:
    """Whether values of ``spec`` hold anything the Arrow codec does not take as it is (see ``_prepare``)."""
    return _contains(spec, PICKLED) or _contains(spec, INSTANT) or _contains(spec, "PRIMITIVE_ARRAY")


def _prepare(spec, value, dumps):
    """A value as the Arrow codec takes it: pickled fields as bytes, Instants as aware datetimes, numpy
    primitive arrays as lists; anything that does not fit goes on as it is, for the codec to refuse."""
    if value is None:
        return None
    name = spec["name"]
    if name == PICKLED:
        return dumps(value)
    if name == INSTANT:
        from pyflow._protocol.instants import to_datetime
        return to_datetime(value)
    if name in STRUCTS:
        if not isinstance(value, (tuple, list)):
            return value  # the codec refuses it, and _explain names it
        return tuple(_prepare(c, v, dumps) for c, v in zip(spec["fields"], value))
    if name in LISTS:
        if type(value).__name__ == "ndarray" and getattr(value, "ndim", 0) == 1:
            value = value.tolist()
        if name == "PRIMITIVE_ARRAY" and isinstance(value, (list, tuple)) and None in value:
            raise ArrowCodecError(f"a primitive array holds no nulls, got {value!r:.80}")
        return [_prepare(spec["element"], v, dumps) for v in value] if isinstance(value, (list, tuple)) else value
    if name == "MAP":
        if not isinstance(value, dict):
            return value
        return {_prepare(spec["key"], k, dumps): _prepare(spec["value"], v, dumps) for k, v in value.items()}
    return value


def _explain(spec, values):
    """Which record does not fit, and where inside it (None: every record fits the type's check)."""
    from pyflow.common.typeinfo import _from_spec
    info = _from_spec(spec)
    for i, value in enumerate(values):
        if value is None:
            continue
        why = info._check(value)
        if why is not None:
            text = repr(value)
            short = text if len(text) <= 80 else text[:77] + "..."
            return f"record {i} ({short}) does not fit {info!r}: {why}"
    return None


def from_values(spec, values: list) -> list:
    """The codec's tuples, lists and dicts as the TYPE's Python values (Rows; unpickled fields)."""
    key = repr(spec)
    if key not in _DECODERS:
        _DECODERS[key] = _decoder(spec)
    decode = _DECODERS[key]
    if decode is None:
        return values
    return [None if v is None else decode(v) for v in values]


def _decoder(spec):
    """A function of one non-null value, or None when the codec's value is already right."""
    name = spec["name"]
    if name == PICKLED:
        return pickle.loads
    if name == INSTANT:
        from pyflow._protocol.instants import from_datetime
        return from_datetime
    if name in STRUCTS:
        children = [_decoder(c) for c in spec["fields"]]
        # ROW fields are named f0, f1, ... as PyFlink's RowTypeInfo names them, so rows print Row(f0=1, f1='a').
        names = tuple(field_names(spec))
        if not any(children):
            if name == "TUPLE":
                return None
            return lambda v: Row._with_fields(names, v)

        def fields(v):
            return [x if d is None or x is None else d(x) for d, x in zip(children, v)]
        if name == "TUPLE":
            return lambda v: tuple(fields(v))
        return lambda v: Row._with_fields(names, fields(v))
    if name in LISTS:
        element = _decoder(spec["element"])
        if element is None:
            return None
        return lambda v: [None if x is None else element(x) for x in v]
    if name == "MAP":
        key, value = _decoder(spec["key"]), _decoder(spec["value"])
        if key is None and value is None:
            return None
        key = key or (lambda k: k)
        value = value or (lambda x: x)
        return lambda v: {key(k): None if x is None else value(x) for k, x in v.items()}
    return None


def to_frame(spec, column, to_series):
    """A row column as a DataFrame, one column per field (a null row reads as a row of nulls)."""
    import pandas as pd
    names = field_names(spec)
    return pd.DataFrame({n: to_series(c, child) for n, c, child in zip(names, spec["fields"], column.children)})


def from_frame(spec, result, from_series, to_column_of):
    """A vectorized function's DataFrame (row types) or Series of nested values as a column of ``spec``."""
    import pandas as pd
    if not isinstance(result, pd.DataFrame):
        values = result.tolist() if hasattr(result, "tolist") else list(result)
        return to_column_of(spec, values)
    if spec["name"] not in STRUCTS:
        raise TypeError(f"a vectorized function returned a DataFrame, but its output type is {spec['name']}: "
                        "return a Series, or declare a row type (Types.ROW_NAMED) whose fields are the columns")
    names = field_names(spec)
    if spec["name"] == "ROW_NAMED":
        missing = [n for n in names if n not in result.columns]
        if missing:
            raise TypeError(f"a vectorized function returned a DataFrame without column(s) {missing!r} of its "
                            f"output type ROW_NAMED {names!r}; it has {list(result.columns)!r}")
        columns = [result[n] for n in names]
    else:
        if len(result.columns) != len(names):
            raise TypeError(f"a vectorized function returned a DataFrame of {len(result.columns)} columns for an "
                            f"output type of {len(names)} fields")
        columns = [result.iloc[:, i] for i in range(len(names))]
    children = []
    for n, child_spec, col in zip(names, spec["fields"], columns):
        try:
            children.append(from_series(child_spec, col.reset_index(drop=True)))
        except (TypeError, ValueError) as e:
            raise TypeError(f"column {n!r} of the returned DataFrame: {e}") from None
    from pyflow._protocol.values import arrow_type as arrow_type_of
    return Column(arrow_type(spec, arrow_type_of), Parts(len(result), None, children=children))
