"""PyFlink's type variables, defined once. The classes PyFlink declares ``Generic`` are generic over the same
ones here (functions, state, window assigners, triggers), so ``ProcessWindowFunction[tuple, tuple, str,
TimeWindow]`` and ``MapState[str, int]`` work unchanged; the parameters are for type checkers only."""
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
W = TypeVar("W")
W2 = TypeVar("W2")
IN = TypeVar("IN")
IN1 = TypeVar("IN1")
IN2 = TypeVar("IN2")
OUT = TypeVar("OUT")
KEY = TypeVar("KEY")
