"""User function interfaces, as PyFlink's ``pyflink.datastream.functions``.

Every API method also takes a plain callable; a class is handy when the function carries
configuration::

    class Multiply(MapFunction):
        def __init__(self, factor):
            self.factor = factor

        def map(self, value):
            return value * self.factor

    ds.map(Multiply(3), output_type=Types.INT())

The function object is cloudpickled when it is added to the plan and runs in a Python worker.
``open()`` is called for ``KeyedProcessFunction``, ``ProcessFunction`` and window process functions; for the
other kinds ``open()`` and ``close()`` are not
called yet (planned): such a function that overrides them is refused when it is added, rather than
run without its setup.
"""
from abc import ABC, abstractmethod

__all__ = ["Function", "MapFunction", "FlatMapFunction", "FilterFunction", "KeySelector", "ReduceFunction",
           "KeyedProcessFunction", "RuntimeContext", "TimerService", "TimeDomain", "AggregateFunction",
           "ProcessWindowFunction", "ProcessAllWindowFunction", "ProcessFunction", "WindowFunction",
           "AllWindowFunction"]


class Function(ABC):
    """Base of the user function interfaces."""

    def open(self, runtime_context):
        """Setup before the first record. Not called yet (planned): overriding it is refused at plan time."""

    def close(self):
        """Teardown after the last record. Not called yet (planned): overriding it is refused at plan time."""


class MapFunction(Function):
    """One output per input.

    >>> class Double(MapFunction):
    ...     def map(self, value):
    ...         return value * 2
    >>> Double().map(21)
    42
    """

    @abstractmethod
    def map(self, value):
        """Returns the output for ``value``."""


class FlatMapFunction(Function):
    """Any number of outputs per input: return an iterable or ``yield`` them.

    >>> class Split(FlatMapFunction):
    ...     def flat_map(self, value):
    ...         yield from value.split()
    >>> list(Split().flat_map("a b"))
    ['a', 'b']
    """

    @abstractmethod
    def flat_map(self, value):
        """Returns (or yields) the outputs for ``value``."""


class FilterFunction(Function):
    """Keeps the inputs for which ``filter`` returns true.

    >>> class Even(FilterFunction):
    ...     def filter(self, value):
    ...         return value % 2 == 0
    >>> Even().filter(4)
    True
    """

    @abstractmethod
    def filter(self, value):
        """Whether to keep ``value``."""


class KeySelector(Function):
    """Extracts the key of a record for ``key_by``. Keys compare by value: str, int, float, bool, bytes,
    None, or tuples of those.

    >>> class First(KeySelector):
    ...     def get_key(self, value):
    ...         return value[0]
    >>> First().get_key(("a", 1))
    'a'
    """

    @abstractmethod
    def get_key(self, value):
        """Returns the key of ``value``."""


class ReduceFunction(Function):
    """Combines two values of a key into one of the same type (a rolling reduce).

    >>> class Sum(ReduceFunction):
    ...     def reduce(self, value1, value2):
    ...         return value1 + value2
    >>> Sum().reduce(1, 2)
    3
    """

    @abstractmethod
    def reduce(self, value1, value2):
        """Returns the combination of ``value1`` (the accumulator) and ``value2``."""


class TimerService(ABC):
    """Timers and time, as PyFlink's ``TimerService``: times are epoch milliseconds."""

    @abstractmethod
    def current_processing_time(self) -> int: ...

    @abstractmethod
    def current_watermark(self) -> int: ...

    @abstractmethod
    def register_event_time_timer(self, timestamp: int) -> None: ...

    @abstractmethod
    def register_processing_time_timer(self, timestamp: int) -> None: ...

    @abstractmethod
    def delete_event_time_timer(self, timestamp: int) -> None: ...

    @abstractmethod
    def delete_processing_time_timer(self, timestamp: int) -> None: ...


class RuntimeContext(ABC):
    """What a function can reach where it runs (PyFlink's ``RuntimeContext``): its subtask and keyed state."""

    @abstractmethod
    def get_index_of_this_subtask(self) -> int: ...

    @abstractmethod
    def get_number_of_parallel_subtasks(self) -> int: ...

    @abstractmethod
    def get_state(self, state_descriptor): ...

    @abstractmethod
    def get_list_state(self, state_descriptor): ...

    @abstractmethod
    def get_map_state(self, state_descriptor): ...

    @abstractmethod
    def get_reducing_state(self, state_descriptor): ...


class _SideOutputContext(ABC):
    """``output(tag, value)``: the Java API's way to a side output (yielding ``(tag, value)`` is PyFlink's)."""

    def output(self, output_tag, value) -> None:
        """Sends ``value`` to the side output ``output_tag`` (read it with ``get_side_output(output_tag)``)."""
        raise NotImplementedError("output() is available in the contexts PyFlow passes to running functions")


class ProcessFunction(Function):
    """Per-record logic on a (non-keyed) stream, as PyFlink's ``ProcessFunction``.

    ``process_element(value, ctx)`` yields (or returns an iterable of) its outputs; yield
    ``(output_tag, value)`` or call ``ctx.output(output_tag, value)`` for a side output. Outputs keep
    the input's timestamp. ``ctx.timer_service()`` tells the time; timers need a keyed stream.

    >>> from pyflow.datastream.output_tag import OutputTag
    >>> odd = OutputTag("odd")
    >>> class Split(ProcessFunction):
    ...     def process_element(self, value, ctx):
    ...         yield value if value % 2 == 0 else (odd, value)
    """

    class Context(_SideOutputContext):
        @abstractmethod
        def timestamp(self):
            """The record's event timestamp, or None."""

        @abstractmethod
        def timer_service(self) -> "TimerService": ...

    @abstractmethod
    def process_element(self, value, ctx: "ProcessFunction.Context"):
        """Handles one record; yields output records (and ``(tag, value)`` side records)."""


class KeyedProcessFunction(Function):
    """Per-record logic on a keyed stream, with keyed state and timers (PyFlink's KeyedProcessFunction).

    ``process_element`` and ``on_timer`` yield (or return an iterable of) their output records. Records
    keep the input's timestamp; those from ``on_timer`` carry the timer's time. Get state handles in
    ``open(runtime_context)``.

    >>> class Count(KeyedProcessFunction):
    ...     def open(self, runtime_context):
    ...         from pyflow.datastream.state import ValueStateDescriptor
    ...         self.count = runtime_context.get_state(ValueStateDescriptor("count", None))
    ...     def process_element(self, value, ctx):
    ...         n = (self.count.value() or 0) + 1
    ...         self.count.update(n)
    ...         yield ctx.get_current_key(), n
    """

    class Context(_SideOutputContext):
        @abstractmethod
        def get_current_key(self): ...

        @abstractmethod
        def timestamp(self):
            """The record's (or timer's) event timestamp, or None."""

        @abstractmethod
        def timer_service(self) -> TimerService: ...

    class OnTimerContext(Context):
        @abstractmethod
        def time_domain(self):
            """``TimeDomain.EVENT_TIME`` or ``TimeDomain.PROCESSING_TIME``."""

    @abstractmethod
    def process_element(self, value, ctx: "KeyedProcessFunction.Context"):
        """Handles one record; yields output records."""

    def on_timer(self, timestamp: int, ctx: "KeyedProcessFunction.OnTimerContext"):
        """Called when a registered timer fires; yields output records."""
        return None


class TimeDomain:
    """Which clock fired a timer."""

    EVENT_TIME = 0
    PROCESSING_TIME = 1


class AggregateFunction(Function):
    """An accumulator built from a window's records, as PyFlink's ``AggregateFunction``."""

    @abstractmethod
    def create_accumulator(self): ...

    @abstractmethod
    def add(self, value, accumulator): ...

    @abstractmethod
    def get_result(self, accumulator): ...

    def merge(self, acc_a, acc_b):
        raise NotImplementedError(f"{type(self).__qualname__}.merge() is needed to merge session windows")


class ProcessWindowFunction(Function):
    """Computes a window's results from all its records, as PyFlink's ``ProcessWindowFunction``.

    ``process(key, context, elements)`` yields (or returns an iterable of) the results; ``context.window()``
    is the ``TimeWindow``. Results carry the window's ``end - 1`` as timestamp. Yield ``(output_tag, value)``
    or call ``context.output(output_tag, value)`` for a side output.
    """

    class Context(_SideOutputContext):
        @abstractmethod
        def window(self): ...

        @abstractmethod
        def current_processing_time(self) -> int: ...

        @abstractmethod
        def current_watermark(self) -> int: ...

        def window_state(self):
            """Per-window keyed state: not available from Python yet (planned)."""
            raise NotImplementedError("ProcessWindowFunction.Context.window_state() is not supported yet (planned); "
                                      "keep per-window values in the window's elements, or use a KeyedProcessFunction")

        def global_state(self):
            """Per-key state across windows: not available from Python yet (planned)."""
            raise NotImplementedError("ProcessWindowFunction.Context.global_state() is not supported yet (planned); "
                                      "use a KeyedProcessFunction with keyed state and timers instead")

    @abstractmethod
    def process(self, key, context: "ProcessWindowFunction.Context", elements): ...

    def clear(self, context: "ProcessWindowFunction.Context"):
        pass


class ProcessAllWindowFunction(Function):
    """A window's results from all its records after ``window_all`` (no key), as PyFlink's
    ``ProcessAllWindowFunction``: ``process(context, elements)`` yields them."""

    Context = ProcessWindowFunction.Context

    @abstractmethod
    def process(self, context, elements): ...

    def clear(self, context):
        pass


class WindowFunction(Function):
    """A window's results from its key, window and records, as PyFlink's ``WindowFunction`` (for
    ``WindowedStream.apply``): ``apply(key, window, inputs)`` yields (or returns an iterable of) them.

    >>> class Count(WindowFunction):
    ...     def apply(self, key, window, inputs):
    ...         yield key, len(list(inputs))
    >>> list(Count().apply("a", None, [1, 2]))
    [('a', 2)]
    """

    @abstractmethod
    def apply(self, key, window, inputs): ...


class AllWindowFunction(Function):
    """``WindowFunction`` after ``window_all`` (no key): ``apply(window, inputs)`` yields the results."""

    @abstractmethod
    def apply(self, window, inputs): ...
