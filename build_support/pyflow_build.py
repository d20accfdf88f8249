"""PEP 517 backend: setuptools, after building the C# engine host into ``pyflow/_engine``.

``pip install .`` and ``pip install -e .`` (both with ``--no-build-isolation`` here, since PyPI
is out of reach) therefore ship a package that finds its engine without further steps.
"""
import os
import shutil
import subprocess

import platform_wheel  # beside this file: pyproject's backend-path puts build_support on sys.path
from setuptools import build_meta as _setuptools

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST_PROJECT = os.path.join(ROOT, "src", "PyBridge", "Host", "PyFlow.Host.csproj")
ENGINE_DIR = os.path.join(ROOT, "python", "pyflow", "_engine")


def _publish_engine():
    dotnet = shutil.which("dotnet")
    if dotnet is None:
        raise RuntimeError("building pyflow needs the .NET 10 SDK (`dotnet` on PATH) to compile its engine host")
    subprocess.run([dotnet, "publish", HOST_PROJECT, "-c", "Release", "-o", ENGINE_DIR, "--nologo", "-v", "quiet"], check=True)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _publish_engine()
    # setuptools copies into build/lib, and lists package files in python/pyflow.egg-info/SOURCES.txt, and
    # keeps what an earlier build left in either: a file gone from the engine (or one the package data no
    # longer names) would ride along. Start each wheel clean, so it holds exactly what pyproject says.
    shutil.rmtree(os.path.join(ROOT, "build"), ignore_errors=True)
    shutil.rmtree(os.path.join(ROOT, "python", "pyflow.egg-info"), ignore_errors=True)
    pure = _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    return platform_wheel.retag(os.path.join(wheel_directory, pure))


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    _publish_engine()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)


build_sdist = _setuptools.build_sdist
get_requires_for_build_wheel = _setuptools.get_requires_for_build_wheel
get_requires_for_build_editable = _setuptools.get_requires_for_build_editable
get_requires_for_build_sdist = _setuptools.get_requires_for_build_sdist
prepare_metadata_for_build_wheel = _setuptools.prepare_metadata_for_build_wheel
prepare_metadata_for_build_editable = _setuptools.prepare_metadata_for_build_editable
