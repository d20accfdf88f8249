"""RecordBatch: a Schema plus equal-length Columns."""
from __future__ import annotations

from .column import Column
from .types import ArrowCodecError, Schema

__all__ = ["RecordBatch"]


class RecordBatch:
    __slots__ = ("_schema", "_columns", "_num_rows")

    def __init__(self, schema: Schema, columns):
        if not isinstance(schema, Schema):
            raise ArrowCodecError(f"RecordBatch expects a Schema, got {type(schema).__name__}")
        columns = list(columns)
        if len(columns) != len(schema.fields):
            raise ArrowCodecError(
                f"schema has {len(schema.fields)} fields but {len(columns)} columns were given")
        num_rows = None
        for field, col in zip(schema.fields, columns):
            if not isinstance(col, Column):
                raise ArrowCodecError(
                    f"column {field.name!r}: expected Column, got {type(col).__name__}")
            if col.type != field.type:
                raise ArrowCodecError(
                    f"column {field.name!r}: schema says {field.type}, column is {col.type}")
            if not field.nullable and col.null_count:
                raise ArrowCodecError(
                    f"column {field.name!r} is not nullable but holds {col.null_count} nulls")
            if num_rows is None:
                num_rows = len(col)
            elif len(col) != num_rows:
                raise ArrowCodecError(
                    f"column {field.name!r} has {len(col)} rows, expected {num_rows}")
        self._schema = schema
        self._columns = tuple(columns)
        self._num_rows = num_rows or 0

    @property
    def schema(self) -> Schema:
        return self._schema

    @property
    def num_rows(self) -> int:
        return self._num_rows

    @property
    def num_columns(self) -> int:
        return len(self._columns)

    @property
    def columns(self) -> tuple:
        return self._columns

    def column(self, key) -> Column:
        """Column by position or by field name."""
        return self._columns[self._schema.index(key)]

    def to_pydict(self) -> dict:
        return {f.name: c.to_pylist() for f, c in zip(self._schema.fields, self._columns)}

    def equals(self, other: "RecordBatch") -> bool:
        return (isinstance(other, RecordBatch) and self._schema == other._schema
                and all(a.equals(b) for a, b in zip(self._columns, other._columns)))

    def __len__(self) -> int:
        return self._num_rows

    def __repr__(self) -> str:
        return f"RecordBatch({self._schema!r}, num_rows={self._num_rows})"
