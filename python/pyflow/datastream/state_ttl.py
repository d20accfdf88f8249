"""``StateTtlConfig``, as PyFlink's: time-to-live for Python keyed state (value, list per element, map per
entry, reducing and aggregating state), set with ``StateDescriptor.enable_time_to_live``.

Each value, element or entry keeps its last-access time (processing time, milliseconds); it is expired once
``last access + ttl <= now``. Expired state is dropped from the key's stored state whenever the key's state
is written (PyFlow's background cleanup: the engine stores Python state as one blob per key), and on read.

>>> from pyflow.common.time import Time
>>> ttl = (StateTtlConfig.new_builder(Time.seconds(1))
...        .set_update_type(StateTtlConfig.UpdateType.OnReadAndWrite)
...        .set_state_visibility(StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp)
...        .build())
>>> ttl.get_ttl().to_milliseconds(), ttl.get_update_type().name, ttl.is_enabled()
(1000, 'OnReadAndWrite', True)
"""
from abc import ABC
from enum import Enum

__all__ = ["StateTtlConfig"]


def _millis(ttl, what: str) -> int:
    to_ms = getattr(ttl, "to_milliseconds", None)
    if to_ms is None:
        raise TypeError(f"{what} takes a Time or Duration (Time.seconds(10)), got {ttl!r}")
    ms = to_ms()
    if ms <= 0:
        raise ValueError(f"{what}: the time-to-live must be positive, got {ms} ms")
    from pyflow.common.time import check_millis
    return check_millis(ms, f"{what}: the time-to-live", least=1)


class StateTtlConfig:
    """Time-to-live of a state: build one with ``StateTtlConfig.new_builder(Time.seconds(n))...build()``."""

    class UpdateType(Enum):
        """When a value's last-access time is renewed."""
        Disabled = 0
        OnCreateAndWrite = 1
        OnReadAndWrite = 2

    class StateVisibility(Enum):
        """Whether a read may return an expired value that is still stored."""
        ReturnExpiredIfNotCleanedUp = 0
        NeverReturnExpired = 1

    class TtlTimeCharacteristic(Enum):
        """The time TTL is measured in: processing time only, as in Flink."""
        ProcessingTime = 0

    def __init__(self, update_type, state_visibility, ttl_time_characteristic, ttl, cleanup_strategies):
        self._update_type = update_type
        self._state_visibility = state_visibility
        self._ttl_time_characteristic = ttl_time_characteristic
        self._ttl = ttl
        self._ttl_ms = _millis(ttl, "StateTtlConfig")
        self._cleanup_strategies = cleanup_strategies

    @staticmethod
    def new_builder(ttl) -> "StateTtlConfig.Builder":
        """A builder for a TTL of ``ttl`` (a ``Time`` or ``Duration``)."""
        return StateTtlConfig.Builder(ttl)

    def get_update_type(self) -> "StateTtlConfig.UpdateType":
        """When the last-access time is renewed."""
        return self._update_type

    def get_state_visibility(self) -> "StateTtlConfig.StateVisibility":
        """Whether expired values can be read before cleanup."""
        return self._state_visibility

    def get_ttl(self):
        """The time-to-live, as given to the builder."""
        return self._ttl

    def get_ttl_time_characteristic(self) -> "StateTtlConfig.TtlTimeCharacteristic":
        """The time TTL is measured in (processing time)."""
        return self._ttl_time_characteristic

    def is_enabled(self) -> bool:
        """False when the update type is ``Disabled``."""
        return self._update_type != StateTtlConfig.UpdateType.Disabled

    def get_cleanup_strategies(self) -> "StateTtlConfig.CleanupStrategies":
        """The cleanup strategies set on the builder."""
        return self._cleanup_strategies

    def _spec(self) -> tuple:
        """(ttl ms, renew on read, return expired) for the worker."""
        return (self._ttl_ms, self._update_type == StateTtlConfig.UpdateType.OnReadAndWrite,
                self._state_visibility == StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp)

    def __repr__(self):
        return (f"StateTtlConfig(ttl={self._ttl_ms} ms, update_type={self._update_type.name}, "
                f"state_visibility={self._state_visibility.name})")

    class Builder:
        """Builds a ``StateTtlConfig``; defaults as Flink's: OnCreateAndWrite, NeverReturnExpired,
        ProcessingTime, cleanup in background."""

        def __init__(self, ttl):
            _millis(ttl, "StateTtlConfig.new_builder")
            self._ttl = ttl
            self._update_type = StateTtlConfig.UpdateType.OnCreateAndWrite
            self._state_visibility = StateTtlConfig.StateVisibility.NeverReturnExpired
            self._ttl_time_characteristic = StateTtlConfig.TtlTimeCharacteristic.ProcessingTime
            self._is_cleanup_in_background = True
            self._strategies = {}

        def set_update_type(self, update_type) -> "StateTtlConfig.Builder":
            """Sets when the last-access time is renewed (``StateTtlConfig.UpdateType``)."""
            if not isinstance(update_type, StateTtlConfig.UpdateType):
                raise TypeError(f"set_update_type() takes a StateTtlConfig.UpdateType, got {update_type!r}")
            self._update_type = update_type
            return self

        def update_ttl_on_create_and_write(self) -> "StateTtlConfig.Builder":
            """Renews the last-access time on writes only."""
            return self.set_update_type(StateTtlConfig.UpdateType.OnCreateAndWrite)

        def update_ttl_on_read_and_write(self) -> "StateTtlConfig.Builder":
            """Renews the last-access time on reads and writes."""
            return self.set_update_type(StateTtlConfig.UpdateType.OnReadAndWrite)

        def set_state_visibility(self, state_visibility) -> "StateTtlConfig.Builder":
            """Sets whether expired values may be read (``StateTtlConfig.StateVisibility``)."""
            if not isinstance(state_visibility, StateTtlConfig.StateVisibility):
                raise TypeError(f"set_state_visibility() takes a StateTtlConfig.StateVisibility, got {state_visibility!r}")
            self._state_visibility = state_visibility
            return self

        def return_expired_if_not_cleaned_up(self) -> "StateTtlConfig.Builder":
            """An expired value still stored is returned once (then cleaned up)."""
            return self.set_state_visibility(StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp)

        def never_return_expired(self) -> "StateTtlConfig.Builder":
            """An expired value is never returned."""
            return self.set_state_visibility(StateTtlConfig.StateVisibility.NeverReturnExpired)

        def set_ttl_time_characteristic(self, ttl_time_characteristic) -> "StateTtlConfig.Builder":
            """Sets the time TTL is measured in; only ``ProcessingTime`` exists, as in Flink."""
            if not isinstance(ttl_time_characteristic, StateTtlConfig.TtlTimeCharacteristic):
                raise TypeError("set_ttl_time_characteristic() takes StateTtlConfig.TtlTimeCharacteristic."
                                f"ProcessingTime, got {ttl_time_characteristic!r}")
            self._ttl_time_characteristic = ttl_time_characteristic
            return self

        def use_processing_time(self) -> "StateTtlConfig.Builder":
            """Measures TTL in processing time (the only choice)."""
            return self.set_ttl_time_characteristic(StateTtlConfig.TtlTimeCharacteristic.ProcessingTime)

        def cleanup_full_snapshot(self) -> "StateTtlConfig.Builder":
            """Accepted as in Flink; PyFlow's snapshots hold the stored state, which never keeps state expired
            before the key's last write."""
            self._strategies[StateTtlConfig.CleanupStrategies.Strategies.FULL_STATE_SCAN_SNAPSHOT] = \
                StateTtlConfig.CleanupStrategies.EMPTY_STRATEGY
            return self

        def cleanup_incrementally(self, cleanup_size: int, run_cleanup_for_every_record) -> "StateTtlConfig.Builder":
            """Accepted as in Flink (the strategy is kept for its getter); PyFlow cleans a key's expired state
            whenever the key's state is written."""
            self._strategies[StateTtlConfig.CleanupStrategies.Strategies.INCREMENTAL_CLEANUP] = \
                StateTtlConfig.CleanupStrategies.IncrementalCleanupStrategy(cleanup_size, run_cleanup_for_every_record)
            return self

        def cleanup_in_rocksdb_compact_filter(self, query_time_after_num_entries,
                                              periodic_compaction_time=None) -> "StateTtlConfig.Builder":
            """Accepted as in Flink (kept for its getter); cleanup is as for ``cleanup_incrementally``."""
            self._strategies[StateTtlConfig.CleanupStrategies.Strategies.ROCKSDB_COMPACTION_FILTER] = \
                StateTtlConfig.CleanupStrategies.RocksdbCompactFilterCleanupStrategy(query_time_after_num_entries,
                                                                                    periodic_compaction_time)
            return self

        def disable_cleanup_in_background(self) -> "StateTtlConfig.Builder":
            """Records that no background cleanup is wanted (``is_cleanup_in_background()`` is False); expired
            values are still dropped when their key's state is written and never returned when
            NeverReturnExpired."""
            self._is_cleanup_in_background = False
            return self

        def set_ttl(self, ttl) -> "StateTtlConfig.Builder":
            """Sets the time-to-live (a ``Time`` or ``Duration``)."""
            _millis(ttl, "StateTtlConfig.Builder.set_ttl")
            self._ttl = ttl
            return self

        def build(self) -> "StateTtlConfig":
            """The configuration."""
            return StateTtlConfig(self._update_type, self._state_visibility, self._ttl_time_characteristic,
                                  self._ttl, StateTtlConfig.CleanupStrategies(dict(self._strategies),
                                                                              self._is_cleanup_in_background))

    class CleanupStrategies:
        """The cleanup strategies of a ``StateTtlConfig`` (kept as configured, for their getters)."""

        class Strategies(Enum):
            """The kinds of cleanup."""
            FULL_STATE_SCAN_SNAPSHOT = 0
            INCREMENTAL_CLEANUP = 1
            ROCKSDB_COMPACTION_FILTER = 2

        class CleanupStrategy(ABC):
            """Base of the strategies."""

        class EmptyCleanupStrategy(CleanupStrategy):
            """A strategy without settings."""

        class IncrementalCleanupStrategy(CleanupStrategy):
            """``cleanup_incrementally``'s settings."""

            def __init__(self, cleanup_size: int, run_cleanup_for_every_record: bool):
                if not isinstance(cleanup_size, int) or cleanup_size <= 0:
                    raise ValueError(f"cleanup_incrementally(): cleanup_size must be a positive int, got {cleanup_size!r}")
                self._cleanup_size = cleanup_size
                self._run_cleanup_for_every_record = bool(run_cleanup_for_every_record)

            def get_cleanup_size(self) -> int:
                """Entries checked per cleanup step."""
                return self._cleanup_size

            def run_cleanup_for_every_record(self) -> bool:
                """Whether a cleanup step runs per record."""
                return self._run_cleanup_for_every_record

        class RocksdbCompactFilterCleanupStrategy(CleanupStrategy):
            """``cleanup_in_rocksdb_compact_filter``'s settings."""

            def __init__(self, query_time_after_num_entries: int, periodic_compaction_time=None):
                self._query_time_after_num_entries = query_time_after_num_entries
                self._periodic_compaction_time = periodic_compaction_time

            def get_query_time_after_num_entries(self) -> int:
                """Entries processed before the current time is queried again."""
                return self._query_time_after_num_entries

            def get_periodic_compaction_time(self):
                """The periodic compaction time, or None."""
                return self._periodic_compaction_time

        EMPTY_STRATEGY = None  # set below (an instance of EmptyCleanupStrategy)

        def __init__(self, strategies: dict, is_cleanup_in_background: bool):
            self._strategies = strategies
            self._is_cleanup_in_background = is_cleanup_in_background

        def is_cleanup_in_background(self) -> bool:
            """Whether background cleanup is on (the default)."""
            return self._is_cleanup_in_background

        def in_full_snapshot(self) -> bool:
            """Whether ``cleanup_full_snapshot()`` was set."""
            return StateTtlConfig.CleanupStrategies.Strategies.FULL_STATE_SCAN_SNAPSHOT in self._strategies

        def get_incremental_cleanup_strategy(self):
            """``cleanup_incrementally``'s settings, or None."""
            return self._strategies.get(StateTtlConfig.CleanupStrategies.Strategies.INCREMENTAL_CLEANUP)

        def get_rocksdb_compact_filter_cleanup_strategy(self):
            """``cleanup_in_rocksdb_compact_filter``'s settings, or None."""
            return self._strategies.get(StateTtlConfig.CleanupStrategies.Strategies.ROCKSDB_COMPACTION_FILTER)


StateTtlConfig.CleanupStrategies.EMPTY_STRATEGY = StateTtlConfig.CleanupStrategies.EmptyCleanupStrategy()
