"""The exceptions PyFlow raises. Every one derives from ``PyFlowError``.

A job that fails on the engine side reaches the driver as one of the ``JobExecutionError``
subclasses below, chosen by the ``error`` kind of the host's FAILED frame
(docs/ARCHITECTURE.md, "Gateway protocol")::

    try:
        env.execute()
    except PythonFunctionError as e:
        print(e.operator, e.python_type, e.python_message)
"""
from pyflow._protocol import frames as _frames


class PyFlowError(Exception):
    """Base class of every PyFlow error."""


class PlanError(PyFlowError, ValueError):
    """The job plan is invalid: raised by the API call that made it so, or by the host before running."""


class EngineHostNotFoundError(PyFlowError, FileNotFoundError):
    """The engine host (``PyFlow.Host.dll``) or the ``dotnet`` launcher that runs it cannot be found."""


class JobExecutionError(PyFlowError):
    """A job failed while running. ``task`` and ``operator`` name where, when the engine knows.

    >>> str(JobExecutionError("boom", task="Map (1/2)", operator="Map"))
    'boom'
    """

    def __init__(self, message: str, task: "str | None" = None, operator: "str | None" = None):
        super().__init__(message)
        self.message = message
        self.task = task
        self.operator = operator


class PythonFunctionError(JobExecutionError):
    """A user function raised inside a Python worker. Carries the original type, message and traceback, and
    ``source_file`` / ``source_line`` of the record it failed on when that record came from a file source
    chained directly into the function (``env.read_text_file(path).map(json.loads)``).

    >>> e = PythonFunctionError("", task="Map -> Filter (1/2)", operator="Map",
    ...                         python_type="ZeroDivisionError", python_message="division by zero",
    ...                         python_traceback="Traceback (most recent call last): ...")
    >>> print(e)
    Python function in operator 'Map' (task 'Map -> Filter (1/2)') raised ZeroDivisionError: division by zero
    <BLANKLINE>
    Traceback from the worker:
    Traceback (most recent call last): ...
    """

    def __init__(self, message: str, task=None, operator=None, python_type=None, python_message=None,
                 python_traceback=None, source_file=None, source_line=None):
        self.python_type = python_type
        self.python_message = python_message
        self.python_traceback = python_traceback
        #: The file and line the failing record was read from, when a file source fed the function directly
        #: (``read_text_file(...).map(f)``, in one chain); None otherwise (after a shuffle, a window, ...).
        self.source_file = source_file
        self.source_line = source_line
        super().__init__(self._describe(message, task, operator), task, operator)

    def _describe(self, message, task, operator) -> str:
        if not self.python_type:
            text = message or "a Python function raised (the engine sent no details)"
        else:
            where = f"in operator '{operator}'" if operator else "in an unnamed operator"
            if task:
                where += f" (task '{task}')"
            text = f"Python function {where} raised {self.python_type}"
            if self.python_message:
                text += f": {self.python_message}"
            if self.source_file is not None:
                text += f"\nwhile processing the record from line {self.source_line} of file '{self.source_file}'"
        if self.python_traceback:
            text += "\n\nTraceback from the worker:\n" + self.python_traceback.rstrip("\n")
        return text


class WorkerDiedError(JobExecutionError):
    """A Python worker process exited without being asked to. ``stderr_tail`` holds its last output.

    >>> print(WorkerDiedError("worker of task 'Map (1/1)' exited", exit_code=-9, stderr_tail="Killed"))
    worker of task 'Map (1/1)' exited (exit code -9)
    <BLANKLINE>
    Last lines the worker wrote to stderr:
    Killed
    """

    def __init__(self, message: str, task=None, operator=None, exit_code=None, stderr_tail=None):
        self.exit_code = exit_code
        self.stderr_tail = stderr_tail
        text = message
        if exit_code is not None and "exit code" not in message:
            text += f" (exit code {exit_code})"
        if stderr_tail:
            text += "\n\nLast lines the worker wrote to stderr:\n" + stderr_tail.rstrip("\n")
        super().__init__(text, task, operator)


class EngineError(JobExecutionError):
    """The engine or its host failed for a reason other than user code (kind ``engine``)."""


class EngineHostDiedError(EngineError):
    """The engine host process died while a job ran (thread mode: a Python function ended it, e.g. with
    ``os._exit``) and the driver could not restart the job on a new host: no restart strategy, its attempts used
    up, or no checkpoint to resume from without delivering results twice. ``exit_code`` is the host's (negative:
    the signal that killed it); ``stderr_tail`` its last lines of standard error.

    >>> print(EngineHostDiedError("the engine host died (killed by signal 9 (SIGKILL))", exit_code=-9,
    ...                           stderr_tail="boom"))
    the engine host died (killed by signal 9 (SIGKILL))
    <BLANKLINE>
    Last lines the engine host wrote to stderr:
    boom
    """

    def __init__(self, message: str, exit_code=None, stderr_tail=None):
        self.exit_code = exit_code
        self.stderr_tail = stderr_tail
        if stderr_tail:
            message += "\n\nLast lines the engine host wrote to stderr:\n" + stderr_tail.rstrip("\n")
        super().__init__(message)


class ProtocolError(EngineError, _frames.ProtocolError):
    """A pipe carried something that is not valid for the protocol (kind ``protocol``).

    Also a ``pyflow._protocol.frames.ProtocolError``, so code catching the low-level class catches this.
    """


class JobCancelledError(JobExecutionError):
    """The job was cancelled (``JobClient.cancel()``, or Ctrl+C while waiting for it) before it finished."""


class JobTimeoutError(PyFlowError, TimeoutError):
    """A wait for a job (``JobClient.wait(timeout=...)``) ran out of time; the job keeps running."""
