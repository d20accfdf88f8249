"""The option ``pyflow.parallelism.max``: the highest parallelism an operator may have.

Each subtask is a thread in the engine host and, in process mode, a Python worker process: a parallelism
of thousands starts thousands of processes and can hang the machine (issue 11). The default is 4 × the CPUs
this process may run on; the host checks the same rule (``ParallelismLimit`` in C#) for plans from any driver.
"""
import os

from pyflow.errors import PlanError

OPTION = "pyflow.parallelism.max"
#: The largest value the option takes: the engine counts subtasks in a 32-bit int.
CEILING = 2 ** 31 - 1


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # as .NET's Environment.ProcessorCount: the CPUs we may use
    except AttributeError:
        return os.cpu_count() or 1


def default_limit() -> int:
    """4 × the CPUs available to this process."""
    return 4 * _cores()


def parallelism_limit(config: dict) -> int:
    """The validated value of ``pyflow.parallelism.max`` in the plan's ``config`` (``default_limit()`` when unset)."""
    text = config.get(OPTION)
    if text is None:
        return default_limit()
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or not 1 <= value <= CEILING:
        raise PlanError(f"configuration option {OPTION!r} must be an integer from 1 to {CEILING}, got {text!r}; "
                        f"e.g. Configuration().set_string({OPTION!r}, '64')")
    return value


def check_parallelism(plan: dict) -> None:
    """Refuses a plan whose job parallelism or any node's parallelism is above the limit, naming the operator."""
    limit = parallelism_limit(plan["config"])
    how = (f"lower it, or raise the limit with Configuration().set_string({OPTION!r}, '<n>') "
           f"(default 4 × {_cores()} CPUs = {default_limit()})")
    if plan["parallelism"] > limit:
        raise PlanError(f"the job's default parallelism {plan['parallelism']} is above the limit {limit} ({OPTION}): "
                        f"{how}")
    for node in plan["nodes"]:
        if node["parallelism"] > limit:
            raise PlanError(f"operator '{node['name']}': parallelism {node['parallelism']} is above the limit {limit} "
                            f"({OPTION}): {how}")
