"""``KafkaSource`` and ``KafkaSink``, as ``pyflink.datastream.connectors.kafka``. The objects only describe the
connector: they become ``source.kafka`` / ``sink.kafka`` plan nodes that the engine runs with its C# Kafka
connector (Confluent.Kafka / librdkafka). Values are read and written by a schema: ``SimpleStringSchema``
(STRING records), or the JSON and CSV row schemas of ``pyflow.datastream.formats``, applied in the engine.

>>> from pyflow.common import SimpleStringSchema
>>> source = KafkaSource.builder().set_bootstrap_servers("localhost:9092").set_topics("in") \\
...     .set_starting_offsets(KafkaOffsetsInitializer.earliest()) \\
...     .set_value_only_deserializer(SimpleStringSchema()).build()
>>> source._fields()["topics"]
['in']
"""
from enum import Enum

from pyflow.common.serialization import DeserializationSchema, SerializationSchema, SimpleStringSchema
from pyflow.common.typeinfo import Types
from pyflow.datastream.connectors.base import DeliveryGuarantee

__all__ = ["KafkaSource", "KafkaSourceBuilder", "KafkaTopicPartition", "KafkaOffsetsInitializer",
           "KafkaOffsetResetStrategy", "KafkaSink", "KafkaSinkBuilder", "KafkaRecordSerializationSchema",
           "KafkaRecordSerializationSchemaBuilder", "DeliveryGuarantee"]


def _value_format(schema, role: str):
    """The plan's format map and the record type of a (de)serialization schema."""
    if isinstance(schema, SimpleStringSchema):
        if schema.get_charset().upper().replace("-", "") != "UTF8":
            raise NotImplementedError(f"SimpleStringSchema({schema.get_charset()!r}) with Kafka: only UTF-8 is supported yet")
        return {"kind": "string"}, Types.STRING()
    from pyflow.datastream.formats.csv import CsvRowDeserializationSchema, CsvRowSerializationSchema
    from pyflow.datastream.formats.json import JsonRowDeserializationSchema, JsonRowSerializationSchema
    row_schemas = (JsonRowDeserializationSchema, JsonRowSerializationSchema, CsvRowDeserializationSchema,
                   CsvRowSerializationSchema)
    if isinstance(schema, row_schemas):
        return schema._format(), schema._row_type()
    raise TypeError(f"{role} must be SimpleStringSchema() or a row schema of pyflow.datastream.formats "
                    f"(JsonRow..., CsvRow...); got {type(schema).__name__}. A schema written in Python is not "
                    "supported: read STRING records and parse them in a map")


class KafkaTopicPartition:
    """A partition of a topic (for ``KafkaOffsetsInitializer.offsets``)."""

    def __init__(self, topic: str, partition: int):
        if not isinstance(topic, str) or not topic:
            raise TypeError(f"KafkaTopicPartition: topic must be a non-empty str, got {topic!r}")
        if not isinstance(partition, int) or partition < 0:
            raise ValueError(f"KafkaTopicPartition: partition must be an int >= 0, got {partition!r}")
        self._topic = topic
        self._partition = partition

    def __eq__(self, other):
        return isinstance(other, KafkaTopicPartition) and (self._topic, self._partition) == (other._topic,
                                                                                              other._partition)

    def __hash__(self):
        return hash((self._topic, self._partition))

    def __repr__(self):
        return f"KafkaTopicPartition({self._topic!r}, {self._partition})"


class KafkaOffsetResetStrategy(Enum):
    """Where a partition without a committed or given offset starts: ``EARLIEST`` or ``LATEST`` (``NONE``, fail
    instead, is PyFlink's but not supported yet)."""

    LATEST = 0
    EARLIEST = 1
    NONE = 2


def _reset_name(strategy) -> str:
    if not isinstance(strategy, KafkaOffsetResetStrategy):
        raise TypeError(f"offset_reset_strategy must be a KafkaOffsetResetStrategy, got {strategy!r}")
    if strategy is KafkaOffsetResetStrategy.NONE:
        raise NotImplementedError("KafkaOffsetResetStrategy.NONE (fail when a partition has no offset) is not "
                                  "supported yet: give EARLIEST or LATEST")
    return strategy.name.lower()


class KafkaOffsetsInitializer:
    """Where a Kafka source starts reading each partition, or where a bounded one stops.

    >>> KafkaOffsetsInitializer.offsets({KafkaTopicPartition("t", 0): 5})._spec
    {'kind': 'offsets', 'offsets': [['t', 0, 5]], 'reset': 'earliest'}
    """

    def __init__(self, spec: dict):
        self._spec = spec

    @staticmethod
    def earliest() -> "KafkaOffsetsInitializer":
        """The first offset still in each partition."""
        return KafkaOffsetsInitializer({"kind": "earliest"})

    @staticmethod
    def latest() -> "KafkaOffsetsInitializer":
        """The offset after the last record in each partition when the job starts."""
        return KafkaOffsetsInitializer({"kind": "latest"})

    @staticmethod
    def committed_offsets(
            offset_reset_strategy: KafkaOffsetResetStrategy = KafkaOffsetResetStrategy.EARLIEST
    ) -> "KafkaOffsetsInitializer":
        """The consumer group's committed offsets (the source needs ``set_group_id``); a partition without one
        starts at ``offset_reset_strategy`` (EARLIEST by default here; PyFlink's default, NONE, is not supported)."""
        return KafkaOffsetsInitializer({"kind": "committed", "reset": _reset_name(offset_reset_strategy)})

    @staticmethod
    def timestamp(timestamp: int) -> "KafkaOffsetsInitializer":
        """The first record whose timestamp (epoch milliseconds) is at or after ``timestamp``."""
        if not isinstance(timestamp, int) or isinstance(timestamp, bool) or timestamp < 0:
            raise ValueError(f"KafkaOffsetsInitializer.timestamp: give epoch milliseconds >= 0, got {timestamp!r}")
        return KafkaOffsetsInitializer({"kind": "timestamp", "timestamp_ms": timestamp})

    @staticmethod
    def offsets(offsets: dict,
                offset_reset_strategy: KafkaOffsetResetStrategy = KafkaOffsetResetStrategy.EARLIEST
                ) -> "KafkaOffsetsInitializer":
        """The given offsets, ``{KafkaTopicPartition: offset}``; other partitions start at ``offset_reset_strategy``."""
        rows = []
        for tp, offset in offsets.items():
            if not isinstance(tp, KafkaTopicPartition):
                raise TypeError(f"KafkaOffsetsInitializer.offsets: keys must be KafkaTopicPartition, got {tp!r}")
            if not isinstance(offset, int) or offset < 0:
                raise ValueError(f"KafkaOffsetsInitializer.offsets: the offset of {tp!r} must be an int >= 0, "
                                 f"got {offset!r}")
            rows.append([tp._topic, tp._partition, offset])
        return KafkaOffsetsInitializer({"kind": "offsets", "offsets": rows,
                                        "reset": _reset_name(offset_reset_strategy)})


class KafkaSource:
    """Reads Kafka topics; make one with ``KafkaSource.builder()`` and use it with ``env.from_source``. Offsets
    are kept in checkpoints, so a restored job reads each record once; records carry their Kafka timestamp."""

    def __init__(self, fields: dict, type_info):
        self._fields_map = fields
        self._type_info = type_info

    @staticmethod
    def builder() -> "KafkaSourceBuilder":
        """A ``KafkaSourceBuilder``."""
        return KafkaSourceBuilder()

    def _fields(self) -> dict:
        return self._fields_map


def _check_str(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{what} must be a non-empty str, got {value!r}")
    return value


class KafkaSourceBuilder:
    """Builds a ``KafkaSource`` with PyFlink's names; ``build()`` checks that it is complete."""

    def __init__(self):
        self._servers = None
        self._topics = []
        self._group_id = None
        self._starting = KafkaOffsetsInitializer.earliest()
        self._stopping = None
        self._format = None
        self._properties = {}

    def set_bootstrap_servers(self, bootstrap_servers: str) -> "KafkaSourceBuilder":
        """The brokers to start from, ``"host:port[,host:port...]"``."""
        self._servers = _check_str(bootstrap_servers, "KafkaSource bootstrap servers")
        return self

    def set_topics(self, *topics: str) -> "KafkaSourceBuilder":
        """The topics to read."""
        self._topics.extend(_check_str(t, "a KafkaSource topic") for t in topics)
        return self

    def set_topic_pattern(self, topic_pattern: str):
        """Not supported yet: raises NotImplementedError (name the topics with ``set_topics``)."""
        raise NotImplementedError("KafkaSource.set_topic_pattern is not supported yet: name the topics with set_topics")

    def set_partitions(self, partitions: set):
        """Not supported yet: raises NotImplementedError (read whole topics with ``set_topics``)."""
        raise NotImplementedError("KafkaSource.set_partitions is not supported yet: read whole topics with set_topics")

    def set_group_id(self, group_id: str) -> "KafkaSourceBuilder":
        """The consumer group whose offsets ``committed_offsets()`` reads and to which read positions are
        committed (for monitoring: a restore uses the checkpoint)."""
        self._group_id = _check_str(group_id, "the KafkaSource group id")
        return self

    def set_starting_offsets(self, starting_offsets_initializer: KafkaOffsetsInitializer) -> "KafkaSourceBuilder":
        """Where each partition starts when the job does not restore a checkpoint (earliest by default)."""
        if not isinstance(starting_offsets_initializer, KafkaOffsetsInitializer):
            raise TypeError(f"set_starting_offsets expects a KafkaOffsetsInitializer, got {starting_offsets_initializer!r}")
        self._starting = starting_offsets_initializer
        return self

    def set_bounded(self, stopping_offsets_initializer: KafkaOffsetsInitializer) -> "KafkaSourceBuilder":
        """Makes the source bounded: each partition ends at these offsets (``latest()``: what is there when the
        job starts), and the job finishes when all are read."""
        if not isinstance(stopping_offsets_initializer, KafkaOffsetsInitializer):
            raise TypeError(f"set_bounded expects a KafkaOffsetsInitializer, got {stopping_offsets_initializer!r}")
        self._stopping = stopping_offsets_initializer
        return self

    def set_unbounded(self, stopping_offsets_initializer: KafkaOffsetsInitializer):
        """Not supported yet: raises NotImplementedError (an unbounded source does not stop)."""
        raise NotImplementedError("KafkaSource.set_unbounded(stopping offsets) is not supported yet: use "
                                  "set_bounded, or no stopping offsets")

    def set_value_only_deserializer(self, deserialization_schema: DeserializationSchema) -> "KafkaSourceBuilder":
        """How each record's value becomes a stream record: ``SimpleStringSchema()`` (STRING records), or a
        ``JsonRowDeserializationSchema`` / ``CsvRowDeserializationSchema`` (rows of its type)."""
        self._format = _value_format(deserialization_schema, "set_value_only_deserializer's schema")
        return self

    def set_property(self, key: str, value: str) -> "KafkaSourceBuilder":
        """A consumer property by librdkafka's name (e.g. ``isolation.level``, ``security.protocol``), or
        ``partition.discovery.interval.ms`` (30000 by default; negative: never)."""
        self._properties[_check_str(key, "a property key")] = str(value)
        return self

    def set_properties(self, props: dict) -> "KafkaSourceBuilder":
        """Several properties (see ``set_property``)."""
        for k, v in props.items():
            self.set_property(k, v)
        return self

    def build(self) -> KafkaSource:
        """The source; bootstrap servers, topics and a deserializer are required."""
        if self._servers is None:
            raise ValueError("KafkaSource: bootstrap servers are required: call set_bootstrap_servers('host:port')")
        if not self._topics:
            raise ValueError("KafkaSource: name at least one topic with set_topics(...)")
        if self._format is None:
            raise ValueError("KafkaSource: call set_value_only_deserializer(SimpleStringSchema()) or give a row schema")
        needs_group = self._starting._spec["kind"] == "committed" or (
            self._stopping is not None and self._stopping._spec["kind"] == "committed")
        if needs_group and self._group_id is None:
            raise ValueError("KafkaSource: committed_offsets() reads the consumer group's offsets: call set_group_id(...)")
        interval = self._properties.get("partition.discovery.interval.ms")
        if interval is not None:
            try:
                int(interval)
            except ValueError:
                raise ValueError(f"KafkaSource: partition.discovery.interval.ms must be an integer, got {interval!r}") \
                    from None
        fmt, type_info = self._format
        fields = {"bootstrap_servers": self._servers, "topics": list(dict.fromkeys(self._topics)),
                  "starting_offsets": self._starting._spec, "format": fmt, "properties": dict(self._properties)}
        if self._group_id is not None:
            fields["group_id"] = self._group_id
        if self._stopping is not None:
            fields["stopping_offsets"] = self._stopping._spec
        return KafkaSource(fields, type_info)


class KafkaRecordSerializationSchema:
    """Says where and how a sink writes each record: the topic and the value schema. Build it with
    ``KafkaRecordSerializationSchema.builder()``."""

    def __init__(self, topic: str, value_format: tuple):
        self._topic = topic
        self._value_format = value_format

    @staticmethod
    def builder() -> "KafkaRecordSerializationSchemaBuilder":
        """A ``KafkaRecordSerializationSchemaBuilder``."""
        return KafkaRecordSerializationSchemaBuilder()


class KafkaRecordSerializationSchemaBuilder:
    """Builds a ``KafkaRecordSerializationSchema``: ``.set_topic(t).set_value_serialization_schema(s).build()``."""

    def __init__(self):
        self._topic = None
        self._value = None

    def set_topic(self, topic: str) -> "KafkaRecordSerializationSchemaBuilder":
        """The topic every record goes to."""
        self._topic = _check_str(topic, "the KafkaSink topic")
        return self

    def set_topic_selector(self, topic_selector):
        """Not supported yet: raises NotImplementedError (one topic per sink)."""
        raise NotImplementedError("KafkaRecordSerializationSchema.set_topic_selector is not supported yet: one "
                                  "topic per sink (use set_topic, and a sink per topic)")

    def set_key_serialization_schema(self, key_serialization_schema: SerializationSchema):
        """Not supported yet: raises NotImplementedError (records are written without a key)."""
        raise NotImplementedError("KafkaRecordSerializationSchema.set_key_serialization_schema is not supported "
                                  "yet: records are written without a key")

    def set_value_serialization_schema(self, value_serialization_schema: SerializationSchema
                                       ) -> "KafkaRecordSerializationSchemaBuilder":
        """How each record becomes the value: ``SimpleStringSchema()`` (STRING records), or a
        ``JsonRowSerializationSchema`` / ``CsvRowSerializationSchema`` (rows of its type)."""
        self._value = _value_format(value_serialization_schema, "set_value_serialization_schema's schema")
        return self

    def build(self) -> KafkaRecordSerializationSchema:
        """The schema; topic and value schema are required."""
        if self._topic is None:
            raise ValueError("KafkaRecordSerializationSchema: call set_topic(...)")
        if self._value is None:
            raise ValueError("KafkaRecordSerializationSchema: call set_value_serialization_schema(SimpleStringSchema())"
                             " or give a row schema")
        return KafkaRecordSerializationSchema(self._topic, self._value)


class KafkaSink:
    """Writes a stream to a Kafka topic; make one with ``KafkaSink.builder()`` and use it with ``ds.sink_to``.
    ``DeliveryGuarantee.EXACTLY_ONCE`` needs checkpointing and a transactional id prefix: each completed
    checkpoint's records are committed in one Kafka transaction (a write-ahead-log design, see README)."""

    def __init__(self, fields: dict, type_info):
        self._fields_map = fields
        self._type_info = type_info

    @staticmethod
    def builder() -> "KafkaSinkBuilder":
        """A ``KafkaSinkBuilder``."""
        return KafkaSinkBuilder()

    def _fields(self) -> dict:
        return self._fields_map


class KafkaSinkBuilder:
    """Builds a ``KafkaSink`` with PyFlink's names."""

    def __init__(self):
        self._servers = None
        self._serializer = None
        self._guarantee = DeliveryGuarantee.NONE
        self._prefix = None
        self._properties = {}

    def set_bootstrap_servers(self, bootstrap_servers: str) -> "KafkaSinkBuilder":
        """The brokers to start from, ``"host:port[,host:port...]"``."""
        self._servers = _check_str(bootstrap_servers, "KafkaSink bootstrap servers")
        return self

    def set_delivery_guarantee(self, delivery_guarantee: DeliveryGuarantee) -> "KafkaSinkBuilder":
        """``DeliveryGuarantee.NONE`` (the default), ``AT_LEAST_ONCE`` or ``EXACTLY_ONCE``."""
        if not isinstance(delivery_guarantee, DeliveryGuarantee):
            raise TypeError(f"set_delivery_guarantee expects a DeliveryGuarantee, got {delivery_guarantee!r}")
        self._guarantee = delivery_guarantee
        return self

    def set_transactional_id_prefix(self, transactional_id_prefix: str) -> "KafkaSinkBuilder":
        """Prefix of the transactional ids (required for exactly-once; unique per job writing to one cluster)."""
        self._prefix = _check_str(transactional_id_prefix, "the transactional id prefix")
        return self

    def set_record_serializer(self, record_serializer: KafkaRecordSerializationSchema) -> "KafkaSinkBuilder":
        """Where and how records are written (``KafkaRecordSerializationSchema.builder()...build()``)."""
        if not isinstance(record_serializer, KafkaRecordSerializationSchema):
            raise TypeError(f"set_record_serializer expects a KafkaRecordSerializationSchema, got {record_serializer!r}")
        self._serializer = record_serializer
        return self

    def set_property(self, key: str, value: str) -> "KafkaSinkBuilder":
        """A producer property by librdkafka's name (e.g. ``compression.type``, ``linger.ms``)."""
        self._properties[_check_str(key, "a property key")] = str(value)
        return self

    def build(self) -> KafkaSink:
        """The sink; bootstrap servers and a record serializer are required, and a transactional id prefix for
        exactly-once."""
        if self._servers is None:
            raise ValueError("KafkaSink: bootstrap servers are required: call set_bootstrap_servers('host:port')")
        if self._serializer is None:
            raise ValueError("KafkaSink: call set_record_serializer(KafkaRecordSerializationSchema.builder()...build())")
        if self._guarantee is DeliveryGuarantee.EXACTLY_ONCE and self._prefix is None:
            raise ValueError("KafkaSink: exactly-once writes Kafka transactions, whose ids need a prefix unique to "
                             "this job: call set_transactional_id_prefix('...')")
        fmt, type_info = self._serializer._value_format
        fields = {"bootstrap_servers": self._servers, "topic": self._serializer._topic, "format": fmt,
                  "delivery_guarantee": self._guarantee._plan_name, "properties": dict(self._properties)}
        if self._prefix is not None:
            fields["transactional_id_prefix"] = self._prefix
        return KafkaSink(fields, type_info)
