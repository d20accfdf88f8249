"""``DataStream.add_sink``: a ``FileSink`` goes the way of ``sink_to``; a Python ``SinkFunction`` becomes a
``sink.python`` plan node (its bound ``invoke`` cloudpickled), which the host runs as a ``sink`` stage fused
with the Python stages before it, followed by a discarding end (docs/ARCHITECTURE.md, PLAN)."""
from pyflow.datastream._udf import pickle_function
from pyflow.datastream.functions import SinkFunction


def add_sink(stream, sink_func):
    """The ``DataStreamSink`` of ``sink_func`` added after ``stream``."""
    from pyflow.datastream.connectors.file_system import FileSink
    from pyflow.datastream.data_stream import DataStreamSink
    if isinstance(sink_func, FileSink):
        return stream.sink_to(sink_func)
    if not isinstance(sink_func, SinkFunction):
        raise TypeError(f"add_sink() expects a pyflow SinkFunction (with invoke(value, context)) or a FileSink, got "
                        f"{type(sink_func).__qualname__}. A plain function can be wrapped: subclass SinkFunction "
                        "and call it from invoke()")
    fn = pickle_function(sink_func, SinkFunction, "invoke", "DataStream.add_sink", type(sink_func).__qualname__)
    env = stream._env
    node = env._add_node("sink.python", "Sink: " + type(sink_func).__name__, [stream._node], stream._node.type_info,
                         {"fn": fn})
    env._add_sink(node)
    return DataStreamSink(node)
