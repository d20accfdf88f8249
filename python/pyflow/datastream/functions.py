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
``open()`` and ``close()`` are not called yet (planned): a function that overrides them is refused
when it is added, rather than run without its setup.
"""
from abc import ABC, abstractmethod

__all__ = ["Function", "MapFunction", "FlatMapFunction", "FilterFunction", "KeySelector", "ReduceFunction"]


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
