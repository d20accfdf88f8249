"""Sources, as ``pyflink.datastream.connectors``: number sequences, a rate-limited data generator, and
text files, and Kafka (``pyflow.datastream.connectors.kafka``). Use them with ``env.from_source(source,
watermark_strategy, source_name)``. Sinks for ``DataStream.sink_to``: ``FileSink``, ``KafkaSink``, and
``DiscardingSink`` (a PyFlow extension)."""
from pyflow.datastream.connectors.base import DeliveryGuarantee
from pyflow.datastream.connectors.datagen import DataGeneratorSource
from pyflow.datastream.connectors.discarding import DiscardingSink
from pyflow.datastream.connectors.file_system import (FileSink, FileSource, FileSourceBuilder, OutputFileConfig,
                                                        RollingPolicy, StreamFormat)
from pyflow.datastream.connectors.kafka import KafkaSink, KafkaSource
from pyflow.datastream.connectors.number_seq import NumberSequenceSource

__all__ = ["NumberSequenceSource", "DataGeneratorSource", "FileSource", "FileSourceBuilder", "StreamFormat", "FileSink",
           "OutputFileConfig", "RollingPolicy", "DiscardingSink", "KafkaSource", "KafkaSink", "DeliveryGuarantee"]


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
