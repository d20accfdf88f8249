"""Keyed state, as ``pyflink.datastream.state``: descriptors name a state; a function gets its handle
from ``RuntimeContext`` in ``open`` and reads and writes the current key's entry.

>>> ValueStateDescriptor("count", None).name
'count'
"""
from abc import ABC, abstractmethod

__all__ = ["StateDescriptor", "ValueStateDescriptor", "ListStateDescriptor", "MapStateDescriptor",
           "ReducingStateDescriptor", "ValueState", "ListState", "MapState", "ReducingState", "StateTtlConfig"]


class StateTtlConfig:
    """Not supported from Python yet (planned): the C# engine has TTL; Python state does not expire."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("StateTtlConfig is not supported for Python state yet (planned)")


class StateDescriptor:
    """Names a piece of keyed state. ``type_info`` is accepted for PyFlink compatibility: Python state
    values travel pickled, so any picklable value works."""

    kind = None

    def __init__(self, name: str, type_info=None):
        if not isinstance(name, str) or not name:
            raise ValueError(f"a state needs a non-empty name, got {name!r}")
        self.name = name
        self.type_info = type_info

    def enable_time_to_live(self, ttl_config):
        raise NotImplementedError("state TTL is not supported for Python state yet (planned)")


class ValueStateDescriptor(StateDescriptor):
    kind = "value"


class ListStateDescriptor(StateDescriptor):
    kind = "list"


class MapStateDescriptor(StateDescriptor):
    kind = "map"

    def __init__(self, name: str, key_type_info=None, value_type_info=None):
        super().__init__(name, (key_type_info, value_type_info))


class ReducingStateDescriptor(StateDescriptor):
    kind = "reducing"

    def __init__(self, name: str, reduce_function, type_info=None):
        super().__init__(name, type_info)
        reduce = getattr(reduce_function, "reduce", reduce_function)
        if not callable(reduce):
            raise TypeError(f"ReducingStateDescriptor needs a ReduceFunction or a callable, got {reduce_function!r}")
        self.reduce_function = reduce


class ValueState(ABC):
    @abstractmethod
    def value(self):
        """The current key's value, or None when unset."""

    @abstractmethod
    def update(self, value) -> None: ...

    @abstractmethod
    def clear(self) -> None: ...


class ListState(ABC):
    @abstractmethod
    def get(self):
        """The current key's elements (an iterable), empty when unset."""

    @abstractmethod
    def add(self, value) -> None: ...

    @abstractmethod
    def add_all(self, values) -> None: ...

    @abstractmethod
    def update(self, values) -> None: ...

    @abstractmethod
    def clear(self) -> None: ...


class MapState(ABC):
    @abstractmethod
    def get(self, key): ...

    @abstractmethod
    def put(self, key, value) -> None: ...

    @abstractmethod
    def put_all(self, dict_value) -> None: ...

    @abstractmethod
    def remove(self, key) -> None: ...

    @abstractmethod
    def contains(self, key) -> bool: ...

    @abstractmethod
    def items(self): ...

    @abstractmethod
    def keys(self): ...

    @abstractmethod
    def values(self): ...

    @abstractmethod
    def is_empty(self) -> bool: ...

    @abstractmethod
    def clear(self) -> None: ...


class ReducingState(ABC):
    @abstractmethod
    def get(self):
        """The reduced value, or None when nothing was added."""

    @abstractmethod
    def add(self, value) -> None: ...

    @abstractmethod
    def clear(self) -> None: ...


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
