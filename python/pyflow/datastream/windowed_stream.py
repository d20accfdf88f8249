"""``WindowedStream`` (from ``KeyedStream.window`` / ``count_window``), as PyFlink's: choose the trigger,
allowed lateness and late-data side output, then how a window becomes results: ``reduce``, ``aggregate``
(also vectorized, ``func_type="pandas"``), ``process`` or ``apply``."""
import cloudpickle

from pyflow.common.typeinfo import TypeInformation, Types
from pyflow.datastream.functions import (AggregateFunction, AllWindowFunction, ProcessAllWindowFunction,
                                         ProcessWindowFunction, ReduceFunction, WindowFunction)
from pyflow.datastream.output_tag import OutputTag
from pyflow.datastream.triggers import Trigger
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
        self._trigger = None
        self._late_tag = None

    def allowed_lateness(self, time_ms) -> "WindowedStream":
        """How long after a window's end late records still update it (and fire it again): ms or a Time."""
        self._lateness_ms = _ms(time_ms, "allowed_lateness(time_ms)", least=0)
        return self

    def trigger(self, trigger: Trigger) -> "WindowedStream":
        """Replaces the assigner's default trigger with one of ``pyflow.datastream.window``'s
        (``CountTrigger.of(n)``, ``PurgingTrigger.of(...)``, ...); the engine runs it."""
        if not isinstance(trigger, Trigger):
            raise TypeError(f"trigger() expects a Trigger from pyflow.datastream.window, got {trigger!r}")
        spec = trigger._to_plan()  # a custom Python trigger is refused here, with the reason
        if self._assigner.get("assigner") == "session" and _innermost(spec) in ("count", "continuous_event_time"):
            raise PlanError(f"{type(trigger).__name__} cannot be used with session (merging) windows; "
                            "use EventTimeTrigger or ProcessingTimeTrigger")
        self._trigger = spec
        return self

    def side_output_late_data(self, output_tag: OutputTag) -> "WindowedStream":
        """Records too late for every window (past the allowed lateness) go to the side output
        ``output_tag`` instead of being dropped; read them with ``get_side_output(output_tag)`` on the
        result. The tag's type must be the window's input type (or None, which means that type)."""
        if not isinstance(output_tag, OutputTag):
            raise TypeError(f"side_output_late_data() expects an OutputTag, got {output_tag!r}")
        input_type = self._keyed._node.type_info
        if output_tag.type_info is not None and output_tag.type_info != input_type:
            raise PlanError(f"side_output_late_data(): late records have the window's input type {input_type!r}, "
                            f"but the tag '{output_tag.tag_id}' declares {output_tag.type_info!r}; give the tag "
                            "that type, or none")
        self._late_tag = output_tag
        return self

    def apply(self, window_function, output_type: "TypeInformation | None" = None):
        """Runs a ``WindowFunction`` (``AllWindowFunction`` after ``window_all``) with all a window's
        records: ``apply(key, window, inputs)`` yields the window's results."""
        expected = AllWindowFunction if self._all else WindowFunction
        if not isinstance(window_function, expected):
            raise TypeError(f"apply() expects a {expected.__name__}, got {window_function!r}")
        from pyflow.datastream._window_adapters import AllApply, Apply
        adapter = AllApply(window_function) if self._all else Apply(window_function)
        return self._add("process", "Window Apply", adapter, output_type)

    def reduce(self, reduce_function, window_function=None, output_type: "TypeInformation | None" = None):
        """Combines a window's records with ``reduce_function(a, b)``; one result per window (the input type).
        With ``window_function`` (a ``ProcessWindowFunction`` or ``WindowFunction``), that function gets an
        iterable holding the window's one reduced value and yields the results (of ``output_type``)."""
        fn = getattr(reduce_function, "reduce", reduce_function) if isinstance(reduce_function, ReduceFunction) \
            else reduce_function
        if not callable(fn):
            raise TypeError(f"WindowedStream.reduce() expects a ReduceFunction or a callable, got {reduce_function!r}")
        if window_function is not None:
            return self._pre_aggregated("reduce", fn, window_function, output_type)
        return self._add("reduce", "Window Reduce", fn, self._keyed._node.type_info)

    def aggregate(self, aggregate_function, window_function=None, accumulator_type=None,
                  output_type: "TypeInformation | None" = None, func_type: str = "general"):
        """Runs an ``AggregateFunction`` over a window's records; one result per window.

        ``func_type="pandas"`` makes it vectorized (PyFlink's pandas UDAF over windows, with the flag
        ``DataStream.map`` takes): ``aggregate_function`` is then a callable that gets a window's records
        as one ``pandas.Series`` and returns one value, called once per window with no per-record Python
        call::

            keyed.window(TumblingEventTimeWindows.of(Time.seconds(10))) \
                 .aggregate(lambda s: s.mean(), output_type=Types.DOUBLE(), func_type="pandas")
        """
        if func_type not in ("general", "pandas"):
            raise PlanError(f"WindowedStream.aggregate(): func_type must be 'general' or 'pandas', got {func_type!r}")
        if func_type == "pandas":
            if isinstance(aggregate_function, AggregateFunction) or not callable(aggregate_function):
                raise TypeError("a vectorized (func_type='pandas') window aggregate is a callable taking a "
                                f"pandas.Series and returning one value, got {aggregate_function!r}")
            if window_function is not None:
                raise NotImplementedError("a vectorized window aggregate with a window_function is not supported yet "
                                          "(planned); return the final value from the vectorized function")
            return self._add("aggregate_pandas", "Window Aggregate", aggregate_function, output_type)
        if not isinstance(aggregate_function, AggregateFunction):
            raise TypeError(f"WindowedStream.aggregate() expects an AggregateFunction, got {aggregate_function!r}")
        if window_function is not None:
            return self._pre_aggregated("aggregate", aggregate_function, window_function, output_type)
        return self._add("aggregate", "Window Aggregate", aggregate_function, output_type)

    def _pre_aggregated(self, api: str, pre_aggregate, window_function, output_type):
        allowed = (ProcessAllWindowFunction, AllWindowFunction) if self._all else (ProcessWindowFunction, WindowFunction)
        if not isinstance(window_function, allowed):
            raise TypeError(f"{api}(): window_function must be a {' or a '.join(c.__name__ for c in allowed)}, "
                            f"got {window_function!r}")
        from pyflow.datastream._window_adapters import PreAggregated
        name = "Window Reduce" if api == "reduce" else "Window Aggregate"
        return self._add("process", name, PreAggregated(pre_aggregate, window_function), output_type)

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
        fields = {"fn": payload, "function_kind": kind, "window": self._assigner,
                  "allowed_lateness_ms": self._lateness_ms, "all": self._all}
        if self._trigger is not None:
            fields["trigger"] = self._trigger
        if self._late_tag is not None:
            fields["late_tag"] = self._late_tag.tag_id
        node = env._add_node("python.window", name, [self._keyed._node], output_type or Types.PICKLED_BYTE_ARRAY(),
                             fields, parallelism=1 if self._all else -1)
        return DataStream(env, node)


def _innermost(spec: dict) -> str:
    while spec["kind"] == "purging":
        spec = spec["inner"]
    return spec["kind"]


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
