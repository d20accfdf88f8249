"""The hooks that turn a PyFlink name PyFlow lacks into a clear ``NotImplementedError``.

A mirrored module sets ``__getattr__ = module_getattr(__name__)``; a stream class sets
``__getattr__ = pyflink_method_getattr``. Python calls ``__getattr__`` only when normal lookup fails, so a real
implementation (added later, anywhere in the class hierarchy or module) always wins over the hook, and the hook
only answers for names in PyFlink's table (``pyflink_names``); any other name is a plain ``AttributeError``.
"""
from pyflow._compat.pyflink_names import MODULES, methods_of

MIGRATION_DOC = "docs/migration.md"

# A PyFlow class that also stands for these PyFlink classes (window_all returns a WindowedStream).
CLASS_ALIASES = {"WindowedStream": ("AllWindowedStream",)}


class PyFlinkNameNotSupportedError(NotImplementedError):
    """A PyFlink module-level name (class, function) that PyFlow does not have yet.

    It is a ``NotImplementedError`` only (not an ``AttributeError``), so that ``from pyflow.x import Name``
    reports it as is instead of as "cannot import name".
    """

    def __init__(self, qualified_name: str):
        super().__init__(f"{qualified_name} is a PyFlink name PyFlow does not support yet; see {MIGRATION_DOC}")
        self.qualified_name = qualified_name


class PyFlinkMethodNotSupportedError(NotImplementedError, AttributeError):
    """A PyFlink method that PyFlow's class does not have yet.

    Also an ``AttributeError``, so ``hasattr(stream, "connect")`` and ``getattr(stream, "connect", None)`` still
    answer "absent" while a call names what is missing.
    """

    def __init__(self, qualified_name: str):
        super().__init__(f"{qualified_name} is a PyFlink method PyFlow does not support yet; see {MIGRATION_DOC}")
        self.qualified_name = qualified_name


def module_getattr(module_name: str):
    """The module-level ``__getattr__`` for the mirrored module ``module_name`` (a ``pyflow.`` path)."""
    if module_name not in MODULES:
        raise ValueError(f"{module_name} is not a module PyFlow mirrors from PyFlink (see pyflink_names.MODULES)")
    names = frozenset(MODULES[module_name])

    def __getattr__(name: str):
        if name in names:
            raise PyFlinkNameNotSupportedError(f"{module_name}.{name}")
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    return __getattr__


_methods_by_type = {}


def pyflink_methods_for(cls) -> frozenset:
    """The PyFlink methods of ``cls``: those of every PyFlink class it or its bases stand for."""
    methods = _methods_by_type.get(cls)
    if methods is None:
        names = []
        for base in cls.__mro__:
            names.append(base.__name__)
            names.extend(CLASS_ALIASES.get(base.__name__, ()))
        methods = _methods_by_type[cls] = methods_of(names)
    return methods


def pyflink_method_getattr(self, name: str):
    """Class-level ``__getattr__`` for the stream classes: a PyFlink method the class lacks raises
    ``PyFlinkMethodNotSupportedError``; anything else is the usual ``AttributeError``."""
    cls = type(self)
    if name in pyflink_methods_for(cls):
        raise PyFlinkMethodNotSupportedError(f"{cls.__name__}.{name}")
    raise AttributeError(f"{cls.__name__!r} object has no attribute {name!r}")
