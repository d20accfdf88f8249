"""Canonical key bytes: equal keys (by value) give equal bytes, so the engine can hash and compare them."""
import datetime
import decimal
import struct

_U32 = struct.Struct("<I")


def canonical_key(key) -> bytes:
    """Encodes a key so that ``canonical_key(a) == canonical_key(b)`` exactly when ``a == b``.

    >>> canonical_key("word") == canonical_key("wo" + "rd")
    True
    >>> canonical_key(1) == canonical_key(1.0)
    True
    """
    t = type(key)
    if t is str:
        return b"s" + key.encode("utf-8", "surrogatepass")
    if t is int:
        return b"i" + str(key).encode()
    if t is bool:  # True == 1 and False == 0 in Python, so they are the same keys
        return b"i1" if key else b"i0"
    if key is None:
        return b"n"
    if t is float:
        if key.is_integer():
            return b"i" + str(int(key)).encode()
        return b"f" + repr(key).encode()
    if isinstance(key, (bytes, bytearray, memoryview)):
        return b"y" + bytes(key)
    if isinstance(key, (tuple, list)):  # Row is a tuple
        parts = [canonical_key(k) for k in key]
        return b"t" + _U32.pack(len(parts)) + b"".join(_U32.pack(len(p)) + p for p in parts)
    temporal = _temporal_key(key)
    if temporal is not None:
        return temporal
    if isinstance(key, decimal.Decimal):
        return _decimal_key(key)
    if isinstance(key, bool):
        return b"i1" if key else b"i0"
    if isinstance(key, int):
        return b"i" + str(int(key)).encode()
    if isinstance(key, str):
        return canonical_key(str(key))
    raise TypeError(
        f"a key of type {t.__module__}.{t.__qualname__} cannot be used by key_by: keys must compare by value. "
        "Return a str, int, float, bool, bytes, None, a date, time, datetime, Decimal or Instant, or a tuple of "
        "those from the key selector."
    )


# Python's equality decides which keys are one: a date never equals a datetime, a naive datetime never an
# aware one, aware datetimes are equal when they are the same instant, and a Decimal equals the int or
# float of the same value. Each tag below is one such class of values.
_EXACT = decimal.Context(prec=1000, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def _temporal_key(key) -> "bytes | None":
    if isinstance(key, datetime.datetime):
        if key.tzinfo is None or key.utcoffset() is None:
            return b"T" + key.isoformat(timespec="microseconds").encode()
        utc = key.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return b"Z" + utc.isoformat(timespec="microseconds").encode()
    if isinstance(key, datetime.date):
        return b"D" + key.isoformat().encode()
    if isinstance(key, datetime.time):
        if key.tzinfo is not None:
            raise TypeError(f"a time with a time zone ({key!r}) cannot be used by key_by: it compares by its "
                            "UTC offset only on some days; use a naive time or a datetime")
        return b"h" + key.isoformat(timespec="microseconds").encode()
    from pyflow.common.time import Instant
    if isinstance(key, Instant):
        return b"I" + f"{key.seconds}.{key.nanos:09d}".encode()
    return None


def _decimal_key(key: decimal.Decimal) -> bytes:
    if not key.is_finite():
        if key.is_nan():
            raise TypeError(f"a key of Decimal {key} cannot be used by key_by: NaN equals nothing, not even itself")
        return canonical_key(float(key))  # Decimal('Infinity') == float('inf')
    if key == key.to_integral_value(context=_EXACT):
        return b"i" + str(int(key)).encode()
    as_float = float(key)
    if decimal.Decimal(as_float) == key:  # exactly a float's value (1.5, not 0.1): equal to that float
        return canonical_key(as_float)
    return b"d" + str(key.normalize(_EXACT)).encode()


def decode_key(data: bytes):
    """The key value of canonical bytes (ints come back as int, so ``True`` comes back as ``1``).

    >>> decode_key(canonical_key(("a", 2, None)))
    ('a', 2, None)
    """
    value, end = _decode(memoryview(data), 0)
    if end != len(data):
        raise ValueError(f"canonical key has {len(data) - end} trailing bytes")
    return value


def _decode(data: memoryview, pos: int):
    tag = data[pos:pos + 1].tobytes()
    body = data[pos + 1:]
    if tag == b"s":
        return bytes(body).decode("utf-8", "surrogatepass"), len(data)
    if tag == b"i":
        return int(bytes(body)), len(data)
    if tag == b"f":
        return float(bytes(body)), len(data)
    if tag == b"n":
        return None, pos + 1
    if tag == b"y":
        return bytes(body), len(data)
    if tag in _TEMPORAL_DECODERS:
        return _TEMPORAL_DECODERS[tag](bytes(body).decode()), len(data)
    if tag == b"t":
        (count,) = _U32.unpack_from(data, pos + 1)
        pos += 5
        items = []
        for _ in range(count):
            (length,) = _U32.unpack_from(data, pos)
            pos += 4
            item, _ = _decode(data[pos:pos + length], 0)
            items.append(item)
            pos += length
        return tuple(items), pos
    raise ValueError(f"not a canonical key (tag {tag!r})")


def _instant(text: str):
    from pyflow.common.time import Instant
    seconds, nanos = text.split(".")
    return Instant(int(seconds), int(nanos))


_TEMPORAL_DECODERS = {
    b"T": datetime.datetime.fromisoformat,
    b"Z": lambda t: datetime.datetime.fromisoformat(t).replace(tzinfo=datetime.timezone.utc),
    b"D": datetime.date.fromisoformat,
    b"h": datetime.time.fromisoformat,
    b"I": _instant,
    b"d": decimal.Decimal,
}
