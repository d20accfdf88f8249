"""Keyed state with a time-to-live (``StateDescriptor.enable_time_to_live``), Flink's TTL semantics over the
key's pickled state dict (keyed_process.py). Stored forms carry each value's last-access time (the call's
processing time, ``runner.now``, ms):

- value, reducing, aggregating: ``[value, ts]``;
- list: ``[[element, ts], ...]`` (per element);
- map: ``{key: [value, ts]}`` (per entry).

A value is expired when ``ts + ttl <= now``. Reading an expired value removes it (and returns it only with
``ReturnExpiredIfNotCleanedUp``); with ``OnReadAndWrite`` a read renews what it returns. ``purge`` drops expired
values from a key's state whenever the key's state is written (``KeyedProcessRunner.end``).
"""
from pyflow.datastream.state import AggregatingState, ListState, MapState, ReducingState, ValueState


class TtlSpec:
    """A state's TTL as the worker uses it: ``ttl_ms``, ``renew_on_read``, ``return_expired``."""

    def __init__(self, ttl_config):
        self.ttl_ms, self.renew_on_read, self.return_expired = ttl_config._spec()

    def expired(self, ts: int, now: int) -> bool:
        return ts + self.ttl_ms <= now


def purge(kind: str, stored, spec: TtlSpec, now: int):
    """``stored`` without its expired values; None when nothing is left."""
    if stored is None:
        return None
    if kind == "list":
        kept = [e for e in stored if not spec.expired(e[1], now)]
        return kept or None
    if kind == "map":
        kept = {k: e for k, e in stored.items() if not spec.expired(e[1], now)}
        return kept or None
    return None if spec.expired(stored[1], now) else stored


class _Ttl:
    def __init__(self, runner, name, spec: TtlSpec):
        self._r, self._name, self._spec = runner, name, spec

    def _stored(self):
        return self._r.get(self._name)

    def _write(self, stored):
        self._r.put(self._name, stored)

    def _read_one(self):
        """Flink's getWithTtlCheckAndUpdate for a single stamped value: the user value or None."""
        stored = self._stored()
        if stored is None:
            return None
        value, ts = stored
        now = self._r.now
        if self._spec.expired(ts, now):
            self._write(None)
            return value if self._spec.return_expired else None
        if self._spec.renew_on_read and ts != now:
            self._write([value, now])
        return value

    def clear(self):
        self._write(None)


class TtlValueState(_Ttl, ValueState):
    """``ValueState`` with TTL."""

    def value(self):
        return self._read_one()

    def update(self, value):
        self._write(None if value is None else [value, self._r.now])


class TtlReducingState(_Ttl, ReducingState):
    """``ReducingState`` with TTL: an expired value is not reduced with the new one."""

    def __init__(self, runner, name, spec, reduce):
        super().__init__(runner, name, spec)
        self._reduce = reduce

    def get(self):
        return self._read_one()

    def add(self, value):
        stored = self._stored()
        current = None if stored is None or self._spec.expired(stored[1], self._r.now) else stored[0]
        self._write([value if current is None else self._reduce(current, value), self._r.now])


class TtlAggregatingState(_Ttl, AggregatingState):
    """``AggregatingState`` with TTL: an expired accumulator starts over from ``create_accumulator()``."""

    def __init__(self, runner, name, spec, agg):
        super().__init__(runner, name, spec)
        self._agg = agg

    def get(self):
        acc = self._read_one()
        return None if acc is None else self._agg.get_result(acc)

    def add(self, value):
        stored = self._stored()
        acc = self._agg.create_accumulator() if stored is None or self._spec.expired(stored[1], self._r.now) \
            else stored[0]
        self._write([self._agg.add(value, acc), self._r.now])


class TtlListState(_Ttl, ListState):
    """``ListState`` with TTL per element."""

    def get(self):
        stored = self._stored() or []
        now = self._r.now
        alive = [e for e in stored if not self._spec.expired(e[1], now)]
        visible = stored if self._spec.return_expired else alive
        result = [e[0] for e in visible]
        if self._spec.renew_on_read:
            renewed = [[e[0], now] for e in alive]
            if renewed != stored:
                self._write(renewed or None)
        elif len(alive) != len(stored):
            self._write(alive or None)  # expired elements read are cleaned up
        return result

    def add(self, value):
        self._write((self._stored() or []) + [[value, self._r.now]])

    def add_all(self, values):
        now = self._r.now
        self._write((self._stored() or []) + [[v, now] for v in values])

    def update(self, values):
        now = self._r.now
        self._write([[v, now] for v in values] or None)


class TtlMapState(_Ttl, MapState):
    """``MapState`` with TTL per entry."""

    def _entries(self):
        """The entries a read may see (renewed or cleaned as the config says), as {key: value}."""
        stored = self._stored() or {}
        now = self._r.now
        alive = {k: e for k, e in stored.items() if not self._spec.expired(e[1], now)}
        visible = stored if self._spec.return_expired else alive
        result = {k: e[0] for k, e in visible.items()}
        if self._spec.renew_on_read:
            renewed = {k: [e[0], now] for k, e in alive.items()}
            if renewed != stored:
                self._write(renewed or None)
        elif len(alive) != len(stored):
            self._write(alive or None)
        return result

    def get(self, key):
        stored = self._stored() or {}
        entry = stored.get(key)
        if entry is None:
            return None
        now = self._r.now
        if self._spec.expired(entry[1], now):
            m = dict(stored)
            del m[key]
            self._write(m or None)
            return entry[0] if self._spec.return_expired else None
        if self._spec.renew_on_read and entry[1] != now:
            m = dict(stored)
            m[key] = [entry[0], now]
            self._write(m)
        return entry[0]

    def put(self, key, value):
        m = dict(self._stored() or {})
        m[key] = [value, self._r.now]
        self._write(m)

    def put_all(self, dict_value):
        m = dict(self._stored() or {})
        now = self._r.now
        m.update({k: [v, now] for k, v in dict_value.items()})
        self._write(m)

    def remove(self, key):
        m = dict(self._stored() or {})
        m.pop(key, None)
        self._write(m or None)

    def contains(self, key):
        return self.get(key) is not None

    def items(self):
        return list(self._entries().items())

    def keys(self):
        return list(self._entries().keys())

    def values(self):
        return list(self._entries().values())

    def is_empty(self):
        return not self._entries()
