"""State backends, as PyFlink's ``pyflink.datastream.state_backend``: where keyed state lives while the job
runs (option ``state.backend.type``). Both are snapshotted into the checkpoint directory."""

__all__ = ["StateBackend", "HashMapStateBackend", "EmbeddedRocksDBStateBackend"]


class StateBackend:
    """The base of state backends (PyFlink's)."""

    _TYPE = ""

    def _options(self) -> dict:
        return {"state.backend.type": self._TYPE}


class HashMapStateBackend(StateBackend):
    """Keyed state as objects on the engine's heap (the default): fastest, bounded by memory.

    >>> HashMapStateBackend()._options()
    {'state.backend.type': 'hashmap'}
    """

    _TYPE = "hashmap"

    def __repr__(self):
        return "HashMapStateBackend()"


class EmbeddedRocksDBStateBackend(StateBackend):
    """Keyed state in an embedded RocksDB per operator subtask, for state larger than memory.

    ``enable_incremental_checkpointing`` is accepted for PyFlink's signature; PyFlow's RocksDB snapshots are
    always full (a consistent scan under one RocksDB snapshot), so it must be ``None`` or ``False``.

    >>> EmbeddedRocksDBStateBackend()._options()
    {'state.backend.type': 'rocksdb'}
    """

    _TYPE = "rocksdb"

    def __init__(self, enable_incremental_checkpointing=None):
        if enable_incremental_checkpointing:
            raise ValueError("EmbeddedRocksDBStateBackend: PyFlow takes full RocksDB snapshots only; "
                             "leave enable_incremental_checkpointing unset")
        self._local_dirs = None

    def set_db_storage_paths(self, *paths: str) -> None:
        """Where the working databases go (option ``state.backend.rocksdb.localdir``; one path only)."""
        if len(paths) != 1 or not isinstance(paths[0], str) or not paths[0]:
            raise ValueError(f"set_db_storage_paths: PyFlow takes exactly one directory, got {paths!r}")
        self._local_dirs = paths[0]

    def get_db_storage_paths(self) -> list:
        """The working directories set (an empty list: the temp directory)."""
        return [self._local_dirs] if self._local_dirs else []

    def _options(self) -> dict:
        options = super()._options()
        if self._local_dirs:
            options["state.backend.rocksdb.localdir"] = self._local_dirs
        return options

    def __repr__(self):
        return "EmbeddedRocksDBStateBackend()"
