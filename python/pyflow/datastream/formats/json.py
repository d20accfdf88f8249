"""``JsonRowDeserializationSchema`` and ``JsonRowSerializationSchema``, as ``pyflink.datastream.formats.json``:
one JSON object per Kafka value, its members the row's fields by name. A missing or null member is a null field,
members the type lacks are ignored. The engine parses and writes them; a value that is not such an object fails
the job with its topic, partition and offset, unless the schema was built with ``ignore_parse_errors()``, which
skips it (as Flink)."""
from pyflow.common.serialization import DeserializationSchema, SerializationSchema
from pyflow.datastream.formats._row_type import check_row_type

__all__ = ["JsonRowDeserializationSchema", "JsonRowSerializationSchema"]


class JsonRowDeserializationSchema(DeserializationSchema):
    """Reads JSON objects as rows of the declared type; build it with ``JsonRowDeserializationSchema.builder()``.

    >>> from pyflow.common import Types
    >>> schema = JsonRowDeserializationSchema.builder().type_info(
    ...     Types.ROW_NAMED(["id", "name"], [Types.INT(), Types.STRING()])).ignore_parse_errors().build()
    >>> schema._format()
    {'kind': 'json', 'ignore_parse_errors': True}
    """

    def __init__(self, type_info, ignore_parse_errors: bool):
        self._type_info = type_info
        self._ignore_parse_errors = ignore_parse_errors

    @staticmethod
    def builder() -> "JsonRowDeserializationSchemaBuilder":
        """A builder: ``.type_info(row_type)``, optionally ``.ignore_parse_errors()``, then ``.build()``."""
        return JsonRowDeserializationSchemaBuilder()

    def deserialize(self, message: bytes):
        """Not called per record: the engine parses the values (raises NotImplementedError)."""
        raise NotImplementedError("JsonRowDeserializationSchema is applied by the engine where Kafka records arrive")

    def _row_type(self):
        return self._type_info

    def _format(self) -> dict:
        return {"kind": "json", "ignore_parse_errors": self._ignore_parse_errors}


class JsonRowDeserializationSchemaBuilder:
    """Builds a ``JsonRowDeserializationSchema`` (PyFlink's builder names)."""

    def __init__(self):
        self._type_info = None
        self._ignore = False

    def type_info(self, type_info) -> "JsonRowDeserializationSchemaBuilder":
        """The row type, ``Types.ROW_NAMED(names, types)`` of BOOLEAN, BYTE, SHORT, INT, LONG, BIG_INT, FLOAT,
        DOUBLE or STRING fields."""
        self._type_info = check_row_type(type_info, "JsonRowDeserializationSchema")
        return self

    def fail_on_missing_field(self) -> "JsonRowDeserializationSchemaBuilder":
        """Not supported yet: raises NotImplementedError (a missing member is a null field)."""
        raise NotImplementedError("JsonRowDeserializationSchema.fail_on_missing_field() is not supported yet: "
                                  "a missing member reads as a null field; check for None in a filter instead")

    def ignore_parse_errors(self) -> "JsonRowDeserializationSchemaBuilder":
        """Skips a value that is not a JSON object of the type instead of failing the job."""
        self._ignore = True
        return self

    def build(self) -> JsonRowDeserializationSchema:
        """The schema; ``type_info`` is required."""
        if self._type_info is None:
            raise ValueError("JsonRowDeserializationSchema: call .type_info(Types.ROW_NAMED([...], [...])) before build()")
        return JsonRowDeserializationSchema(self._type_info, self._ignore)


class JsonRowSerializationSchema(SerializationSchema):
    """Writes rows as JSON objects, one member per field; build it with ``JsonRowSerializationSchema.builder()``.

    >>> from pyflow.common import Types
    >>> JsonRowSerializationSchema.builder().with_type_info(
    ...     Types.ROW_NAMED(["id"], [Types.LONG()])).build()._format()
    {'kind': 'json'}
    """

    def __init__(self, type_info):
        self._type_info = type_info

    @staticmethod
    def builder() -> "JsonRowSerializationSchemaBuilder":
        """A builder: ``.with_type_info(row_type).build()``."""
        return JsonRowSerializationSchemaBuilder()

    def serialize(self, element) -> bytes:
        """Not called per record: the engine writes the values (raises NotImplementedError)."""
        raise NotImplementedError("JsonRowSerializationSchema is applied by the engine where records leave for Kafka")

    def _row_type(self):
        return self._type_info

    def _format(self) -> dict:
        return {"kind": "json"}


class JsonRowSerializationSchemaBuilder:
    """Builds a ``JsonRowSerializationSchema`` (PyFlink's builder names)."""

    def __init__(self):
        self._type_info = None

    def with_type_info(self, type_info) -> "JsonRowSerializationSchemaBuilder":
        """The row type; the stream written must have this type."""
        self._type_info = check_row_type(type_info, "JsonRowSerializationSchema")
        return self

    def build(self) -> JsonRowSerializationSchema:
        """The schema; ``with_type_info`` is required."""
        if self._type_info is None:
            raise ValueError("JsonRowSerializationSchema: call .with_type_info(Types.ROW_NAMED([...], [...])) before build()")
        return JsonRowSerializationSchema(self._type_info)
