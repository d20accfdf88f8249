"""A function's result in the Python form its declared output type gives, without an Arrow round trip.

Between two functions fused into one worker chain no Arrow encoding happens, yet the next function must
get what it would get after a shuffle (where the value is encoded and decoded): a tuple returned for
``Types.ROW_NAMED`` must arrive as a ``Row`` with those names, a list for ``Types.TUPLE`` as a tuple, an
int for ``Types.DOUBLE`` as a float. ``conformer(spec)`` builds that conversion once per type; flat types
other than floats need none (their values already are what decoding gives).
"""
from pyflow._protocol.nested import STRUCTS, field_names
from pyflow.common.row import Row

__all__ = ["conformer"]

_CACHE = {}


def conformer(spec):
    """A function of a list of values giving their decoded forms under TYPE ``spec``, or None when values need
    nothing. It raises TypeError (naming the record and field, as the encoder does) for a value that does not
    fit."""
    key = repr(spec)
    if key not in _CACHE:
        one = _one(spec)
        _CACHE[key] = None if one is None else _batch(spec, one)
    return _CACHE[key]


def _batch(spec, one):
    # One list comprehension per batch; floats already floats skip the call (the common case of DOUBLE).
    skip = float if spec["name"] in ("FLOAT", "DOUBLE") else type(None)

    def run(values: list) -> list:
        try:
            return [v if type(v) is skip or v is None else one(v) for v in values]
        except (TypeError, ValueError, IndexError):
            from pyflow._protocol.nested import _explain
            raise TypeError(_explain(spec, values) or f"a value does not fit {spec['name']}") from None
    return run


def _one(spec):
    """The conversion of one non-null value, or None when the value is already in its decoded form."""
    name = spec["name"]
    if name in ("FLOAT", "DOUBLE"):
        return _float
    if name in STRUCTS:
        return _struct(spec)
    if name == "LIST":
        element = _one(spec["element"])
        if element is None:
            return list
        return lambda v: [None if x is None else element(x) for x in v]
    if name == "MAP":
        key, value = _one(spec["key"]), _one(spec["value"])
        key = key or (lambda k: k)
        value = value or (lambda x: x)
        return lambda v: {key(k): None if x is None else value(x) for k, x in v.items()}
    return None  # PICKLED_BYTE_ARRAY (any object, unpickled as itself) and the other flat types


def _float(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"expected a float, got {v!r}")
    return float(v)


def _struct(spec):
    children = [_one(c) for c in spec["fields"]]
    arity = len(children)
    names = None if spec["name"] == "TUPLE" else tuple(field_names(spec))

    def run(v):
        if isinstance(v, (str, bytes)) or len(v) != arity:
            raise TypeError(f"expected {arity} fields, got {v!r}")
        fields = [x if c is None or x is None else c(x) for c, x in zip(children, v)]
        return tuple(fields) if names is None else Row._with_fields(names, fields)
    return run

