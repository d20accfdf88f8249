"""Which record made a result too large for one frame (``pyflow.frame.max-size``): measured only on that error."""
import pickle
import reprlib

_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 80


def _size(value) -> int:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    try:
        return len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - an unpicklable value: its size is unknown, it is not the culprit we name
        return 0


def too_large_message(operator: str, values, frame_bytes: int, max_frame: int) -> str:
    """The error text: the operator, the frame's size, the largest record (position in the batch, size, start)."""
    values = list(values.tolist() if hasattr(values, "tolist") else values)
    sizes = [_size(v) for v in values]
    biggest = max(range(len(sizes)), key=sizes.__getitem__) if sizes else None
    record = ("" if biggest is None else
              f"; its largest record, number {biggest} of {len(values)} in the batch, is about {sizes[biggest]} bytes: "
              f"{_SHOW.repr(values[biggest])}")
    return (f"the results of operator '{operator}' for one batch are {frame_bytes} bytes, over the frame limit of "
            f"{max_frame} bytes{record}. Raise the option pyflow.frame.max-size (at most 1 gb, e.g. '512 mb'), lower "
            "python.fn-execution.arrow.batch.size, or make the records smaller")
