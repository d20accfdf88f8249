"""Python values <-> Arrow decimal128(precision, scale) buffers.

A value is stored as its unscaled integer (``value * 10**scale``) in 16 little-endian bytes, two's
complement. It takes ``decimal.Decimal`` and ``int``; floats are refused (they are inexact: 0.1 is not
one tenth), and so is a value with more digits after the point than ``scale`` or more than
``precision - scale`` before it: nothing is rounded. Values come back as ``Decimal`` with exactly
``scale`` digits after the point, as PyFlink's decimal coder and pyarrow give them.
"""
from __future__ import annotations

import decimal
import numbers

import numpy as np

from .types import DECIMAL_DTYPE, ArrowCodecError

__all__ = ["decimal_from_python", "decimal_to_python", "decimal_why_not"]


class _Refused(Exception):
    """Why one value does not fit (the caller adds the column type and the index)."""


def _unscaled(v, precision: int, scale: int) -> int:
    if isinstance(v, bool) or not isinstance(v, (decimal.Decimal, numbers.Integral)):
        if isinstance(v, float):
            raise _Refused("is a float, which is inexact; use decimal.Decimal(str(value))")
        raise _Refused("expected a decimal.Decimal (or an int)")
    if isinstance(v, numbers.Integral):
        v = decimal.Decimal(int(v))
    if not v.is_finite():
        raise _Refused("is not a finite number")
    if v.is_zero():
        return 0
    sign, digits, exponent = v.as_tuple()
    if v.adjusted() >= precision - scale:
        raise _Refused(f"has more than {precision - scale} digits before the point")
    shift = exponent + scale
    number = int("".join(map(str, digits)))
    if shift >= 0:
        unscaled = number * 10 ** shift
    else:
        if -shift > len(digits):
            raise _Refused(f"has more than {scale} digits after the point")
        unscaled, rest = divmod(number, 10 ** -shift)
        if rest:
            raise _Refused(f"has more than {scale} digits after the point (round it first, e.g. "
                           f"value.quantize(Decimal('1e-{scale}')))" if scale else "is not a whole number")
    if unscaled >= 10 ** precision:
        raise _Refused(f"has more than {precision} digits")
    return -unscaled if sign else unscaled


def decimal_from_python(type_name: str, precision: int, scale: int, values: list):
    """(validity or None, values array of 16-byte items) of ``values`` (None = null)."""
    validity = None
    if None in values:
        validity = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    chunks = []
    # The fast path: decimal's own arithmetic in C, trapping any digit it would drop (5x faster than
    # _unscaled's digit work); anything it does not take goes to _unscaled, which says why.
    exact = decimal.Context(prec=precision, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])
    limit = 10 ** precision
    for i, v in enumerate(values):
        if v is None:
            chunks.append(bytes(16))
            continue
        if type(v) is decimal.Decimal:
            try:
                n = int(v.scaleb(scale, exact).to_integral_exact(context=exact))
                if -limit < n < limit:
                    chunks.append(n.to_bytes(16, "little", signed=True))
                    continue
            except (decimal.DecimalException, ValueError, OverflowError):
                pass
        try:
            chunks.append(_unscaled(v, precision, scale).to_bytes(16, "little", signed=True))
        except _Refused as e:
            raise ArrowCodecError(f"{type_name} column: value at index {i} ({v!r:.80}) {e}") from None
    return validity, np.frombuffer(b"".join(chunks), dtype=DECIMAL_DTYPE)


def decimal_to_python(type_name: str, precision: int, scale: int, values: np.ndarray, validity) -> list:
    """The ``Decimal`` values of a decimal128 values buffer (null slots give None)."""
    words = np.ascontiguousarray(values).view("<u8")
    low, high = words[0::2].tolist(), words[1::2].view("<i8").tolist()
    context = decimal.Context(prec=precision)
    limit = 10 ** precision
    out = []
    for i, (lo, hi) in enumerate(zip(low, high)):
        n = (hi << 64) | lo
        if not -limit < n < limit and (validity is None or validity[i]):
            raise ArrowCodecError(f"{type_name} value {n} (unscaled) has more than {precision} digits")
        out.append(decimal.Decimal(n).scaleb(-scale, context))
    if validity is not None:
        for i in np.flatnonzero(~validity).tolist():
            out[i] = None
    return out


def decimal_why_not(precision: int, scale: int, value) -> "str | None":
    """Why ``value`` cannot be stored as decimal128(precision, scale) (the reason alone), or None when it can."""
    try:
        _unscaled(value, precision, scale)
    except _Refused as e:
        return str(e)
    return None
