"""The exception for an ERROR map of a FAILED frame (docs/ARCHITECTURE.md, "ERROR")."""
from pyflow.errors import (EngineError, PlanError, ProtocolError, PyFlowError, PythonFunctionError,
                           WorkerDiedError)


def error_from_map(error) -> PyFlowError:
    """Maps ``error`` by its kind: plan, python, worker_died, protocol, engine.

    >>> e = error_from_map({"error": "python", "message": "m", "task": "Map (1/1)", "operator": "Map",
    ...                     "python_type": "KeyError", "python_message": "'x'", "python_traceback": None})
    >>> type(e).__name__, str(e)
    ('PythonFunctionError', "Python function in operator 'Map' (task 'Map (1/1)') raised KeyError: 'x'")
    """
    if not isinstance(error, dict):
        return ProtocolError(f"the engine host sent a FAILED frame whose payload is not an ERROR map: {error!r:.200}")
    kind = error.get("error")
    message = error.get("message") or f"(the engine gave no message for this {kind} error)"
    task, operator = error.get("task"), error.get("operator")
    if kind == "plan":
        return PlanError(f"the engine refused the plan: {message}")
    if kind == "python":
        return PythonFunctionError(message, task, operator, error.get("python_type"), error.get("python_message"),
                                   error.get("python_traceback"), error.get("source_file"), error.get("source_line"))
    if kind == "worker_died":
        return WorkerDiedError(message, task, operator, error.get("exit_code"), error.get("stderr_tail"))
    if kind == "protocol":
        return ProtocolError(_with_place(message, task, operator), task, operator)
    if kind == "engine":
        return EngineError(_with_place(message, task, operator), task, operator)
    return ProtocolError(f"the engine host sent a FAILED frame of unknown kind {kind!r} (this driver knows plan, "
                         f"python, worker_died, protocol, engine); its message: {message}. Reinstall pyflow so the "
                         "driver and the engine come from the same build.", task, operator)


def _with_place(message: str, task, operator) -> str:
    place = [f"{label} '{value}'" for label, value in (("task", task), ("operator", operator))
             if value and value not in message]
    return f"{message} ({', '.join(place)})" if place else message
