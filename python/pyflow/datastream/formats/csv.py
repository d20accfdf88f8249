"""``CsvRowDeserializationSchema`` and ``CsvRowSerializationSchema``, as ``pyflink.datastream.formats.csv``: one
CSV line per Kafka value, fields in the row's order, quoted as RFC 4180 says. An unquoted empty field (or the null
literal, when set) is a null field. The engine parses and writes them; a line that does not fit fails the job with
its topic, partition and offset, unless built with ``set_ignore_parse_errors()``, which skips it."""
from pyflow.common.serialization import DeserializationSchema, SerializationSchema
from pyflow.datastream.formats._row_type import check_row_type

__all__ = ["CsvRowDeserializationSchema", "CsvRowSerializationSchema"]


def _one_char(value, what: str) -> str:
    if not isinstance(value, str) or len(value) != 1:
        raise ValueError(f"{what} must be one character, got {value!r}")
    return value


class _CsvOptions:
    def __init__(self, type_info, schema: str):
        self.type_info = check_row_type(type_info, schema)
        self.delimiter = ","
        self.quote = '"'
        self.null_literal = None

    def format(self) -> dict:
        if self.delimiter == self.quote:
            raise ValueError(f"the CSV field delimiter and quote character are both {self.delimiter!r}")
        spec = {"kind": "csv", "field_delimiter": self.delimiter, "quote_character": self.quote}
        if self.null_literal is not None:
            spec["null_literal"] = self.null_literal
        return spec


class CsvRowDeserializationSchema(DeserializationSchema):
    """Reads CSV lines as rows of the declared type; build it with ``CsvRowDeserializationSchema.Builder(type_info)``.

    >>> from pyflow.common import Types
    >>> CsvRowDeserializationSchema.Builder(Types.ROW([Types.INT(), Types.STRING()])).set_field_delimiter(
    ...     ";").build()._format()
    {'kind': 'csv', 'field_delimiter': ';', 'quote_character': '"', 'ignore_parse_errors': False}
    """

    def __init__(self, options: _CsvOptions, ignore_parse_errors: bool):
        self._options = options
        self._ignore_parse_errors = ignore_parse_errors

    def deserialize(self, message: bytes):
        """Not called per record: the engine parses the values (raises NotImplementedError)."""
        raise NotImplementedError("CsvRowDeserializationSchema is applied by the engine where Kafka records arrive")

    def _row_type(self):
        return self._options.type_info

    def _format(self) -> dict:
        return {**self._options.format(), "ignore_parse_errors": self._ignore_parse_errors}

    class Builder:
        """Builds a ``CsvRowDeserializationSchema`` for ``type_info``, a ROW / ROW_NAMED of scalar fields."""

        def __init__(self, type_info):
            self._options = _CsvOptions(type_info, "CsvRowDeserializationSchema")
            self._ignore = False

        def set_field_delimiter(self, delimiter: str) -> "CsvRowDeserializationSchema.Builder":
            """The character between fields (``,`` by default)."""
            self._options.delimiter = _one_char(delimiter, "the CSV field delimiter")
            return self

        def set_quote_character(self, c: str) -> "CsvRowDeserializationSchema.Builder":
            """The character that quotes a field (``"`` by default); inside, it is doubled."""
            self._options.quote = _one_char(c, "the CSV quote character")
            return self

        def set_null_literal(self, null_literal: str) -> "CsvRowDeserializationSchema.Builder":
            """The unquoted text read as a null field (by default an empty field)."""
            self._options.null_literal = str(null_literal)
            return self

        def set_ignore_parse_errors(self) -> "CsvRowDeserializationSchema.Builder":
            """Skips a line that does not fit the type instead of failing the job."""
            self._ignore = True
            return self

        def set_allow_comments(self, allow_comments: bool = True):
            """Not supported yet: raises NotImplementedError."""
            raise NotImplementedError("CsvRowDeserializationSchema: comment lines are not supported yet")

        def set_escape_character(self, c: str):
            """Not supported yet: raises NotImplementedError (quote fields instead)."""
            raise NotImplementedError("CsvRowDeserializationSchema: an escape character is not supported yet; "
                                      "fields are quoted, with the quote character doubled inside")

        def build(self) -> "CsvRowDeserializationSchema":
            """The schema."""
            self._options.format()  # refuses a delimiter equal to the quote character now
            return CsvRowDeserializationSchema(self._options, self._ignore)


class CsvRowSerializationSchema(SerializationSchema):
    """Writes rows as CSV lines (without a line break: one Kafka value each); build it with
    ``CsvRowSerializationSchema.Builder(type_info)``.

    >>> from pyflow.common import Types
    >>> CsvRowSerializationSchema.Builder(Types.ROW([Types.INT()])).build()._format()
    {'kind': 'csv', 'field_delimiter': ',', 'quote_character': '"'}
    """

    def __init__(self, options: _CsvOptions):
        self._options = options

    def serialize(self, element) -> bytes:
        """Not called per record: the engine writes the values (raises NotImplementedError)."""
        raise NotImplementedError("CsvRowSerializationSchema is applied by the engine where records leave for Kafka")

    def _row_type(self):
        return self._options.type_info

    def _format(self) -> dict:
        return self._options.format()

    class Builder:
        """Builds a ``CsvRowSerializationSchema`` for ``type_info``, a ROW / ROW_NAMED of scalar fields."""

        def __init__(self, type_info):
            self._options = _CsvOptions(type_info, "CsvRowSerializationSchema")

        def set_field_delimiter(self, c: str) -> "CsvRowSerializationSchema.Builder":
            """The character between fields (``,`` by default)."""
            self._options.delimiter = _one_char(c, "the CSV field delimiter")
            return self

        def set_quote_character(self, c: str) -> "CsvRowSerializationSchema.Builder":
            """The character that quotes a field holding the delimiter, the quote or a line break."""
            self._options.quote = _one_char(c, "the CSV quote character")
            return self

        def set_null_literal(self, s: str) -> "CsvRowSerializationSchema.Builder":
            """The text written for a null field (by default nothing)."""
            self._options.null_literal = str(s)
            return self

        def build(self) -> "CsvRowSerializationSchema":
            """The schema."""
            self._options.format()
            return CsvRowSerializationSchema(self._options)
