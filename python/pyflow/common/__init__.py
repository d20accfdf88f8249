"""Types, rows, configuration and errors shared by the PyFlow APIs (as ``pyflink.common``).

>>> from pyflow.common import Types, Configuration
>>> Types.LONG()._to_spec()
{'name': 'LONG'}
"""
from pyflow.common.configuration import Configuration
from pyflow.common.job_client import JobClient
from pyflow.common.job_id import JobID
from pyflow.common.job_status import JobStatus
from pyflow.common.job_execution_result import JobExecutionResult
from pyflow.common.execution_config import ExecutionConfig
from pyflow.common.row_kind import RowKind
from pyflow.common.serialization import DeserializationSchema, Encoder, SerializationSchema, SimpleStringSchema
from pyflow.common.time import Duration, Instant, Time
from pyflow.common.watermark_strategy import TimestampAssigner, WatermarkStrategy
from pyflow.common.row import Row
from pyflow.common.restart_strategy import RestartStrategies, RestartStrategyConfiguration
from pyflow.common.typeinfo import TypeInformation, Types
from pyflow.errors import (EngineError, EngineHostDiedError, EngineHostNotFoundError, JobCancelledError, JobExecutionError,
                           JobTimeoutError, PlanError, ProtocolError, PyFlowError, PythonFunctionError,
                           WorkerDiedError)

__all__ = ["Types", "TypeInformation", "Row", "Configuration", "Encoder", "Duration", "Instant", "Time", "WatermarkStrategy",
           "TimestampAssigner", "PyFlowError", "PlanError",
           "EngineHostNotFoundError", "JobExecutionError", "PythonFunctionError", "WorkerDiedError", "EngineError",
           "EngineHostDiedError", "ProtocolError", "JobClient", "JobID", "JobStatus", "JobExecutionResult", "JobCancelledError",
           "JobTimeoutError", "ExecutionConfig", "RowKind", "SerializationSchema", "DeserializationSchema",
           "SimpleStringSchema", "RestartStrategies", "RestartStrategyConfiguration"]


from pyflow._compat.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)  # PyFlink names PyFlow lacks raise NotImplementedError
