"""Turning a user function (a callable or a ``Function`` object) into the bytes a worker runs."""
import cloudpickle

from pyflow.datastream.functions import Function
from pyflow.errors import PlanError


def pickle_function(func, interface: type, method: str, api: str, operator: str) -> bytes:
    """Cloudpickles ``func`` as a plain callable: an ``interface`` instance becomes its bound ``method``.

    ``api`` names the call for errors (``"DataStream.map"``), ``operator`` the node being added.
    Raises TypeError for a non-callable and PlanError for a function that cannot be pickled.

    >>> import cloudpickle
    >>> from pyflow.datastream.functions import MapFunction
    >>> fn = cloudpickle.loads(pickle_function(lambda x: x + 1, MapFunction, "map", "DataStream.map", "Map"))
    >>> fn(1)
    2
    """
    if isinstance(func, interface):
        fn = getattr(func, method)  # open() and close() travel with the bound method (worker/lifecycle.py)
    elif callable(func):
        fn = func
    else:
        raise TypeError(f"{api}() expects a callable or a {interface.__name__}, got {_describe(func)}")
    try:
        return cloudpickle.dumps(fn)
    except Exception as e:  # noqa: BLE001 - pickling fails with many types (TypeError, PicklingError, ...)
        raise PlanError(
            f"{api}(): the function of operator '{operator}' cannot be pickled ({type(e).__name__}: {e}). "
            "Python functions run in worker processes, so they must be picklable: define the function at module "
            "level or avoid capturing unpicklable objects such as open files or locks "
            "(create those inside the function instead).") from e


def _describe(value) -> str:
    kind = type(value)
    if isinstance(value, Function):
        return f"a {kind.__qualname__} (a {kind.__mro__[1].__name__}, which this method does not take)"
    text = repr(value)
    return f"{kind.__qualname__} {text if len(text) <= 60 else text[:57] + '...'}"
