"""``StreamExecutionEnvironment.add_source``: PyFlow's own sources go the way of ``from_source``; a Python
``SourceFunction`` becomes a ``source.python`` plan node (the object cloudpickled), which the host runs as a
non-parallel engine source polling a Python runner (docs/ARCHITECTURE.md, PLAN and POLL)."""
import cloudpickle

from pyflow.common.typeinfo import TypeInformation, Types
from pyflow.datastream.functions import SourceFunction
from pyflow.errors import PlanError


def add_source(env, source_func, source_name: str, type_info):
    """The stream of ``source_func`` in ``env``."""
    from pyflow.common.watermark_strategy import WatermarkStrategy
    from pyflow.datastream.connectors import DataGeneratorSource, FileSource, NumberSequenceSource
    from pyflow.datastream.data_stream import DataStream
    if not isinstance(source_name, str) or not source_name:
        raise TypeError(f"add_source(): source_name must be a non-empty str, got {source_name!r}")
    if type_info is not None and not isinstance(type_info, TypeInformation):
        raise TypeError(f"add_source(): type_info must be a TypeInformation such as Types.INT(), got {type_info!r}")
    if isinstance(source_func, SourceFunction):
        try:
            fn = cloudpickle.dumps(source_func)
        except Exception as e:  # noqa: BLE001 - pickling fails with many exception types
            raise PlanError(f"add_source(): the SourceFunction {type(source_func).__qualname__} cannot be pickled "
                            f"({type(e).__name__}: {e}); it runs in a Python worker: open files or connections in "
                            "open() or run(), not in __init__") from e
        node = env._add_node("source.python", source_name, [], type_info or Types.PICKLED_BYTE_ARRAY(), {"fn": fn},
                             parallelism=1)
        return DataStream(env, node)
    if not isinstance(source_func, (NumberSequenceSource, DataGeneratorSource, FileSource)):
        raise TypeError(f"add_source() expects a pyflow SourceFunction or a source of pyflow.datastream.connectors "
                        f"(NumberSequenceSource, DataGeneratorSource, FileSource), got {type(source_func).__qualname__}")
    stream = env.from_source(source_func, WatermarkStrategy.no_watermarks(), source_name)
    if type_info is not None and type_info != stream.get_type():
        raise TypeError(f"add_source(): type_info {type_info!r} differs from the source's type {stream.get_type()!r}")
    return stream
