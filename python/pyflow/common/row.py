"""``Row``: a tuple with optional field names, as PyFlink's ``pyflink.common.Row``."""

__all__ = ["Row"]


class Row(tuple):
    """A tuple whose fields may also be read by name. Compares and hashes as a plain tuple.

    >>> r = Row(name="Alice", age=11)
    >>> r.name, r["age"], r[1]
    ('Alice', 11, 11)
    >>> r
    Row(name='Alice', age=11)
    >>> Row(1, "a")
    <Row(1, 'a')>
    >>> Person = Row("name", "age")   # a row of field names builds rows, as in PyFlink
    >>> Person("Bob", 3).as_dict()
    {'name': 'Bob', 'age': 3}
    """

    def __new__(cls, *args, **kwargs):
        if args and kwargs:
            raise ValueError("Row takes either positional values or named values, not both")
        if kwargs:
            row = tuple.__new__(cls, kwargs.values())
            row._fields = tuple(kwargs)
            return row
        row = tuple.__new__(cls, args)
        row._fields = None
        return row

    @classmethod
    def _with_fields(cls, fields, values) -> "Row":
        row = tuple.__new__(cls, values)
        row._fields = tuple(fields) if fields is not None else None
        return row

    def as_dict(self, recursive: bool = False) -> dict:
        """The fields as a dict; ``recursive`` also converts nested rows."""
        if self._fields is None:
            raise TypeError("as_dict() needs a Row with field names, e.g. Row(name='a', age=1)")
        if not recursive:
            return dict(zip(self._fields, self))
        return {k: v.as_dict(True) if isinstance(v, Row) and v._fields is not None else v
                for k, v in zip(self._fields, self)}

    def __call__(self, *values) -> "Row":
        """A row of field names builds rows with these names: ``Row("a", "b")(1, 2)``."""
        if len(values) != len(self):
            raise ValueError(f"this row factory has {len(self)} fields {tuple(self)!r}, got {len(values)} values")
        return Row._with_fields(tuple(self), values)

    def __getitem__(self, item):
        if isinstance(item, str):
            return tuple.__getitem__(self, self._index(item))
        return tuple.__getitem__(self, item)

    def __getattribute__(self, name):
        # Field names win over tuple's own methods, so Row(word="a", count=1).count is 1 (as in PyFlink,
        # whose Row is no tuple); call tuple.count(row, x) for the method.
        if name in ("count", "index"):
            fields = object.__getattribute__(self, "__dict__").get("_fields")
            if fields and name in fields:
                return tuple.__getitem__(self, fields.index(name))
        return tuple.__getattribute__(self, name)

    def __getattr__(self, name):
        if name.startswith("__") or name == "_fields":
            raise AttributeError(name)
        try:
            return tuple.__getitem__(self, self._index(name))
        except KeyError:
            raise AttributeError(f"Row has no field {name!r}; its fields are {self._fields!r}") from None

    def _index(self, name: str) -> int:
        fields = self.__dict__.get("_fields")
        if not fields or name not in fields:
            raise KeyError(f"Row has no field {name!r}; its fields are {fields!r}")
        return fields.index(name)

    def __reduce__(self):
        return Row._with_fields, (self._fields, tuple(self))

    def __repr__(self):
        if self._fields is not None:
            return "Row(%s)" % ", ".join(f"{k}={v!r}" for k, v in zip(self._fields, self))
        return "<Row(%s)>" % ", ".join(repr(v) for v in self)
