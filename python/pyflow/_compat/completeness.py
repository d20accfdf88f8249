"""Which of PyFlink's names (``pyflink_names``) PyFlow has: each is ``supported``, ``placeholder`` (defined, but
its body only raises ``NotImplementedError``) or ``missing`` (the ``missing`` hooks answer for it).

>>> status = module_name_status("pyflow.common", "Types")
>>> status.state
'supported'
"""
import ast
import importlib
import inspect
import textwrap
from dataclasses import dataclass

from pyflow._compat.missing import PyFlinkMethodNotSupportedError, PyFlinkNameNotSupportedError
from pyflow._compat.pyflink_names import CLASS_METHODS, MODULES

SUPPORTED, PLACEHOLDER, MISSING = "supported", "placeholder", "missing"


@dataclass(frozen=True)
class NameStatus:
    """One PyFlink name: where (``owner`` is a module path or a class name), what, and how PyFlow has it.
    ``detail`` is the error message for a missing name, or why a class's methods could not be looked at."""

    owner: str
    name: str
    state: str
    detail: str = ""

    @property
    def qualified(self) -> str:
        """``owner.name``."""
        return f"{self.owner}.{self.name}"


def is_placeholder(obj) -> bool:
    """True when ``obj`` is a function whose body (after its docstring) is only ``raise NotImplementedError...``,
    or a class whose own ``__init__`` is such a function."""
    if inspect.isclass(obj):
        return "__init__" in vars(obj) and is_placeholder(vars(obj)["__init__"])
    fn = inspect.unwrap(getattr(obj, "__func__", obj))
    if not inspect.isfunction(fn):
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)) \
        else []
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    exc = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def module_name_status(module_name: str, name: str) -> NameStatus:
    """How ``module_name`` (a ``pyflow.`` path) has PyFlink's ``name``."""
    module = importlib.import_module(module_name)
    try:
        obj = getattr(module, name)
    except PyFlinkNameNotSupportedError as e:
        return NameStatus(module_name, name, MISSING, str(e))
    return NameStatus(module_name, name, PLACEHOLDER if is_placeholder(obj) else SUPPORTED)


def method_status(owner_name: str, instance, method: str) -> NameStatus:
    """How ``instance`` (an object of the PyFlow class standing for PyFlink's ``owner_name``) has ``method``."""
    try:
        obj = getattr(instance, method)
    except PyFlinkMethodNotSupportedError as e:
        return NameStatus(owner_name, method, MISSING, str(e))
    return NameStatus(owner_name, method, PLACEHOLDER if is_placeholder(obj) else SUPPORTED)


def sample_instances() -> dict:
    """An object for each class of ``CLASS_METHODS``, built as a user would (plans only; nothing runs), or, when
    PyFlow cannot build one yet, the reason as a str."""
    from pyflow.common import Time, Types
    from pyflow.datastream import StreamExecutionEnvironment
    from pyflow.datastream.window import TumblingEventTimeWindows

    env = StreamExecutionEnvironment.get_execution_environment()
    ds = env.from_collection([1, 2], type_info=Types.INT())
    keyed = ds.key_by(lambda v: v % 2)
    out = {"StreamExecutionEnvironment": env, "DataStream": ds, "KeyedStream": keyed, "Types": Types,
           "WindowedStream": keyed.window(TumblingEventTimeWindows.of(Time.seconds(1))),
           "AllWindowedStream": ds.window_all(TumblingEventTimeWindows.of(Time.seconds(1)))}
    try:
        connect = ds.connect
    except NotImplementedError:
        out["ConnectedStreams"] = "no ConnectedStreams yet: DataStream.connect is missing"
    else:
        out["ConnectedStreams"] = connect(env.from_collection([3], type_info=Types.INT()))
    return out


def all_statuses() -> list:
    """Every name of the table, in table order: the module names, then each class's methods."""
    statuses = [module_name_status(module, name) for module, names in MODULES.items() for name in names]
    instances = sample_instances()
    for class_name, (_, methods) in CLASS_METHODS.items():
        instance = instances[class_name]
        for method in methods:
            if isinstance(instance, str):
                statuses.append(NameStatus(class_name, method, MISSING, instance))
            else:
                statuses.append(method_status(class_name, instance, method))
    return statuses
