"""``ConnectedStreams``, as PyFlink's: two streams, possibly of different types, processed by one
co-function that sees which stream each record came from (``DataStream.connect``)."""
from pyflow.common.typeinfo import TypeInformation, Types
from pyflow.datastream._co_functions import CoFunction
from pyflow.datastream._udf import _describe
from pyflow.datastream.functions import CoFlatMapFunction, CoMapFunction, CoProcessFunction, KeyedCoProcessFunction
from pyflow.errors import PlanError

__all__ = ["ConnectedStreams"]


class ConnectedStreams:
    """Two connected streams (from ``DataStream.connect``). Records of both go to one operator; its watermark
    is the minimum of both inputs'. When both streams are keyed (``key_by`` on each, or ``key_by`` here),
    records with equal keys meet in one subtask and share its keyed state and timers.

    >>> from pyflow.common import Types
    >>> from pyflow.datastream import StreamExecutionEnvironment, CoMapFunction
    >>> env = StreamExecutionEnvironment.get_execution_environment()
    >>> class Describe(CoMapFunction):
    ...     def map1(self, value):
    ...         return f"int {value}"
    ...     def map2(self, value):
    ...         return f"str {value}"
    >>> ints = env.from_collection([1, 2], Types.INT())
    >>> strs = env.from_collection(["a"], Types.STRING())
    >>> ints.connect(strs).map(Describe(), Types.STRING()).get_name()
    'Co-Map'
    """

    def __init__(self, stream1, stream2):
        self.stream1 = stream1
        self.stream2 = stream2

    def _is_keyed_stream(self) -> bool:
        from pyflow.datastream.data_stream import KeyedStream
        return isinstance(self.stream1, KeyedStream) and isinstance(self.stream2, KeyedStream)

    def key_by(self, key_selector1, key_selector2, key_type: "TypeInformation | None" = None) -> "ConnectedStreams":
        """Keys both streams (``key_selector1`` for the first, ``key_selector2`` for the second) so that
        records with equal keys meet; ``key_type`` is accepted for PyFlink compatibility."""
        return ConnectedStreams(self.stream1.key_by(key_selector1, key_type),
                                self.stream2.key_by(key_selector2, key_type))

    def map(self, func: CoMapFunction, output_type: "TypeInformation | None" = None):
        """One output per record: ``func.map1`` for the first stream's records, ``func.map2`` for the second's."""
        if not isinstance(func, CoMapFunction):
            raise TypeError(f"ConnectedStreams.map() expects a CoMapFunction (with map1 and map2), got {_describe(func)}")
        return self._co_process(func, output_type, "Co-Map", "ConnectedStreams.map")

    def flat_map(self, func: CoFlatMapFunction, output_type: "TypeInformation | None" = None):
        """Any number of outputs per record: ``func.flat_map1`` / ``func.flat_map2`` return or yield them."""
        if not isinstance(func, CoFlatMapFunction):
            raise TypeError("ConnectedStreams.flat_map() expects a CoFlatMapFunction (with flat_map1 and flat_map2), "
                            f"got {_describe(func)}")
        return self._co_process(func, output_type, "Co-Flat Map", "ConnectedStreams.flat_map")

    def process(self, func, output_type: "TypeInformation | None" = None):
        """Runs a ``CoProcessFunction``, or on two keyed streams a ``KeyedCoProcessFunction`` (keyed state
        shared by both inputs, event- and processing-time timers, ``ctx.get_current_key()``)."""
        if isinstance(func, KeyedCoProcessFunction):
            if not self._is_keyed_stream():
                raise PlanError("ConnectedStreams.process(): a KeyedCoProcessFunction can only be used when both "
                                "input streams are keyed; call key_by on both streams before connect, or "
                                "connected.key_by(key_selector1, key_selector2), or use a CoProcessFunction")
            name = "Keyed Co-Process"
        elif isinstance(func, CoProcessFunction):
            name = "Keyed Co-Process" if self._is_keyed_stream() else "Co-Process"
        else:
            raise TypeError("ConnectedStreams.process() expects a CoProcessFunction or a KeyedCoProcessFunction, "
                            f"got {_describe(func)}")
        return self._co_process(func, output_type, name, "ConnectedStreams.process")

    def _co_process(self, func, output_type, name: str, api: str):
        from pyflow.datastream.data_stream import DataStream, _check_type, _pickle
        _check_type(output_type, api, "output_type")
        keyed = self._is_keyed_stream()
        fn = _pickle(CoFunction(func, keyed), api, type(func).__qualname__)
        env = self.stream1._env
        node = env._add_node("python.co_process", name, [self.stream1._node, self.stream2._node],
                             output_type or Types.PICKLED_BYTE_ARRAY(), {"fn": fn, "keyed": keyed})
        return DataStream(env, node)

