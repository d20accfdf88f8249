"""The PyFlink names exported for item 6 of issue 6: window classes from pyflow.datastream, the count tumbling
assigner (run through the engine in both modes at p1/p2), TriggerResult, and pyflow.common's ExecutionConfig,
RowKind and string schemas."""
import pytest

from pyflow.common import ExecutionConfig, RowKind, SimpleStringSchema, Types
from pyflow.datastream import (CountWindow, GlobalWindow, MergingWindowAssigner, TimeWindow, Trigger, TriggerResult,
                               Window, WindowAssigner)
from pyflow.datastream.window import CountTumblingWindowAssigner, EventTimeSessionWindows


def test_count_tumbling_window_assigner_fires_every_n_records_per_key(env):
    data = [(f"k{i % 3}", i) for i in range(40)]
    out = sorted(env.from_collection(data).key_by(lambda p: p[0])
                 .window(CountTumblingWindowAssigner.of(4))
                 .reduce(lambda a, b: (a[0], a[1] + b[1]))
                 .execute_and_collect())
    expected = []
    for key in ("k0", "k1", "k2"):
        values = [v for k, v in data if k == key]
        expected += [(key, sum(values[i:i + 4])) for i in range(0, len(values) - len(values) % 4, 4)]
    assert out == sorted(expected)


def test_window_classes_and_trigger_result():
    assert isinstance(TimeWindow(0, 10), Window) and isinstance(GlobalWindow(), Window)
    assert CountWindow(3).max_timestamp() == 2 ** 63 - 1 and CountWindow(3) == CountWindow(3)
    assert isinstance(EventTimeSessionWindows.with_gap(5), MergingWindowAssigner)
    assert isinstance(CountTumblingWindowAssigner.of(2), WindowAssigner)
    assert [r.is_fire() for r in TriggerResult] == [False, True, True, False]
    assert [r.is_purge() for r in TriggerResult] == [False, True, False, True]
    with pytest.raises(ValueError, match="size >= 1"):
        CountTumblingWindowAssigner.of(0)


def test_a_python_trigger_subclass_is_refused_clearly(env):
    class EveryRecord(Trigger):
        def on_element(self, element, timestamp, window, ctx):
            return TriggerResult.FIRE

    windowed = env.from_collection([1, 2]).key_by(lambda v: v).window(CountTumblingWindowAssigner.of(2))
    with pytest.raises(NotImplementedError, match="custom Python triggers .*EveryRecord.* not supported"):
        windowed.trigger(EveryRecord())


def test_common_exports():
    schema = SimpleStringSchema()
    assert schema.deserialize(schema.serialize("naïve")) == "naïve"
    assert SimpleStringSchema("latin-1").serialize("é") == b"\xe9"
    with pytest.raises(LookupError):
        SimpleStringSchema("no-such-charset")
    assert [k.short_string() for k in RowKind] == ["+I", "-U", "+U", "-D"]
    from pyflow.common import Configuration
    assert ExecutionConfig(Configuration()).set_auto_watermark_interval(25).get_auto_watermark_interval() == 25
    assert Types.STRING() is not None
