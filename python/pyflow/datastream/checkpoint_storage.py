"""Where checkpoints go, as PyFlink's ``pyflink.datastream.checkpoint_storage``: PyFlow keeps them in a
local directory (``FileSystemCheckpointStorage``), option ``state.checkpoints.dir``."""
import os

__all__ = ["CheckpointStorage", "FileSystemCheckpointStorage"]


class CheckpointStorage:
    """The base of checkpoint storages (PyFlink's). PyFlow has one: ``FileSystemCheckpointStorage``."""

    def _directory(self) -> str:
        raise NotImplementedError


class FileSystemCheckpointStorage(CheckpointStorage):
    """Checkpoints in a directory: one ``chk-N`` folder per completed checkpoint, readable by the owner only.

    ``checkpoint_path`` is a local path or a ``file://`` URI (PyFlow has no remote file systems).

    >>> FileSystemCheckpointStorage("file:///tmp/ckpts").get_checkpoint_path()
    'file:///tmp/ckpts'
    """

    def __init__(self, checkpoint_path: str, file_state_size_threshold=None, write_buffer_size: int = -1):
        if not isinstance(checkpoint_path, (str, os.PathLike)) or not str(checkpoint_path):
            raise TypeError(f"FileSystemCheckpointStorage needs a directory path, got {checkpoint_path!r}")
        path = os.fspath(checkpoint_path)
        if "://" in path and not path.startswith("file://"):
            raise ValueError(f"FileSystemCheckpointStorage: PyFlow keeps checkpoints in local directories; "
                             f"give a path or a file:// URI, not {path!r}")
        self._path = path

    def get_checkpoint_path(self) -> str:
        """The directory (or ``file://`` URI) given."""
        return self._path

    def _directory(self) -> str:
        return self._path

    def __repr__(self):
        return f"FileSystemCheckpointStorage({self._path!r})"
