"""Runs a co-function after ``connect`` (``pyflow.datastream._co_functions.CoFunction``) with the
keyed-process machinery of keyed_process.py: each KEYED_BATCH holds one input's records and names the
input in its header, and the runner calls ``process_element1`` or ``process_element2``. On keyed
streams both inputs share each key's state and timers; on non-keyed ones there is no key, and state
or timers are refused with an error that says why (as Flink does).
"""
from pyflow.worker.keyed_process import KeyedProcessRunner


class CoProcessRunner(KeyedProcessRunner):
    """A ``KeyedProcessRunner`` with two inputs."""

    def __init__(self, fn, subtask: int, parallelism: int, batch_mode: bool = False, restored_states=None):
        self._keyed = fn.keyed
        super().__init__(fn, subtask, parallelism, batch_mode, restored_states)
        self._handlers = (fn.process_element1, fn.process_element2)

    def process_input(self, input_index: int, keys, values, timestamps, emit):
        if keys is None:
            keys = [None] * len(values)
        self.process(keys, values, timestamps, emit, self._handlers[input_index])

    def require_key(self, what: str):
        if not self._keyed:
            raise RuntimeError(f"{what} need keyed streams, but {self.fn.describe} runs on connected streams that are "
                               "not both keyed: key both streams (key_by on each before connect, or "
                               "connected.key_by(key_selector1, key_selector2)) to use them")
