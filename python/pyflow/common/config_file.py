"""Default options from a file, as Flink reads ``conf/config.yaml``: when the environment variable
``PYFLOW_CONF_DIR`` names a directory, ``StreamExecutionEnvironment.get_execution_environment()``
starts from the options of its ``config.yaml``, and options given in code win over them. This is
how a whole set of scripts runs, say, in thread mode without changing them::

    # $PYFLOW_CONF_DIR/config.yaml
    python.execution-mode: thread
    parallelism.default: 2

The file holds flat ``key: value`` lines (Flink's classic form); ``#`` starts a comment, and a
value may be quoted. Nested YAML is refused with the line that has it.

>>> parse_options("# defaults\\npython.execution-mode: thread\\nx: 'a # b'\\n", "config.yaml")
{'python.execution-mode': 'thread', 'x': 'a # b'}
"""
import os

from pyflow.errors import PlanError

__all__ = ["CONF_DIR_VARIABLE", "FILE_NAME", "load_default_options", "parse_options"]

CONF_DIR_VARIABLE = "PYFLOW_CONF_DIR"
FILE_NAME = "config.yaml"


def load_default_options(environ: "dict | None" = None) -> dict:
    """The options of ``$PYFLOW_CONF_DIR/config.yaml`` (from ``environ``, default ``os.environ``); empty
    when the variable is unset or empty."""
    directory = (os.environ if environ is None else environ).get(CONF_DIR_VARIABLE, "")
    if not directory:
        return {}
    path = os.path.join(directory, FILE_NAME)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise PlanError(f"{CONF_DIR_VARIABLE} is {directory!r}, but its {FILE_NAME} cannot be read ({e.strerror}); "
                        f"create it, or unset {CONF_DIR_VARIABLE}") from None
    return parse_options(text, path)


def parse_options(text: str, where: str) -> dict:
    """``key: value`` lines as a dict of strings; a clear error names the line that is not one."""
    options = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw).rstrip()
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if raw[:1].isspace() or not sep or not key.strip():
            raise PlanError(f"{where}, line {number}: expected a flat 'key: value' line, got {raw.strip()!r} "
                            "(nested YAML is not supported: write the full option name as the key)")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif value == "":
            raise PlanError(f"{where}, line {number}: option {key.strip()!r} has no value "
                            "(nested YAML is not supported: write the full option name as the key)")
        options[key.strip()] = value
    return options


def _strip_comment(line: str) -> str:
    """``line`` without a ``#`` comment; a ``#`` inside quotes is kept."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line
