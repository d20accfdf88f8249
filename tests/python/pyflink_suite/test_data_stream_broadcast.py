"""Port of PyFlink's test_data_stream.py, part 4: the broadcast tests of DataStreamTests (all need broadcast
state, which PyFlow lacks). The same pipelines and expected values; only the harness differs."""
from collections import defaultdict
from typing import Tuple

from pyflow.common.typeinfo import Types
from pyflow.common.watermark_strategy import WatermarkStrategy
from pyflow.datastream import RuntimeContext
from pyflow.datastream.output_tag import OutputTag
from pyflow.datastream.state import MapStateDescriptor, ReducingStateDescriptor
from pyflink_suite.conftest import missing
from pyflink_suite.harness import DataStreamTestSinkFunction, SecondColumnTimestampAssigner, assert_equals_sorted

BROADCAST_STATE = "broadcast state: DataStream.broadcast(MapStateDescriptor) / (Keyed)BroadcastProcessFunction"


@missing(BROADCAST_STATE)
def test_co_broadcast_process(env, test_sink):
    from pyflow.datastream.functions import BroadcastProcessFunction
    ds = env.from_collection([1, 2, 3, 4, 5], type_info=Types.INT())
    ds_broadcast = env.from_collection([(0, "a"), (1, "b")], type_info=Types.TUPLE([Types.INT(), Types.STRING()]))

    class MyBroadcastProcessFunction(BroadcastProcessFunction):
        def __init__(self, map_state_desc):
            self._map_state_desc = map_state_desc
            self._cache = defaultdict(list)

        def process_element(self, value: int, ctx):
            ro_broadcast_state = ctx.get_broadcast_state(self._map_state_desc)
            key = value % 2
            if ro_broadcast_state.contains(key):
                if self._cache.get(key) is not None:
                    for v in self._cache[key]:
                        yield ro_broadcast_state.get(key) + str(v)
                    self._cache[key].clear()
                yield ro_broadcast_state.get(key) + str(value)
            else:
                self._cache[key].append(value)

        def process_broadcast_element(self, value: Tuple[int, str], ctx):
            key = value[0]
            yield str(key) + value[1]
            broadcast_state = ctx.get_broadcast_state(self._map_state_desc)
            broadcast_state.put(key, value[1])
            if self._cache.get(key) is not None:
                for v in self._cache[key]:
                    yield value[1] + str(v)
                self._cache[key].clear()

    map_state_desc = MapStateDescriptor("mapping", key_type_info=Types.INT(), value_type_info=Types.STRING())
    ds.connect(ds_broadcast.broadcast(map_state_desc)).process(
        MyBroadcastProcessFunction(map_state_desc), output_type=Types.STRING()).add_sink(test_sink)
    env.execute("test_co_broadcast_process")
    expected = ["0a", "0a", "1b", "1b", "a2", "a4", "b1", "b3", "b5"]
    assert_equals_sorted(expected, test_sink.get_results())


@missing(BROADCAST_STATE)
def test_keyed_co_broadcast_process(env, test_sink):
    from pyflow.datastream.functions import KeyedBroadcastProcessFunction
    ds = env.from_collection([(1, '1603708211000'), (2, '1603708212000'), (3, '1603708213000'),
                              (4, '1603708214000')], type_info=Types.ROW([Types.INT(), Types.STRING()]))
    ds_broadcast = env.from_collection([(0, '1603708215000', 'a'), (1, '1603708215000', 'b')],
                                       type_info=Types.ROW([Types.INT(), Types.STRING(), Types.STRING()]))
    watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(SecondColumnTimestampAssigner())
    ds = ds.assign_timestamps_and_watermarks(watermark_strategy)
    ds_broadcast = ds_broadcast.assign_timestamps_and_watermarks(watermark_strategy)

    def _create_string(s, t):
        return 'value: {}, ts: {}'.format(s, t)

    class MyKeyedBroadcastProcessFunction(KeyedBroadcastProcessFunction):
        def __init__(self, map_state_desc):
            self._map_state_desc = map_state_desc
            self._cache = None

        def open(self, runtime_context: RuntimeContext):
            self._cache = defaultdict(list)

        def process_element(self, value, ctx):
            ro_broadcast_state = ctx.get_broadcast_state(self._map_state_desc)
            key = value[0] % 2
            if ro_broadcast_state.contains(key):
                if self._cache.get(key) is not None:
                    for v in self._cache[key]:
                        yield _create_string(ro_broadcast_state.get(key) + str(v[0]), v[1])
                    self._cache[key].clear()
                yield _create_string(ro_broadcast_state.get(key) + str(value[0]), value[1])
            else:
                self._cache[key].append(value)
            ctx.timer_service().register_event_time_timer(ctx.timestamp() + 10000)

        def process_broadcast_element(self, value, ctx):
            key = value[0]
            yield _create_string(str(key) + value[2], ctx.timestamp())
            broadcast_state = ctx.get_broadcast_state(self._map_state_desc)
            broadcast_state.put(key, value[2])
            if self._cache.get(key) is not None:
                for v in self._cache[key]:
                    yield _create_string(value[2] + str(v[0]), v[1])
                self._cache[key].clear()

        def on_timer(self, timestamp: int, ctx):
            yield _create_string(ctx.get_current_key(), timestamp)

    map_state_desc = MapStateDescriptor("mapping", key_type_info=Types.INT(), value_type_info=Types.STRING())
    ds.key_by(lambda t: t[0]).connect(ds_broadcast.broadcast(map_state_desc)).process(
        MyKeyedBroadcastProcessFunction(map_state_desc), output_type=Types.STRING()).add_sink(test_sink)
    env.execute("test_keyed_co_broadcast_process")
    expected = ['value: 0a, ts: 1603708215000', 'value: 0a, ts: 1603708215000', 'value: 1, ts: 1603708221000',
                'value: 1b, ts: 1603708215000', 'value: 1b, ts: 1603708215000', 'value: 2, ts: 1603708222000',
                'value: 3, ts: 1603708223000', 'value: 4, ts: 1603708224000', 'value: a2, ts: 1603708212000',
                'value: a4, ts: 1603708214000', 'value: b1, ts: 1603708211000', 'value: b3, ts: 1603708213000']
    assert_equals_sorted(expected, test_sink.get_results())


@missing(BROADCAST_STATE)
def test_co_broadcast_side_output(env, test_sink):
    from pyflow.datastream.functions import BroadcastProcessFunction
    tag = OutputTag("side", Types.INT())

    class MyBroadcastProcessFunction(BroadcastProcessFunction):
        def process_element(self, value, ctx):
            yield value[0]
            yield tag, value[1]

        def process_broadcast_element(self, value, ctx):
            yield value[1]
            yield tag, value[0]

    env.set_parallelism(2)
    ds = env.from_collection([('a', 0), ('b', 1), ('c', 2)], type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds_broadcast = env.from_collection([(3, 'd'), (4, 'f')], type_info=Types.ROW([Types.INT(), Types.STRING()]))
    map_state_desc = MapStateDescriptor("dummy", key_type_info=Types.INT(), value_type_info=Types.STRING())
    ds = ds.connect(ds_broadcast.broadcast(map_state_desc)).process(
        MyBroadcastProcessFunction(), output_type=Types.STRING())
    side_sink = DataStreamTestSinkFunction()
    ds.get_side_output(tag).add_sink(side_sink)
    ds.add_sink(test_sink)
    env.execute("test_co_broadcast_process_side_output")
    assert_equals_sorted(['a', 'b', 'c', 'd', 'd', 'f', 'f'], test_sink.get_results())
    assert_equals_sorted(['0', '1', '2', '3', '3', '4', '4'], side_sink.get_results())


@missing(BROADCAST_STATE)
def test_keyed_co_broadcast_side_output(env, test_sink):
    from pyflow.datastream.functions import KeyedBroadcastProcessFunction
    tag = OutputTag("side", Types.INT())

    class MyKeyedBroadcastProcessFunction(KeyedBroadcastProcessFunction):
        def __init__(self):
            self.reducing_state = None

        def open(self, context: RuntimeContext):
            self.reducing_state = context.get_reducing_state(
                ReducingStateDescriptor("reduce", lambda i, j: i + j, Types.INT()))

        def process_element(self, value, ctx):
            self.reducing_state.add(value[1])
            yield value[0]
            yield tag, self.reducing_state.get()

        def process_broadcast_element(self, value, ctx):
            yield value[1]
            yield tag, value[0]

    env.set_parallelism(2)
    ds = env.from_collection([('a', 0), ('b', 1), ('a', 2), ('b', 3)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds_broadcast = env.from_collection([(5, 'c'), (6, 'd')], type_info=Types.ROW([Types.INT(), Types.STRING()]))
    map_state_desc = MapStateDescriptor("dummy", key_type_info=Types.INT(), value_type_info=Types.STRING())
    ds = ds.key_by(lambda e: e[0]).connect(ds_broadcast.broadcast(map_state_desc)).process(
        MyKeyedBroadcastProcessFunction(), output_type=Types.STRING())
    side_sink = DataStreamTestSinkFunction()
    ds.get_side_output(tag).add_sink(side_sink)
    ds.add_sink(test_sink)
    env.execute("test_keyed_co_broadcast_process_side_output")
    assert_equals_sorted(['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'], test_sink.get_results())
    assert_equals_sorted(['0', '1', '2', '4', '5', '5', '6', '6'], side_sink.get_results())
