"""Types, rows, configuration and errors shared by the PyFlow APIs (as ``pyflink.common``).

>>> from pyflow.common import Types, Configuration
>>> Types.LONG()._to_spec()
{'name': 'LONG'}
"""
from pyflow.common.configuration import Configuration
from pyflow.common.row import Row
from pyflow.common.typeinfo import TypeInformation, Types
from pyflow.errors import (EngineError, EngineHostNotFoundError, JobExecutionError, PlanError, ProtocolError,
                           PyFlowError, PythonFunctionError, WorkerDiedError)

__all__ = ["Types", "TypeInformation", "Row", "Configuration", "PyFlowError", "PlanError",
           "EngineHostNotFoundError", "JobExecutionError", "PythonFunctionError", "WorkerDiedError", "EngineError",
           "ProtocolError"]
