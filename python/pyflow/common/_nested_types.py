"""Nested type information, as PyFlink's: ``Types.ROW``, ``ROW_NAMED``, ``TUPLE``, ``LIST``, ``BASIC_ARRAY``, ``MAP``.

On the wire (docs/ARCHITECTURE.md, "TYPE") a row or tuple is an Arrow struct (fields named after
ROW_NAMED's names, else f0, f1, ...), a list is an Arrow list and a map an Arrow map. In Python a
ROW/ROW_NAMED value is a ``pyflow.common.Row``, a TUPLE a tuple, a LIST a list and a MAP a dict.
Fields, elements and map values may be None; map keys may not::

    >>> t = Types.ROW_NAMED(["id", "tags"], [Types.INT(), Types.LIST(Types.STRING())])
    >>> t._check(Row(id=1, tags=["a", None])) is None
    True
    >>> t._check(Row(id="x", tags=[]))
    "field 'id': expected an int"
    >>> t._check(Row(id=1, tags=["a", 2]))
    "field 'tags' > element 1: expected a str"
"""
from pyflow.common.typeinfo import TypeInformation

__all__ = ["RowTypeInfo", "TupleTypeInfo", "ListTypeInfo", "BasicArrayTypeInfo", "MapTypeInfo"]


def _types(api: str, field_types) -> list:
    if isinstance(field_types, TypeInformation) or not isinstance(field_types, (list, tuple)):
        raise TypeError(f"{api}: field_types must be a list of types such as [Types.INT(), Types.STRING()], "
                        f"got {field_types!r}")
    for i, t in enumerate(field_types):
        if not isinstance(t, TypeInformation):
            raise TypeError(f"{api}: field type {i} must be a TypeInformation such as Types.INT(), got {t!r}")
    return list(field_types)


def _one(api: str, what: str, t) -> TypeInformation:
    if not isinstance(t, TypeInformation):
        raise TypeError(f"{api}: {what} must be a TypeInformation such as Types.INT(), got {t!r}")
    return t


def _check_child(t: TypeInformation, value, where: str):
    if value is None:
        return None
    why = t._check(value)
    return None if why is None else f"{where}{' > ' if why.startswith(('field ', 'element ', 'key ', 'value ')) else ': '}{why}"


class RowTypeInfo(TypeInformation):
    """A ``Row``; with field names for ``Types.ROW_NAMED``."""

    def __init__(self, field_types, field_names=None):
        api = "Types.ROW_NAMED" if field_names is not None else "Types.ROW"
        self._field_types = _types(api, field_types)
        if field_names is None:
            self._named = False
            self._field_names = [f"f{i}" for i in range(len(self._field_types))]
        else:
            if isinstance(field_names, str) or not isinstance(field_names, (list, tuple)) \
                    or not all(isinstance(n, str) for n in field_names):
                raise TypeError(f"{api}: field_names must be a list of str, got {field_names!r}")
            if len(field_names) != len(self._field_types):
                raise ValueError(f"{api}: {len(field_names)} field names for {len(self._field_types)} field types; "
                                 "give one name per type")
            if len(set(field_names)) != len(field_names):
                raise ValueError(f"{api}: field names must be unique, got {list(field_names)!r}")
            self._named = True
            self._field_names = list(field_names)
        self._name = "ROW_NAMED" if self._named else "ROW"

    def get_field_names(self) -> list:
        """The field names (f0, f1, ... for ``Types.ROW``)."""
        return list(self._field_names)

    def get_field_types(self) -> list:
        """The field types, in order."""
        return list(self._field_types)

    def get_field_index(self, field_name: str) -> int:
        """The position of ``field_name``, or -1."""
        return self._field_names.index(field_name) if field_name in self._field_names else -1

    def get_arity(self) -> int:
        """The number of fields."""
        return len(self._field_types)

    def _to_spec(self) -> dict:
        spec = {"name": self._name, "fields": [t._to_spec() for t in self._field_types]}
        if self._named:
            spec["names"] = list(self._field_names)
        return spec

    def _check(self, value):
        if isinstance(value, dict):  # the wire takes a dict by field name too
            missing = [n for n in self._field_names if n not in value]
            if missing:
                return f"expected a Row with fields {', '.join(self._field_names)}; the dict has no {', '.join(missing)}"
            value = [value[n] for n in self._field_names]
        if not isinstance(value, (tuple, list)):
            return f"expected a Row of {len(self._field_types)} fields ({', '.join(self._field_names)})"
        if len(value) != len(self._field_types):
            return (f"expected a Row of {len(self._field_types)} fields ({', '.join(self._field_names)}), "
                    f"got {len(value)} values")
        for name, t, v in zip(self._field_names, self._field_types, value):
            why = _check_child(t, v, f"field {name!r}")
            if why:
                return why
        return None

    def __repr__(self):
        types = ", ".join(map(repr, self._field_types))
        if self._named:
            return f"Types.ROW_NAMED({self._field_names!r}, [{types}])"
        return f"Types.ROW([{types}])"


class TupleTypeInfo(TypeInformation):
    """A tuple of fixed arity."""

    _name = "TUPLE"

    def __init__(self, field_types):
        self._field_types = _types("Types.TUPLE", field_types)

    def get_field_types(self) -> list:
        """The field types, in order."""
        return list(self._field_types)

    def _to_spec(self) -> dict:
        return {"name": "TUPLE", "fields": [t._to_spec() for t in self._field_types]}

    def _check(self, value):
        n = len(self._field_types)
        if not isinstance(value, (tuple, list)) or len(value) != n:
            got = f", got {len(value)} values" if isinstance(value, (tuple, list)) else ""
            return f"expected a tuple of {n} fields{got}"
        for i, (t, v) in enumerate(zip(self._field_types, value)):
            why = _check_child(t, v, f"field f{i}")
            if why:
                return why
        return None

    def __repr__(self):
        return f"Types.TUPLE([{', '.join(map(repr, self._field_types))}])"


class ListTypeInfo(TypeInformation):
    """A list of one element type."""

    _name = "LIST"

    def __init__(self, element_type):
        self._element_type = _one("Types.LIST", "element_type_info", element_type)

    def get_element_type(self) -> TypeInformation:
        """The type of the elements."""
        return self._element_type

    def _to_spec(self) -> dict:
        return {"name": "LIST", "element": self._element_type._to_spec()}

    def _check(self, value):
        if not isinstance(value, (list, tuple)):
            return "expected a list"
        for i, v in enumerate(value):
            why = _check_child(self._element_type, v, f"element {i}")
            if why:
                return why
        return None

    def __repr__(self):
        return f"Types.LIST({self._element_type!r})"


class BasicArrayTypeInfo(ListTypeInfo):
    """``Types.BASIC_ARRAY(t)``: a list of a basic type, the same as ``Types.LIST(t)`` on the wire."""

    def __init__(self, element_type):
        from pyflow.common.typeinfo import BasicTypeInfo
        if not isinstance(element_type, BasicTypeInfo):
            raise TypeError(f"Types.BASIC_ARRAY: element_type must be a basic type such as Types.INT() or "
                            f"Types.STRING(), got {element_type!r}; use Types.LIST for other element types")
        super().__init__(element_type)

    def __repr__(self):
        return f"Types.BASIC_ARRAY({self._element_type!r})"


class MapTypeInfo(TypeInformation):
    """A dict from one key type to one value type."""

    _name = "MAP"

    def __init__(self, key_type_info, value_type_info):
        self._key_type = _one("Types.MAP", "key_type_info", key_type_info)
        self._value_type = _one("Types.MAP", "value_type_info", value_type_info)

    def get_key_type(self) -> TypeInformation:
        """The type of the keys."""
        return self._key_type

    def get_value_type(self) -> TypeInformation:
        """The type of the values."""
        return self._value_type

    def _to_spec(self) -> dict:
        return {"name": "MAP", "key": self._key_type._to_spec(), "value": self._value_type._to_spec()}

    def _check(self, value):
        if not isinstance(value, dict):
            return "expected a dict"
        for k, v in value.items():
            if k is None:
                return "key None: map keys cannot be None"
            why = _check_child(self._key_type, k, f"key {k!r}") or _check_child(self._value_type, v, f"value of key {k!r}")
            if why:
                return why
        return None

    def __repr__(self):
        return f"Types.MAP({self._key_type!r}, {self._value_type!r})"


from pyflow.common.row import Row  # noqa: E402,F401 - for the doctest
from pyflow.common.typeinfo import Types  # noqa: E402,F401 - for the doctest
