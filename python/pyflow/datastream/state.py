"""Keyed state, as ``pyflink.datastream.state``: descriptors name a state; a function gets its handle
from ``RuntimeContext`` in ``open`` and reads and writes the current key's entry.

>>> ValueStateDescriptor("count", None).name
'count'
"""
from abc import ABC, abstractmethod
from typing import Generic, Iterable

from pyflow.datastream._type_vars import IN, OUT, K, T, V
from pyflow.datastream.state_ttl import StateTtlConfig

__all__ = ["StateDescriptor", "ValueStateDescriptor", "ListStateDescriptor", "MapStateDescriptor",
           "ReducingStateDescriptor", "AggregatingStateDescriptor", "State", "ValueState", "AppendingState",
           "MergingState", "ListState", "MapState", "ReducingState", "AggregatingState", "StateTtlConfig"]


class StateDescriptor:
    """Names a piece of keyed state. ``type_info`` is accepted for PyFlink compatibility: Python state
    values travel pickled, so any picklable value works."""

    kind = None

    def __init__(self, name: str, type_info=None):
        if not isinstance(name, str) or not name:
            raise ValueError(f"a state needs a non-empty name, got {name!r}")
        self.name = name
        self.type_info = type_info
        self._ttl_config = None

    def get_name(self) -> str:
        """The state's name."""
        return self.name

    def enable_time_to_live(self, ttl_config: StateTtlConfig) -> None:
        """Gives the state a time-to-live (``StateTtlConfig.new_builder(Time.seconds(n))...build()``): per value,
        per list element, per map entry (see ``pyflow.datastream.state_ttl``)."""
        if not isinstance(ttl_config, StateTtlConfig):
            raise TypeError(f"enable_time_to_live() takes a StateTtlConfig (StateTtlConfig.new_builder(...).build()), "
                            f"got {ttl_config!r}")
        self._ttl_config = ttl_config

    def get_ttl_config(self) -> "StateTtlConfig | None":
        """The TTL set with ``enable_time_to_live``, or None."""
        return self._ttl_config


class ValueStateDescriptor(StateDescriptor):
    """Names a ``ValueState``: one value per key."""
    kind = "value"


class ListStateDescriptor(StateDescriptor):
    """Names a ``ListState``: a list per key."""
    kind = "list"


class MapStateDescriptor(StateDescriptor):
    """Names a ``MapState``: a dict per key."""
    kind = "map"

    def __init__(self, name: str, key_type_info=None, value_type_info=None):
        super().__init__(name, (key_type_info, value_type_info))


class ReducingStateDescriptor(StateDescriptor):
    """Names a ``ReducingState``: one value per key, combined with a reduce function."""
    kind = "reducing"

    def __init__(self, name: str, reduce_function, type_info=None):
        super().__init__(name, type_info)
        reduce = getattr(reduce_function, "reduce", reduce_function)
        if not callable(reduce):
            raise TypeError(f"ReducingStateDescriptor needs a ReduceFunction or a callable, got {reduce_function!r}")
        self.reduce_function = reduce


class AggregatingStateDescriptor(StateDescriptor):
    """Names an ``AggregatingState``: one accumulator per key, kept with an ``AggregateFunction``.

    >>> from pyflow.datastream.functions import AggregateFunction
    >>> class Avg(AggregateFunction):
    ...     def create_accumulator(self): return (0, 0)
    ...     def add(self, value, acc): return (acc[0] + value, acc[1] + 1)
    ...     def get_result(self, acc): return acc[0] / acc[1]
    ...     def merge(self, a, b): return (a[0] + b[0], a[1] + b[1])
    >>> AggregatingStateDescriptor("avg", Avg(), None).get_name()
    'avg'
    """
    kind = "aggregating"

    def __init__(self, name: str, agg_function, state_type_info=None):
        super().__init__(name, state_type_info)
        from pyflow.datastream.functions import AggregateFunction
        if not isinstance(agg_function, AggregateFunction):
            raise TypeError(f"AggregatingStateDescriptor needs an AggregateFunction, got {agg_function!r}")
        self.agg_function = agg_function

    def get_agg_function(self):
        """The ``AggregateFunction``."""
        return self.agg_function


class State(ABC):
    """Every kind of keyed state: ``clear`` removes the current key's entry."""

    @abstractmethod
    def clear(self) -> None:
        """Removes the current key's value."""


class ValueState(State, Generic[T]):
    """The current key's value (from ``RuntimeContext.get_state``)."""
    @abstractmethod
    def value(self):
        """The current key's value, or None when unset."""

    @abstractmethod
    def update(self, value) -> None:
        """Sets the current key's value."""

    @abstractmethod
    def clear(self) -> None:
        """Removes the current key's value."""


class AppendingState(State, Generic[IN, OUT]):
    """State that values are added to (``add``) and read as a whole (``get``), as PyFlink's."""

    @abstractmethod
    def get(self):
        """The current key's state."""

    @abstractmethod
    def add(self, value) -> None:
        """Adds ``value`` to the current key's state."""


class MergingState(AppendingState[IN, OUT]):
    """An ``AppendingState`` whose instances can be merged (PyFlink's marker class)."""


class ListState(MergingState[T, Iterable[T]]):
    """The current key's list (from ``RuntimeContext.get_list_state``); iterating it iterates ``get()``."""
    @abstractmethod
    def get(self):
        """The current key's elements (an iterable), empty when unset."""

    @abstractmethod
    def add(self, value) -> None:
        """Appends ``value`` to the current key's list."""

    def __iter__(self):
        """The current key's elements, as PyFlink's ``ListState.__iter__``."""
        return iter(self.get())

    @abstractmethod
    def add_all(self, values) -> None:
        """Appends ``values`` to the current key's list."""

    @abstractmethod
    def update(self, values) -> None:
        """Replaces the current key's list with ``values``."""

    @abstractmethod
    def clear(self) -> None:
        """Removes the current key's list."""


class MapState(State, Generic[K, V]):
    """The current key's dict (from ``RuntimeContext.get_map_state``). As PyFlink's, it also speaks the dict
    protocol: ``state[k]`` (None when absent, like ``get``), ``state[k] = v``, ``del state[k]``, ``k in state``
    and iteration over the keys; it has no ``len()``, as PyFlink's has none."""

    def __getitem__(self, key):
        return self.get(key)

    def __setitem__(self, key, value) -> None:
        self.put(key, value)

    def __delitem__(self, key) -> None:
        self.remove(key)

    def __contains__(self, key) -> bool:
        return self.contains(key)

    def __iter__(self):
        return iter(self.keys())

    @abstractmethod
    def get(self, key):
        """The value under ``key``, or None."""

    @abstractmethod
    def put(self, key, value) -> None:
        """Sets the value under ``key``."""

    @abstractmethod
    def put_all(self, dict_value) -> None:
        """Sets every entry of ``dict_value``."""

    @abstractmethod
    def remove(self, key) -> None:
        """Removes the entry under ``key``."""

    @abstractmethod
    def contains(self, key) -> bool:
        """Whether there is an entry under ``key``."""

    @abstractmethod
    def items(self):
        """The (key, value) entries."""

    @abstractmethod
    def keys(self):
        """The keys."""

    @abstractmethod
    def values(self):
        """The values."""

    @abstractmethod
    def is_empty(self) -> bool:
        """Whether the current key's dict has no entry."""

    @abstractmethod
    def clear(self) -> None:
        """Removes the current key's dict."""


class ReducingState(MergingState[T, T]):
    """The current key's reduced value (from ``RuntimeContext.get_reducing_state``)."""
    @abstractmethod
    def get(self):
        """The reduced value, or None when nothing was added."""

    @abstractmethod
    def add(self, value) -> None:
        """Combines ``value`` into the current key's value with the reduce function."""

    @abstractmethod
    def clear(self) -> None:
        """Removes the current key's value."""


class AggregatingState(MergingState[IN, OUT]):
    """The current key's aggregate (from ``RuntimeContext.get_aggregating_state``): ``add`` folds a value into
    the key's accumulator (``AggregateFunction.add``), ``get`` returns ``get_result`` of it."""
    @abstractmethod
    def get(self):
        """The aggregate's result, or None when nothing was added."""

    @abstractmethod
    def add(self, value) -> None:
        """Adds ``value`` to the current key's accumulator."""

    @abstractmethod
    def clear(self) -> None:
        """Removes the current key's accumulator."""


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
