"""Stand-ins for the PyFlink modules PyFlow lacks (``pyflink_modules``): importing one works, and using any name
in it raises ``PyFlinkModuleNotSupportedError`` (a ``NotImplementedError``) naming the module and
docs/migration.md, instead of a bare ``ModuleNotFoundError`` at the import line.

The finder sits at the end of ``sys.meta_path`` and answers only for the listed names, so a real module file
(added later) is always found first; it is installed by ``pyflow/__init__.py``. A stand-in package (such as
``pyflow.table``) has an empty ``__path__``, so its listed submodules import through the finder too.
"""
import importlib.abc
import importlib.machinery
import sys
import types

from pyflow._compat.missing import MIGRATION_DOC, PyFlinkNameNotSupportedError
from pyflow._compat.pyflink_modules import PYFLINK_MODULES

_LISTED = frozenset(PYFLINK_MODULES)
_PACKAGES = frozenset(name.rsplit(".", 1)[0] for name in PYFLINK_MODULES)


class PyFlinkModuleNotSupportedError(PyFlinkNameNotSupportedError):
    """A name of a PyFlink module that PyFlow does not have at all (``pyflow.table``, the Kafka connector, ...)."""

    def __init__(self, module_name: str, name: str):
        super().__init__(f"{module_name}.{name}")
        # The module is what is missing, not just the name: say so (the base class words it for one name).
        self.args = (f"{module_name}.{name}: PyFlink's module {module_name.replace('pyflow', 'pyflink', 1)} is not "
                     f"supported by PyFlow yet; see {MIGRATION_DOC}",)


class MissingModule(types.ModuleType):
    """A PyFlink module PyFlow lacks: every public name raises ``PyFlinkModuleNotSupportedError``."""

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system, pickle, inspect and doctest probe dunders
            raise AttributeError(name)
        if self.__name__ + "." + name in _LISTED:  # a listed submodule not imported yet
            return importlib.import_module(self.__name__ + "." + name)
        raise PyFlinkModuleNotSupportedError(self.__name__, name)


class _Loader(importlib.abc.Loader):
    def create_module(self, spec):
        module = MissingModule(spec.name, f"Stand-in for PyFlink's {spec.name.replace('pyflow', 'pyflink', 1)}, "
                                          f"which PyFlow does not support yet; see {MIGRATION_DOC}.")
        if spec.name in _PACKAGES:
            module.__path__ = []
        return module

    def exec_module(self, module):
        """Nothing to run: the module's only behaviour is its ``__getattr__``."""


class MissingModuleFinder(importlib.abc.MetaPathFinder):
    """Finds the stand-ins; placed last on ``sys.meta_path`` so that real modules always win."""

    _loader = _Loader()

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _LISTED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self._loader, is_package=fullname in _PACKAGES)


def install() -> None:
    """Adds the finder to ``sys.meta_path`` once."""
    if not any(isinstance(f, MissingModuleFinder) for f in sys.meta_path):
        sys.meta_path.append(MissingModuleFinder())


def is_stand_in(module_name: str) -> bool:
    """Whether importing ``module_name`` gives a stand-in (PyFlow has no module of that name)."""
    return isinstance(importlib.import_module(module_name), MissingModule)
