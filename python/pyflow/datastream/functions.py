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
``open(runtime_context)`` is called in each subtask before its first record (``runtime_context``
gives ``get_index_of_this_subtask()``, ``get_number_of_parallel_subtasks()``; keyed state only in keyed
process functions), for map, flat_map, filter, process, keyed process and window process functions.
``close()`` is called once in each subtask after its last record (at the end of input, when the
operator closes), for the same functions.
"""
from abc import ABC, abstractmethod
from typing import Generic

from pyflow.datastream._type_vars import IN, KEY, OUT, W, W2

__all__ = ["Function", "MapFunction", "FlatMapFunction", "FilterFunction", "KeySelector", "ReduceFunction",
           "KeyedProcessFunction", "RuntimeContext", "TimerService", "TimeDomain", "AggregateFunction",
           "ProcessWindowFunction", "ProcessAllWindowFunction", "ProcessFunction", "WindowFunction",
           "AllWindowFunction"]


class Function(ABC):
    """Base of the user function interfaces."""

    def open(self, runtime_context):
        """Setup in each subtask before its first record; ``runtime_context`` is a ``RuntimeContext``."""

    def close(self):
        """Teardown in each subtask after its last record (end of input); not called when the job fails or is
        cancelled."""


class MapFunction(Function, Generic[IN, OUT]):
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


class FlatMapFunction(Function, Generic[IN, OUT]):
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


class FilterFunction(Function, Generic[IN]):
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


class KeySelector(Function, Generic[IN, KEY]):
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
    def current_processing_time(self) -> int:
        """The current processing time (epoch ms)."""

    @abstractmethod
    def current_watermark(self) -> int:
        """The current event-time watermark (epoch ms)."""

    @abstractmethod
    def register_event_time_timer(self, timestamp: int) -> None:
        """Calls ``on_timer`` once the watermark passes ``timestamp``."""

    @abstractmethod
    def register_processing_time_timer(self, timestamp: int) -> None:
        """Calls ``on_timer`` once processing time reaches ``timestamp``."""

    @abstractmethod
    def delete_event_time_timer(self, timestamp: int) -> None:
        """Removes the current key's event-time timer at ``timestamp``, if any."""

    @abstractmethod
    def delete_processing_time_timer(self, timestamp: int) -> None:
        """Removes the current key's processing-time timer at ``timestamp``, if any."""


class RuntimeContext(ABC):
    """What a function can reach where it runs (PyFlink's ``RuntimeContext``): its subtask and keyed state."""

    @abstractmethod
    def get_index_of_this_subtask(self) -> int:
        """This subtask's index, from 0 to parallelism - 1."""

    @abstractmethod
    def get_number_of_parallel_subtasks(self) -> int:
        """The parallelism of the operator running the function."""

    @abstractmethod
    def get_state(self, state_descriptor):
        """The ``ValueState`` a ``ValueStateDescriptor`` names (keyed streams only)."""

    @abstractmethod
    def get_list_state(self, state_descriptor):
        """The ``ListState`` a ``ListStateDescriptor`` names (keyed streams only)."""

    @abstractmethod
    def get_map_state(self, state_descriptor):
        """The ``MapState`` a ``MapStateDescriptor`` names (keyed streams only)."""

    @abstractmethod
    def get_reducing_state(self, state_descriptor):
        """The ``ReducingState`` a ``ReducingStateDescriptor`` names (keyed streams only)."""

    def get_aggregating_state(self, state_descriptor):
        """The ``AggregatingState`` an ``AggregatingStateDescriptor`` names (keyed streams only)."""
        raise RuntimeError(f"keyed state ('{getattr(state_descriptor, 'name', state_descriptor)}') needs a keyed "
                           "stream: use key_by(...).process(KeyedProcessFunction)")


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
        """What ``process_element`` gets besides the record: its timestamp, the time, and side outputs."""

        @abstractmethod
        def timestamp(self):
            """The record's event timestamp, or None."""

        @abstractmethod
        def timer_service(self) -> "TimerService":
            """The current processing time and watermark (timers need a keyed stream)."""

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
        """What ``process_element`` gets besides the record: its key, timestamp and the timer service."""
        @abstractmethod
        def get_current_key(self):
            """The key of the record (or timer) being processed."""

        @abstractmethod
        def timestamp(self):
            """The record's (or timer's) event timestamp, or None."""

        @abstractmethod
        def timer_service(self) -> TimerService:
            """The ``TimerService``, to read time and register or delete timers."""

    class OnTimerContext(Context):
        """The Context of ``on_timer``; also tells which clock fired."""
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
    def create_accumulator(self):
        """A new, empty accumulator."""

    @abstractmethod
    def add(self, value, accumulator):
        """Adds ``value`` to ``accumulator``; returns the (new) accumulator."""

    @abstractmethod
    def get_result(self, accumulator):
        """The result of an accumulator."""

    def merge(self, acc_a, acc_b):
        """One accumulator holding both ``acc_a`` and ``acc_b`` (for merging session windows)."""
        raise NotImplementedError(f"{type(self).__qualname__}.merge() is needed to merge session windows")


class ProcessWindowFunction(Function, Generic[IN, OUT, KEY, W]):
    """Computes a window's results from all its records, as PyFlink's ``ProcessWindowFunction``.

    ``process(key, context, elements)`` yields (or returns an iterable of) the results; ``context.window()``
    is the ``TimeWindow``. Results carry the window's ``end - 1`` as timestamp. Yield ``(output_tag, value)``
    or call ``context.output(output_tag, value)`` for a side output.
    """

    class Context(_SideOutputContext, Generic[W2]):
        """What ``process`` gets besides the records: the window and the current times."""
        @abstractmethod
        def window(self):
            """The window being fired (a ``TimeWindow`` or ``GlobalWindow``)."""

        @abstractmethod
        def current_processing_time(self) -> int:
            """The current processing time (epoch ms)."""

        @abstractmethod
        def current_watermark(self) -> int:
            """The current event-time watermark (epoch ms)."""

        def window_state(self):
            """Per-window keyed state: not available from Python yet (planned)."""
            raise NotImplementedError("ProcessWindowFunction.Context.window_state() is not supported yet (planned); "
                                      "keep per-window values in the window's elements, or use a KeyedProcessFunction")

        def global_state(self):
            """Per-key state across windows: not available from Python yet (planned)."""
            raise NotImplementedError("ProcessWindowFunction.Context.global_state() is not supported yet (planned); "
                                      "use a KeyedProcessFunction with keyed state and timers instead")

    @abstractmethod
    def process(self, key, context: "ProcessWindowFunction.Context", elements):
        """The window's results, from its ``key`` and all its ``elements``; yields or returns them."""

    def clear(self, context: "ProcessWindowFunction.Context"):
        """Called when the window is purged; override to clean up."""
        pass


class ProcessAllWindowFunction(Function, Generic[IN, OUT, W]):
    """A window's results from all its records after ``window_all`` (no key), as PyFlink's
    ``ProcessAllWindowFunction``: ``process(context, elements)`` yields them."""

    Context = ProcessWindowFunction.Context

    @abstractmethod
    def process(self, context, elements):
        """The window's results, from all its ``elements``; yields or returns them."""

    def clear(self, context):
        """Called when the window is purged; override to clean up."""
        pass


class WindowFunction(Function, Generic[IN, OUT, KEY, W]):
    """A window's results from its key, window and records, as PyFlink's ``WindowFunction`` (for
    ``WindowedStream.apply``): ``apply(key, window, inputs)`` yields (or returns an iterable of) them.

    >>> class Count(WindowFunction):
    ...     def apply(self, key, window, inputs):
    ...         yield key, len(list(inputs))
    >>> list(Count().apply("a", None, [1, 2]))
    [('a', 2)]
    """

    @abstractmethod
    def apply(self, key, window, inputs):
        """Yields (or returns an iterable of) the results of ``window`` for ``key`` from its ``inputs``."""


class AllWindowFunction(Function, Generic[IN, OUT, W]):
    """``WindowFunction`` after ``window_all`` (no key): ``apply(window, inputs)`` yields the results."""

    @abstractmethod
    def apply(self, window, inputs):
        """Yields (or returns an iterable of) the results of ``window`` from its ``inputs``."""


# ---- two inputs (connect) and custom partitioning, as PyFlink's
__all__ += ["CoMapFunction", "CoFlatMapFunction", "CoProcessFunction", "KeyedCoProcessFunction", "Partitioner"]


class CoMapFunction(Function):
    """One output per record of either connected stream: ``map1`` for the first, ``map2`` for the second
    (``ConnectedStreams.map``). ``open(runtime_context)`` is called before the first record.

    >>> class Tag(CoMapFunction):
    ...     def map1(self, value):
    ...         return f"order {value}"
    ...     def map2(self, value):
    ...         return f"payment {value}"
    >>> Tag().map2(7)
    'payment 7'
    """

    @abstractmethod
    def map1(self, value):
        """The output for a record of the first stream."""

    @abstractmethod
    def map2(self, value):
        """The output for a record of the second stream."""


class CoFlatMapFunction(Function):
    """Any number of outputs per record of either connected stream: ``flat_map1`` / ``flat_map2`` return an
    iterable or ``yield`` (``ConnectedStreams.flat_map``).

    >>> class Words(CoFlatMapFunction):
    ...     def flat_map1(self, value):
    ...         yield from value.split()
    ...     def flat_map2(self, value):
    ...         yield str(value)
    >>> list(Words().flat_map1("a b"))
    ['a', 'b']
    """

    @abstractmethod
    def flat_map1(self, value):
        """Returns (or yields) the outputs for a record of the first stream."""

    @abstractmethod
    def flat_map2(self, value):
        """Returns (or yields) the outputs for a record of the second stream."""


class CoProcessFunction(Function):
    """Per-record logic over two connected streams (``ConnectedStreams.process``): ``process_element1`` /
    ``process_element2`` yield their outputs. ``ctx.timestamp()`` and ``ctx.timer_service()`` (time only:
    timers and state need keyed streams, see ``KeyedCoProcessFunction``)."""

    class Context(_SideOutputContext):
        """What ``process_element1`` / ``process_element2`` see besides the record (and ``output(tag, value)``)."""

        @abstractmethod
        def timestamp(self):
            """The record's event timestamp, or None."""

        @abstractmethod
        def timer_service(self) -> TimerService:
            """The current processing time and watermark (timers need keyed streams)."""

    @abstractmethod
    def process_element1(self, value, ctx: "CoProcessFunction.Context"):
        """Handles one record of the first stream; yields output records."""

    @abstractmethod
    def process_element2(self, value, ctx: "CoProcessFunction.Context"):
        """Handles one record of the second stream; yields output records."""


class KeyedCoProcessFunction(Function):
    """Per-record logic over two connected keyed streams, with keyed state shared by both inputs and timers
    (PyFlink's ``KeyedCoProcessFunction``): records of both streams with one key see one state.

    ``process_element1`` / ``process_element2`` and ``on_timer`` yield their outputs; records keep their
    input's timestamp, those of ``on_timer`` carry the timer's time. Get state in ``open(runtime_context)``.

    >>> class Join(KeyedCoProcessFunction):
    ...     def open(self, runtime_context):
    ...         from pyflow.datastream.state import ValueStateDescriptor
    ...         self.order = runtime_context.get_state(ValueStateDescriptor("order", None))
    ...     def process_element1(self, order, ctx):
    ...         self.order.update(order)
    ...     def process_element2(self, payment, ctx):
    ...         yield self.order.value(), payment
    """

    class Context(_SideOutputContext):
        """What ``process_element1`` / ``process_element2`` see besides the record (and ``output(tag, value)``)."""

        @abstractmethod
        def get_current_key(self):
            """The key of the current record (or timer), as the key selector returned it."""

        @abstractmethod
        def timer_service(self) -> TimerService:
            """Registers and deletes the current key's timers; tells the time and the watermark."""

        @abstractmethod
        def timestamp(self):
            """The record's (or timer's) event timestamp, or None."""

    class OnTimerContext(Context):
        """What ``on_timer`` sees: the context of a record, plus the timer's time domain."""

        @abstractmethod
        def time_domain(self):
            """``TimeDomain.EVENT_TIME`` or ``TimeDomain.PROCESSING_TIME``."""

    @abstractmethod
    def process_element1(self, value, ctx: "KeyedCoProcessFunction.Context"):
        """Handles one record of the first stream; yields output records."""

    @abstractmethod
    def process_element2(self, value, ctx: "KeyedCoProcessFunction.Context"):
        """Handles one record of the second stream; yields output records."""

    def on_timer(self, timestamp: int, ctx: "KeyedCoProcessFunction.OnTimerContext"):
        """Called when a registered timer fires; yields output records."""
        return None


class Partitioner(Function):
    """Chooses the partition of a key for ``DataStream.partition_custom`` (PyFlink's ``Partitioner``).

    >>> class ByParity(Partitioner):
    ...     def partition(self, key, num_partitions):
    ...         return key % 2 % num_partitions
    >>> ByParity().partition(3, 2)
    1
    """

    @abstractmethod
    def partition(self, key, num_partitions: int) -> int:
        """The partition of ``key``: an int in ``[0, num_partitions)``."""


class SinkFunction(Function):
    """A sink written in Python (``DataStream.add_sink``): ``invoke(value, context)`` runs once per record, in
    order within each subtask, in a Python worker (fused with the Python functions before it);
    ``open(runtime_context)`` before the first record and ``close()`` after the last.

    (PyFlink's ``SinkFunction`` wraps a Java sink; PyFlow's is written in Python.)

    >>> class Collect(SinkFunction):
    ...     def __init__(self):
    ...         self.seen = []
    ...     def invoke(self, value, context):
    ...         self.seen.append(value)
    >>> sink = Collect(); sink.invoke(1, None); sink.seen
    [1]
    """

    class Context(ABC):
        """What ``invoke`` can read about the record."""

        @abstractmethod
        def current_processing_time(self) -> int:
            """The processing time, epoch milliseconds."""

        @abstractmethod
        def current_watermark(self) -> int:
            """The current watermark (not available to Python sinks yet: raises RuntimeError)."""

        @abstractmethod
        def timestamp(self):
            """The record's event timestamp, or None."""

    @abstractmethod
    def invoke(self, value, context: "SinkFunction.Context") -> None:
        """Writes ``value`` wherever the sink writes."""


class SourceFunction(Function):
    """A source written in Python (``env.add_source``): ``run(ctx)`` emits records with ``ctx.collect(value)``
    or ``ctx.collect_with_timestamp(value, ts)`` until it returns (a bounded source) or ``cancel()`` is called
    (the job ends or is cancelled; ``run`` should then return soon). It runs non-parallel, on a thread of a
    Python worker, feeding a bounded queue: ``collect`` blocks while the job is behind.

    (PyFlink's ``SourceFunction`` wraps a Java source; PyFlow's is written in Python.)

    >>> class Count(SourceFunction):
    ...     def __init__(self, n):
    ...         self.n, self.running = n, True
    ...     def run(self, ctx):
    ...         for i in range(self.n):
    ...             if not self.running:
    ...                 return
    ...             ctx.collect(i)
    ...     def cancel(self):
    ...         self.running = False
    """

    class SourceContext(ABC):
        """How ``run`` emits."""

        @abstractmethod
        def collect(self, element) -> None:
            """Emits ``element`` without a timestamp."""

        @abstractmethod
        def collect_with_timestamp(self, element, timestamp: int) -> None:
            """Emits ``element`` with the event timestamp ``timestamp`` (epoch ms)."""

        @abstractmethod
        def emit_watermark(self, watermark) -> None:
            """Not supported yet (raises NotImplementedError): use assign_timestamps_and_watermarks after the
            source."""

        @abstractmethod
        def get_checkpoint_lock(self):
            """A lock (``threading.RLock``), for Flink's API shape."""

    @abstractmethod
    def run(self, ctx: "SourceFunction.SourceContext") -> None:
        """Emits records through ``ctx`` until done or cancelled."""

    @abstractmethod
    def cancel(self) -> None:
        """Asks ``run`` to return (called from another thread)."""


__all__ += ["SinkFunction", "SourceFunction"]


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
