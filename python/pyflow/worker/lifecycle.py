"""``close()`` of the user function objects of a chain, when the engine closes it (CLOSE frame in process
mode, ``embedded.close`` in thread mode): at the end of input, once per subtask, after the last record."""
from pyflow.datastream.functions import Function


def function_object(fn):
    """The ``Function`` behind ``fn``: ``fn`` itself, or the owner of a bound method (``MyMap().map``);
    None for plain callables, which have nothing to close."""
    if isinstance(fn, Function):
        return fn
    owner = getattr(fn, "__self__", None)
    return owner if isinstance(owner, Function) else None


def close_functions(functions) -> None:
    """Calls ``close()`` once on each distinct function object of ``functions`` (in chain order)."""
    seen = set()
    for fn in functions:
        owner = function_object(fn)
        if owner is None or id(owner) in seen:
            continue
        seen.add(id(owner))
        owner.close()
