"""``WindowedStream`` (from ``KeyedStream.window`` / ``count_window``), as PyFlink's: choose the allowed
lateness, then how a window becomes results: ``reduce``, ``aggregate`` or ``process``."""
import cloudpickle

from pyflow.common.typeinfo import TypeInformation, Types
from pyflow.datastream.functions import AggregateFunction, ProcessWindowFunction, ReduceFunction
from pyflow.datastream.window import WindowAssigner, _ms
from pyflow.errors import PlanError
from pyflow._compat.missing import pyflink_method_getattr

__all__ = ["WindowedStream"]


class WindowedStream:
    """A keyed stream cut into windows.

    >>> from pyflow.common import Time
    >>> from pyflow.datastream import StreamExecutionEnvironment
    >>> from pyflow.datastream.window import TumblingEventTimeWindows
    >>> env = StreamExecutionEnvironment.get_execution_environment()
    >>> sums = (env.from_collection([("a", 1)]).key_by(lambda e: e[0])
    ...         .window(TumblingEventTimeWindows.of(Time.seconds(1))).reduce(lambda x, y: (x[0], x[1] + y[1])))
    >>> sums.get_name()
    'Window Reduce'
    """

    __getattr__ = pyflink_method_getattr  # PyFlink methods PyFlow lacks raise NotImplementedError

    def __init__(self, keyed_stream, assigner: dict, all_windows: bool = False):
        self._keyed = keyed_stream
        self._assigner = assigner
        self._lateness_ms = 0
        self._all = all_windows  # window_all: one constant key, parallelism 1, no key given to process()

    def allowed_lateness(self, time_ms) -> "WindowedStream":
        """How long after a window's end late records still update it (and fire it again): ms or a Time."""
        ms = _ms(time_ms, "allowed_lateness")
        if ms < 0:
            raise ValueError(f"allowed_lateness cannot be negative, got {ms} ms")
        self._lateness_ms = ms
        return self

    def trigger(self, trigger):
        """Not supported yet: raises NotImplementedError (each assigner's default trigger applies)."""
        raise NotImplementedError("custom triggers from Python are not supported yet (planned); the C# API has them")

    def side_output_late_data(self, output_tag):
        """Not supported yet: raises NotImplementedError (late records are dropped and counted)."""
        raise NotImplementedError("side_output_late_data from Python is not supported yet (planned); "
                                  "late records are dropped and counted")

    def reduce(self, reduce_function, window_function=None, output_type: "TypeInformation | None" = None):
        """Combines a window's records with ``reduce_function(a, b)``; one result per window (the input type)."""
        _no_window_function(window_function, "reduce")
        fn = getattr(reduce_function, "reduce", reduce_function) if isinstance(reduce_function, ReduceFunction) \
            else reduce_function
        if not callable(fn):
            raise TypeError(f"WindowedStream.reduce() expects a ReduceFunction or a callable, got {reduce_function!r}")
        return self._add("reduce", "Window Reduce", fn, self._keyed._node.type_info)

    def aggregate(self, aggregate_function, window_function=None, accumulator_type=None,
                  output_type: "TypeInformation | None" = None):
        """Runs an ``AggregateFunction`` over a window's records; one result per window."""
        _no_window_function(window_function, "aggregate")
        if not isinstance(aggregate_function, AggregateFunction):
            raise TypeError(f"WindowedStream.aggregate() expects an AggregateFunction, got {aggregate_function!r}")
        return self._add("aggregate", "Window Aggregate", aggregate_function, output_type)

    def process(self, process_window_function, output_type: "TypeInformation | None" = None):
        """Runs a ``ProcessWindowFunction`` (``ProcessAllWindowFunction`` after ``window_all``) with all a
        window's records; it yields the window's results."""
        from pyflow.datastream.functions import ProcessAllWindowFunction
        expected = ProcessAllWindowFunction if self._all else ProcessWindowFunction
        if not isinstance(process_window_function, expected):
            raise TypeError(f"process() expects a {expected.__name__}, got {process_window_function!r}")
        return self._add("process", "Window Process", process_window_function, output_type)

    def _add(self, kind: str, name: str, fn, output_type):
        from pyflow.datastream.data_stream import DataStream, _check_type
        _check_type(output_type, f"WindowedStream.{kind}", "output_type")
        try:
            payload = cloudpickle.dumps(fn)
        except Exception as e:  # noqa: BLE001 - pickling fails with many exception types
            raise PlanError(f"WindowedStream.{kind}(): the window function cannot be pickled "
                            f"({type(e).__name__}: {e})") from e
        env = self._keyed._env
        node = env._add_node("python.window", name, [self._keyed._node], output_type or Types.PICKLED_BYTE_ARRAY(),
                             {"fn": payload, "function_kind": kind, "window": self._assigner,
                              "allowed_lateness_ms": self._lateness_ms, "all": self._all},
                             parallelism=1 if self._all else -1)
        return DataStream(env, node)


def _no_window_function(window_function, api: str):
    if window_function is not None:
        raise NotImplementedError(f"WindowedStream.{api}(..., window_function) is not supported yet (planned); "
                                  "use process() with a ProcessWindowFunction")


def window_of(keyed_stream, assigner) -> WindowedStream:
    if not isinstance(assigner, WindowAssigner):
        raise TypeError(f"KeyedStream.window() expects a window assigner such as TumblingEventTimeWindows.of(...), "
                        f"got {assigner!r}")
    return WindowedStream(keyed_stream, assigner._to_plan())


def count_window_of(keyed_stream, size: int) -> WindowedStream:
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValueError(f"count_window() needs a size >= 1, got {size!r}")
    return WindowedStream(keyed_stream, {"assigner": "count", "size": size})


def window_all_of(stream, assigner) -> WindowedStream:
    if not isinstance(assigner, WindowAssigner):
        raise TypeError(f"window_all() expects a window assigner such as TumblingEventTimeWindows.of(...), got {assigner!r}")
    keyed = stream.key_by(lambda _: 0)
    return WindowedStream(keyed, assigner._to_plan(), all_windows=True)
