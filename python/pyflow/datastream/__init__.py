"""The DataStream API, as PyFlink's ``pyflink.datastream``.

>>> from pyflow.common import Types
>>> from pyflow.datastream import StreamExecutionEnvironment
>>> env = StreamExecutionEnvironment.get_execution_environment()
>>> ds = env.from_collection([1, 2, 3], type_info=Types.INT()).filter(lambda x: x % 2 == 1)

``ds.print(); env.execute()`` runs it on the engine; ``list(ds.execute_and_collect())`` returns ``[1, 3]``.
"""
from pyflow.datastream.data_stream import DataStream, DataStreamSink, KeyedStream
from pyflow.datastream.execution_mode import RuntimeExecutionMode
from pyflow.datastream.functions import (AggregateFunction, FilterFunction, FlatMapFunction, Function, KeyedProcessFunction,
                                         KeySelector, MapFunction, ReduceFunction, RuntimeContext, TimeDomain,
                                         TimerService, ProcessWindowFunction, ProcessAllWindowFunction, ProcessFunction,
                                         WindowFunction, AllWindowFunction)
from pyflow.datastream.output_tag import OutputTag
from pyflow.datastream.windowed_stream import WindowedStream
from pyflow.datastream.connected_streams import ConnectedStreams
from pyflow.datastream.functions import (CoFlatMapFunction, CoMapFunction, CoProcessFunction, KeyedCoProcessFunction,
                                         Partitioner, SinkFunction, SourceFunction)
from pyflow.datastream.stream_execution_environment import StreamExecutionEnvironment
from pyflow.datastream.time_characteristic import TimeCharacteristic
from pyflow.datastream.window import (CountWindow, GlobalWindow, MergingWindowAssigner, TimeWindow, Trigger,
                                      TriggerResult, Window, WindowAssigner)
from pyflow.datastream.checkpoint_config import CheckpointConfig
from pyflow.datastream.checkpoint_storage import CheckpointStorage, FileSystemCheckpointStorage
from pyflow.datastream.checkpointing_mode import CheckpointingMode
from pyflow.datastream.state_backend import EmbeddedRocksDBStateBackend, HashMapStateBackend, StateBackend

__all__ = ["StreamExecutionEnvironment", "DataStream", "KeyedStream", "DataStreamSink", "RuntimeExecutionMode",
           "Function", "MapFunction", "FlatMapFunction", "FilterFunction", "KeySelector", "ReduceFunction",
           "KeyedProcessFunction", "RuntimeContext", "TimerService", "TimeDomain", "AggregateFunction",
           "ProcessWindowFunction", "ProcessAllWindowFunction", "WindowedStream", "ProcessFunction", "WindowFunction",
           "AllWindowFunction", "OutputTag", "TimeCharacteristic"]
__all__ += ["ConnectedStreams", "CoMapFunction", "CoFlatMapFunction", "CoProcessFunction", "KeyedCoProcessFunction",
            "Partitioner", "SinkFunction", "SourceFunction", "Window", "TimeWindow", "CountWindow", "GlobalWindow", "WindowAssigner",
            "MergingWindowAssigner", "TriggerResult", "Trigger"]
__all__ += ["CheckpointConfig", "CheckpointingMode", "CheckpointStorage", "FileSystemCheckpointStorage", "StateBackend",
            "HashMapStateBackend", "EmbeddedRocksDBStateBackend"]


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
