"""The option ``pyflow.print.format``: how ``DataStream.print()`` writes a record.

- ``python`` (default): ``str(record)``, Python's text (``('a', 1)``, ``Row(f0='a', f1=1)``);
- ``flink``: the text Flink's Java ``toString`` gives a record of the stream's declared type, as PyFlink prints
  (``(a,1)`` for a TUPLE, ``+I[a, 1]`` for a ROW; pickled records still as ``str``). See
  ``pyflow._protocol.flink_text``.

Validated when the plan is built, with the type of every printed stream.
"""
from pyflow.errors import PlanError

OPTION = "pyflow.print.format"
VALUES = ("python", "flink")


def print_format(config: dict) -> str:
    """The validated value of the option in a plan's ``config`` (``python`` when unset)."""
    value = config.get(OPTION, "python")
    mode = value.strip().lower()
    if mode not in VALUES:
        raise PlanError(f"configuration option {OPTION!r} must be one of {', '.join(VALUES)}, got {value!r}; "
                        f"e.g. Configuration().set_string({OPTION!r}, 'flink')")
    return mode


def record_text(config: dict, type_spec: dict):
    """The function that turns one printed record of TYPE ``type_spec`` into its line."""
    if print_format(config) == "python":
        return str
    from pyflow._protocol.flink_text import formatter
    return formatter(type_spec)
