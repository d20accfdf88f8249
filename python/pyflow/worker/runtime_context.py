"""The ``RuntimeContext`` given to ``open()`` of a map, flat_map or filter function object: which subtask
it runs in. Keyed state is refused there (no key), as in Flink: it needs a keyed process function."""
from pyflow.datastream.functions import Function, RuntimeContext


class PlainRuntimeContext(RuntimeContext):
    """Subtask index and parallelism of one Python operator subtask."""

    def __init__(self, task: str, subtask: int, parallelism: int):
        self._task, self._subtask, self._parallelism = task, subtask, parallelism

    def get_task_name(self) -> str:
        return self._task

    def get_index_of_this_subtask(self) -> int:
        return self._subtask

    def get_number_of_parallel_subtasks(self) -> int:
        return self._parallelism

    def _no_state(self, descriptor):
        raise RuntimeError(f"keyed state ('{getattr(descriptor, 'name', descriptor)}') needs a keyed stream: use "
                           "key_by(...).process(KeyedProcessFunction) (or a KeyedCoProcessFunction after connect) "
                           "to keep state per key")

    get_state = get_list_state = get_map_state = get_reducing_state = get_aggregating_state = _no_state


def open_function(fn, context: PlainRuntimeContext) -> None:
    """Calls ``open(context)`` on the function object behind ``fn`` (a bound ``map``/``flat_map``/... of a
    ``Function``) when its class defines one; plain callables have nothing to open."""
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, Function) and type(owner).open is not Function.open:
        owner.open(context)
