"""Regenerates the docs that are computed from the pyflow package:

    docs/migration.md   the PyFlink migration table (python/pyflow/_compat)
    docs/api.md         the API reference (the package's docstrings)

    .venv/bin/python tools/gen_docs.py           # write both
    .venv/bin/python tools/gen_docs.py --check   # exit 1 and name the stale ones (what the tests check)

Run it after changing a public name, a docstring, or PyFlow's coverage of PyFlink.
"""
import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def generated() -> dict:
    """path -> the text it should have."""
    from pyflow._compat import api_reference, migration
    return {ROOT / "docs" / "migration.md": migration.render(), ROOT / "docs" / "api.md": api_reference.render()}


def stale() -> list:
    """The generated docs whose file differs from what the package generates now."""
    return [path for path, text in generated().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate docs/migration.md and docs/api.md")
    parser.add_argument("--check", action="store_true", help="only check that they are current")
    args = parser.parse_args(argv)
    if args.check:
        paths = stale()
        for path in paths:
            print(f"{path.relative_to(ROOT)} is out of date: run .venv/bin/python tools/gen_docs.py", file=sys.stderr)
        return 1 if paths else 0
    for path, text in generated().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
