"""Where the engine host is and how to start it. The only place that reads ``PYFLOW_ENGINE_HOST``.

Resolution, once per launch:

1. ``PYFLOW_ENGINE_HOST``, when set: the path of ``PyFlow.Host.dll`` (a documented override, e.g. for a
   host built elsewhere);
2. else ``<pyflow package dir>/_engine/PyFlow.Host.dll``, where the build and ``pip install`` put it.

The host runs as ``dotnet <dll>``, with the ``dotnet`` found on PATH.
"""
import os
import shutil

from pyflow.errors import EngineHostNotFoundError

ENV_VAR = "PYFLOW_ENGINE_HOST"
HOST_DLL = "PyFlow.Host.dll"
_BUILD_HINT = ("Build it with `./dev build` in a source checkout, "
               "or reinstall with `pip install . --no-build-isolation`.")


def default_host_path() -> str:
    """``<pyflow package dir>/_engine/PyFlow.Host.dll``."""
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(package_dir, "_engine", HOST_DLL)


def locate_host() -> str:
    """The absolute path of ``PyFlow.Host.dll``; raises EngineHostNotFoundError saying where it looked
    and how to build or install the host."""
    override = os.environ.get(ENV_VAR)
    if override:
        path = os.path.abspath(os.path.expanduser(override))
        if os.path.isdir(path):
            raise EngineHostNotFoundError(
                f"{ENV_VAR} is set to {override!r}, a directory; it must be the path of {HOST_DLL} itself, "
                f"e.g. {os.path.join(path, HOST_DLL)!r}. Fix {ENV_VAR}, or unset it to use the installed host.")
        if not os.path.isfile(path):
            raise EngineHostNotFoundError(
                f"{ENV_VAR} is set to {override!r}, but there is no file there. Point it at {HOST_DLL}, or unset "
                f"it to use the installed host ({default_host_path()}). {_BUILD_HINT}")
        return path
    path = default_host_path()
    if not os.path.isfile(path):
        raise EngineHostNotFoundError(
            f"the PyFlow engine host was not found at {path} ({ENV_VAR} is not set). {_BUILD_HINT}")
    return path


def host_command() -> list:
    """The command that starts the engine host: ``[dotnet, PyFlow.Host.dll]``."""
    dll = locate_host()
    dotnet = shutil.which("dotnet")
    if dotnet is None:
        raise EngineHostNotFoundError(
            "`dotnet` is not on PATH, and the PyFlow engine host runs on .NET. Install the .NET 10 runtime "
            "(https://dotnet.microsoft.com/download/dotnet/10.0) and make sure `dotnet` is on PATH.")
    return [dotnet, dll]
