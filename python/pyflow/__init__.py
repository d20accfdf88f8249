"""PyFlow: a stream engine with a C# core and user functions in Python.

The Python API mirrors PyFlink's DataStream API, so a PyFlink program changes only its imports::

    from pyflow.common import Types
    from pyflow.datastream import StreamExecutionEnvironment

    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_collection([1, 2, 3], type_info=Types.INT()).map(lambda x: x * 2, Types.INT()).print()
    env.execute("double")

This module imports nothing heavy: import ``pyflow.datastream`` and ``pyflow.common`` for the API.
"""

__version__ = "0.1.0"

from pyflow._compat.missing_modules import install as _install_missing_modules  # noqa: E402

_install_missing_modules()  # PyFlink modules PyFlow lacks import, and name docs/migration.md when used
