"""The ``process`` stage: a (non-keyed) ``ProcessFunction`` over a batch, fused with its neighbours.
Main outputs keep the input record's timestamp; side records (``(tag, value)`` yielded, or
``ctx.output``) go to the chain's ``SideOutputs`` with that timestamp too."""
import time

from pyflow.datastream.functions import ProcessFunction, RuntimeContext, TimerService
from pyflow.worker.side_outputs import NO_TIMESTAMP, is_side_record


def process_stage(fn, name, sides, subtask: int, parallelism: int):
    """The stage function ``Rows -> Rows`` running ``fn.process_element`` per record."""
    from pyflow.worker.stages import USER_ERRORS, RecordError  # stages imports this module
    fn.open(_RuntimeContext(subtask, parallelism))
    ctx = _Context(sides)

    def run(rows: "Rows") -> "Rows":
        out, index = [], []
        stamps = rows.ts.tolist() if rows.ts is not None else None
        valid = rows.ts_valid.tolist() if rows.ts_valid is not None else None
        i = 0
        try:
            for i, v in enumerate(rows.values):
                ts = NO_TIMESTAMP if stamps is None or (valid is not None and not valid[i]) else stamps[i]
                ctx.ts = ts
                produced = fn.process_element(v, ctx)
                if produced is None:
                    continue
                for o in produced:
                    if is_side_record(o):
                        sides.emit(o[0], o[1], ts)
                    else:
                        out.append(o)
                        index.append(i)
        except USER_ERRORS as e:
            raise RecordError(i, e) from e
        return rows.take(index, out)
    return run


class _Context(ProcessFunction.Context, TimerService):
    def __init__(self, sides):
        self._sides = sides
        self.ts = NO_TIMESTAMP

    def timestamp(self):
        return None if self.ts == NO_TIMESTAMP else self.ts

    def timer_service(self):
        return self

    def output(self, output_tag, value):
        self._sides.emit(output_tag, value, self.ts)

    def current_processing_time(self) -> int:
        return int(time.time() * 1000)

    def current_watermark(self) -> int:
        raise NotImplementedError("current_watermark() in a non-keyed ProcessFunction is not available yet (planned); "
                                  "key the stream and use a KeyedProcessFunction, whose timer service has it")

    def _no_timers(self, *_):
        raise TypeError("timers need a keyed stream, as in Flink: key_by(...) and use a KeyedProcessFunction")

    register_event_time_timer = register_processing_time_timer = _no_timers
    delete_event_time_timer = delete_processing_time_timer = _no_timers


class _RuntimeContext(RuntimeContext):
    def __init__(self, subtask, parallelism):
        self._subtask, self._parallelism = subtask, parallelism

    def get_index_of_this_subtask(self):
        return self._subtask

    def get_number_of_parallel_subtasks(self):
        return self._parallelism

    def _keyed_only(self, *_):
        raise TypeError("keyed state needs a keyed stream: key_by(...) and use a KeyedProcessFunction")

    get_state = get_list_state = get_map_state = get_reducing_state = get_aggregating_state = _keyed_only
