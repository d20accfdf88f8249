"""Runs a ``KeyedProcessFunction`` in the worker. Its state lives in the engine: with each batch the
engine sends every key's state (one pickled dict per key: state name -> value), the function runs
over the batch with that state, and the worker sends back the outputs, the state of every key it
changed, and the timers it registered or deleted. Timers fire in the engine, which sends them back
here with the state of their keys (docs/ARCHITECTURE.md, "Keyed process").
"""
import pickle

from pyflow._protocol.keys import decode_key
from pyflow.datastream.functions import KeyedProcessFunction, RuntimeContext, TimeDomain, TimerService
from pyflow.datastream.state import AggregatingState, ListState, MapState, ReducingState, ValueState
from pyflow.worker import keyed_state_ttl as ttl
from pyflow.worker.side_outputs import SideOutputs
from pyflow.worker.state_descriptors import DeclaredStates

NO_TIMESTAMP = -(2 ** 63)
REGISTER, DELETE = 0, 1


class KeyedProcessRunner:
    """One function instance and the keyed state of the batch (or timers) being processed."""

    def __init__(self, fn, subtask: int, parallelism: int, batch_mode: bool = False, restored_states=None):
        self.fn = fn
        self.declared = DeclaredStates(restored_states)
        self.states = {}  # key bytes -> dict of state name -> value, for the keys of the current call
        self.dirty = set()
        self.timer_ops = []
        self.key = None
        self._key_value = None
        self._key_decoded = True
        self.watermark = NO_TIMESTAMP
        self.now = 0
        self.sides = SideOutputs()
        self.ttl = {}  # state name -> (kind, TtlSpec) for states with a time-to-live
        self._context = _Context(self)
        fn.open(_RuntimeContext(self, subtask, parallelism, batch_mode))

    # ---- one call from the engine
    def begin(self, header: dict):
        self.watermark = header["watermark"]
        self.now = header["time"]
        self.states = {k: pickle.loads(v) for k, v in header["state"]}
        self.dirty = set()
        self.timer_ops = []

    def end(self) -> dict:
        """The trailer: changed state per key (None = no state left) and the timer operations."""
        changed = []
        for k in self.dirty:
            state = {name: self._purged(name, v) for name, v in self.states.get(k, {}).items()}
            state = {name: v for name, v in state.items() if v is not None}
            changed.append([k, pickle.dumps(state, pickle.HIGHEST_PROTOCOL) if state else None])
        trailer = {"state": changed, "timers": self.timer_ops}
        declared = self.declared.take_unreported()
        if declared:
            trailer["states"] = declared
        return trailer

    def _purged(self, name, value):
        """``value`` without what its TTL expired (states without TTL as they are)."""
        if name not in self.ttl or value is None:
            return value
        kind, spec = self.ttl[name]
        return ttl.purge(kind, value, spec, self.now)

    def state_handle(self, descriptor, plain, with_ttl, *extra):
        """The handle of ``descriptor``'s state: ``with_ttl`` when it has an enabled TTL, else ``plain``."""
        self.declared.declare(descriptor)
        config = getattr(descriptor, "_ttl_config", None)
        if config is None or not config.is_enabled():
            return plain(self, descriptor.name, *extra)
        spec = ttl.TtlSpec(config)
        self.ttl[descriptor.name] = (descriptor.kind, spec)
        return with_ttl(self, descriptor.name, spec, *extra)

    @property
    def key_value(self):
        """The current key as the key selector returned it; decoded only when asked for."""
        if not self._key_decoded:
            self._key_value = decode_key(self.key)
            self._key_decoded = True
        return self._key_value

    def _enter(self, key: bytes, timestamp: int, domain=None):
        self.key = key
        self._key_decoded = False
        self._context.ts = timestamp
        self._context.domain = domain
        self.states.setdefault(key, {})

    def process(self, keys, values, timestamps, emit, handler=None):
        """Runs ``handler`` (default: ``process_element``) per record; a co-process passes its input's."""
        handler = handler or self.fn.process_element
        for k, v, t in zip(keys, values, timestamps):
            self._enter(k, t)
            _emit_all(handler(v, self._context), t, emit)

    def process_input(self, input_index: int, keys, values, timestamps, emit):
        """Records of one input (a keyed process has only input 0; co_process.py has two)."""
        self.process(keys, values, timestamps, emit)

    def on_timers(self, timers, emit):
        for key, ts, domain in timers:
            self._enter(key, ts if domain == TimeDomain.EVENT_TIME else NO_TIMESTAMP, domain)
            _emit_all(self.fn.on_timer(ts, self._context), self._context.ts, emit)

    # ---- state access for the current key
    def require_key(self, what: str):
        """Overridden where there is no key (a co-process on non-keyed streams)."""

    def get(self, name):
        self.require_key("keyed state")
        return self.states[self.key].get(name)

    def put(self, name, value):
        self.require_key("keyed state")
        self.states[self.key][name] = value
        self.dirty.add(self.key)


def _emit_all(produced, timestamp, emit):
    if produced is None:
        return
    for out in produced:
        emit(out, timestamp)


class _Context(KeyedProcessFunction.OnTimerContext, TimerService):
    def __init__(self, runner):
        self._r = runner
        self.ts = NO_TIMESTAMP
        self.domain = None

    def get_current_key(self):
        return self._r.key_value

    def output(self, output_tag, value):
        self._r.sides.emit(output_tag, value, self.ts)

    def timestamp(self):
        return None if self.ts == NO_TIMESTAMP else self.ts

    def time_domain(self):
        return self.domain

    def timer_service(self):
        return self

    def current_processing_time(self) -> int:
        return self._r.now

    def current_watermark(self) -> int:
        return self._r.watermark

    def _timer(self, op, domain, timestamp):
        self._r.require_key("timers")
        if not isinstance(timestamp, int) or isinstance(timestamp, bool):
            raise TypeError(f"a timer time must be an int (epoch milliseconds), got {timestamp!r}")
        self._r.timer_ops.append([op, domain, self._r.key, timestamp])

    def register_event_time_timer(self, timestamp: int):
        self._timer(REGISTER, TimeDomain.EVENT_TIME, timestamp)

    def register_processing_time_timer(self, timestamp: int):
        self._timer(REGISTER, TimeDomain.PROCESSING_TIME, timestamp)

    def delete_event_time_timer(self, timestamp: int):
        self._timer(DELETE, TimeDomain.EVENT_TIME, timestamp)

    def delete_processing_time_timer(self, timestamp: int):
        self._timer(DELETE, TimeDomain.PROCESSING_TIME, timestamp)


class _RuntimeContext(RuntimeContext):
    def __init__(self, runner, subtask, parallelism, batch_mode):
        self._r = runner
        self._subtask = subtask
        self._parallelism = parallelism
        # PyFlink's name for it (its process-mode StreamingRuntimeContext): the keyed reduce adapter reads it.
        self._in_batch_execution_mode = batch_mode

    def get_index_of_this_subtask(self):
        return self._subtask

    def get_number_of_parallel_subtasks(self):
        return self._parallelism

    def get_state(self, d):
        return self._r.state_handle(d, _Value, ttl.TtlValueState)

    def get_list_state(self, d):
        return self._r.state_handle(d, _List, ttl.TtlListState)

    def get_map_state(self, d):
        return self._r.state_handle(d, _Map, ttl.TtlMapState)

    def get_reducing_state(self, d):
        return self._r.state_handle(d, _Reducing, ttl.TtlReducingState, d.reduce_function)

    def get_aggregating_state(self, d):
        if getattr(d, "kind", None) != "aggregating":
            raise TypeError(f"get_aggregating_state() takes an AggregatingStateDescriptor, got {d!r}")
        return self._r.state_handle(d, _Aggregating, ttl.TtlAggregatingState, d.agg_function)


class _Value(ValueState):
    def __init__(self, runner, name):
        self._r, self._name = runner, name

    def value(self):
        return self._r.get(self._name)

    def update(self, value):
        self._r.put(self._name, value)

    def clear(self):
        self._r.put(self._name, None)


class _List(ListState):
    def __init__(self, runner, name):
        self._r, self._name = runner, name

    def get(self):
        return list(self._r.get(self._name) or [])

    def add(self, value):
        self._r.put(self._name, (self._r.get(self._name) or []) + [value])

    def add_all(self, values):
        self._r.put(self._name, (self._r.get(self._name) or []) + list(values))

    def update(self, values):
        self._r.put(self._name, list(values) or None)

    def clear(self):
        self._r.put(self._name, None)


class _Map(MapState):
    def __init__(self, runner, name):
        self._r, self._name = runner, name

    def _map(self):
        return self._r.get(self._name) or {}

    def _write(self, m):
        self._r.put(self._name, m or None)

    def get(self, key):
        return self._map().get(key)

    def put(self, key, value):
        m = dict(self._map())
        m[key] = value
        self._write(m)

    def put_all(self, dict_value):
        m = dict(self._map())
        m.update(dict_value)
        self._write(m)

    def remove(self, key):
        m = dict(self._map())
        m.pop(key, None)
        self._write(m)

    def contains(self, key):
        return key in self._map()

    def items(self):
        return list(self._map().items())

    def keys(self):
        return list(self._map().keys())

    def values(self):
        return list(self._map().values())

    def is_empty(self):
        return not self._map()

    def clear(self):
        self._r.put(self._name, None)


class _Reducing(ReducingState):
    def __init__(self, runner, name, reduce):
        self._r, self._name, self._reduce = runner, name, reduce

    def get(self):
        return self._r.get(self._name)

    def add(self, value):
        current = self._r.get(self._name)
        self._r.put(self._name, value if current is None else self._reduce(current, value))

    def clear(self):
        self._r.put(self._name, None)


class _Aggregating(AggregatingState):
    def __init__(self, runner, name, agg):
        self._r, self._name, self._agg = runner, name, agg

    def get(self):
        acc = self._r.get(self._name)
        return None if acc is None else self._agg.get_result(acc)

    def add(self, value):
        acc = self._r.get(self._name)
        self._r.put(self._name, self._agg.add(value, self._agg.create_accumulator() if acc is None else acc))

    def clear(self):
        self._r.put(self._name, None)
