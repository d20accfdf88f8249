"""The API reference (docs/api.md) is generated from the package and current, every public name has a docstring,
and the docstring examples of every pyflow module run (doctest)."""
import doctest
import importlib
import pathlib
import pkgutil
import sys

import pytest

import pyflow
from pyflow._compat import api_reference

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import gen_docs  # noqa: E402

ALL_MODULES = sorted(info.name for info in pkgutil.walk_packages(pyflow.__path__, "pyflow.")
                     if not info.name.endswith("__main__"))  # importing a __main__ runs it


def test_every_public_name_has_a_docstring():
    assert api_reference.undocumented() == []


def test_api_reference_covers_the_public_modules():
    modules = api_reference.api_modules()
    assert {"pyflow.common", "pyflow.common.typeinfo", "pyflow.common.time", "pyflow.common.watermark_strategy",
            "pyflow.common.configuration", "pyflow.datastream", "pyflow.datastream.functions",
            "pyflow.datastream.state", "pyflow.datastream.window", "pyflow.datastream.connectors",
            "pyflow.errors"} <= set(modules)
    assert not any(m.startswith("pyflow.worker") or "._" in m for m in modules)
    text = api_reference.render()
    assert "### class `StreamExecutionEnvironment(configuration: 'Configuration | None' = None)`" in text
    assert "- `key_by(self, key_selector, key_type: 'TypeInformation | None' = None) -> 'KeyedStream'`" in text


def test_api_reference_is_current():
    path = ROOT / "docs" / "api.md"
    assert path not in gen_docs.stale(), "docs/api.md is out of date: run .venv/bin/python tools/gen_docs.py"


def test_gen_docs_check_fails_on_a_stale_file(tmp_path, monkeypatch):
    monkeypatch.setattr(gen_docs, "ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    assert gen_docs.main(["--check"]) == 1  # nothing written yet
    assert gen_docs.main([]) == 0
    assert gen_docs.main(["--check"]) == 0
    (tmp_path / "docs" / "api.md").write_text("edited by hand\n", encoding="utf-8")
    assert gen_docs.main(["--check"]) == 1


@pytest.mark.parametrize("module_name", ALL_MODULES)
def test_docstring_examples_run(module_name):
    result = doctest.testmod(importlib.import_module(module_name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {module_name} failed (output above)"


def test_the_docstring_examples_are_many():
    attempted = sum(doctest.testmod(importlib.import_module(m), optionflags=doctest.ELLIPSIS).attempted
                    for m in ALL_MODULES)
    assert attempted >= 90
