"""Port of PyFlink's test_data_stream.py, part 2: ProcessDataStreamTests (process mode only in PyFlink, run in
both modes here), ProcessDataStreamStreamingTests / ProcessDataStreamBatchTests (test_keyed_sum,
test_keyed_min_by_and_max on ``env`` and on ``batch_env``) and EmbeddedDataStreamStreamTests.test_metrics."""
import datetime
import decimal

from pyflow.common import Row
from pyflow.common.typeinfo import Types
from pyflow.common.watermark_strategy import WatermarkStrategy
from pyflow.datastream import RuntimeContext
from pyflow.datastream.functions import CoFlatMapFunction, CoMapFunction, FilterFunction, FlatMapFunction, \
    MapFunction, ProcessFunction
from pyflow.datastream.state import ValueStateDescriptor
from pyflink_suite.conftest import missing
from pyflink_suite.data_stream_functions import MyKeySelector, MyRichCoFlatMapFunction
from pyflink_suite.harness import SecondColumnTimestampAssigner, assert_equals_sorted, get_j_env_configuration
ROW_PRINTING = "Row printing: rows of Types.ROW print as Row(f0=..., f1=...) (branch pyflink-fix)"
KEYED_STATE = "keyed state from RuntimeContext in map/flat_map/filter/reduce after key_by (branch pyflink-fix)"
MAP_STATE_DICT = "MapState dict protocol: `in`, [] (branch pyflink-fix)"


def raises(call) -> bool:
    """PyFlink's ``with self.assertRaises(Exception): call()``."""
    try:
        call()
    except Exception:  # noqa: BLE001
        return True
    return False


def test_basic_co_operations_with_output_type(env, test_sink):
    class MyCoMapFunction(CoMapFunction):
        def map1(self, value):
            return value + 2

        def map2(self, value):
            return value + 1

    class MyCoFlatMapFunction(CoFlatMapFunction):
        def flat_map1(self, value):
            yield value + 1

        def flat_map2(self, value):
            yield value - 1

    ds_1 = env.from_collection([1, 2, 3, 4, 5])
    ds_2 = ds_1.map(lambda x: x * 2)
    (ds_1.connect(ds_2).flat_map(MyCoFlatMapFunction(), output_type=Types.INT())
         .connect(ds_2).map(MyCoMapFunction(), output_type=Types.INT())
         .add_sink(test_sink))
    env.execute("test_basic_co_operations_with_output_type")
    expected = ['4', '5', '6', '7', '8', '3', '5', '7', '9', '11', '3', '5', '7', '9', '11']
    assert_equals_sorted(expected, test_sink.get_results())


def test_keyed_co_map(env, test_sink):
    ds1 = env.from_collection([('a', 0), ('b', 0), ('c', 1), ('d', 1), ('e', 2)],
                              type_info=Types.ROW([Types.STRING(), Types.INT()])) \
        .key_by(MyKeySelector(), key_type=Types.INT())
    ds2 = env.from_collection([('a', 0), ('b', 0), ('c', 1), ('d', 1), ('e', 2)],
                              type_info=Types.ROW([Types.STRING(), Types.INT()]))

    class AssertKeyCoMapFunction(CoMapFunction):
        def __init__(self):
            self.pre1 = None
            self.pre2 = None

        def open(self, runtime_context: RuntimeContext):
            self.pre1 = runtime_context.get_state(ValueStateDescriptor("pre1", Types.STRING()))
            self.pre2 = runtime_context.get_state(ValueStateDescriptor("pre2", Types.STRING()))

        def map1(self, value):
            if value[0] == 'b':
                assert self.pre1.value() == 'a'
            if value[0] == 'd':
                assert self.pre1.value() == 'c'
            self.pre1.update(value[0])
            return value

        def map2(self, value):
            if value[0] == 'b':
                assert self.pre2.value() == 'a'
            if value[0] == 'd':
                assert self.pre2.value() == 'c'
            self.pre2.update(value[0])
            return value

    ds1.connect(ds2) \
        .key_by(MyKeySelector(), MyKeySelector(), key_type=Types.INT()) \
        .map(AssertKeyCoMapFunction()) \
        .map(lambda x: (x[0], x[1] + 1)) \
        .add_sink(test_sink)
    env.execute()
    expected = ["('e', 3)", "('a', 1)", "('b', 1)", "('c', 2)", "('d', 2)", "('e', 3)", "('a', 1)", "('b', 1)",
                "('c', 2)", "('d', 2)"]
    assert_equals_sorted(expected, test_sink.get_results(True))


def test_keyed_co_flat_map(env, test_sink):
    ds1 = env.from_collection([(1, 1), (2, 2), (3, 3)], type_info=Types.ROW([Types.INT(), Types.INT()]))
    ds2 = env.from_collection([("a", "a"), ("b", "b"), ("c", "c"), ("a", "a")],
                              type_info=Types.ROW([Types.STRING(), Types.STRING()]))
    ds1.connect(ds2).key_by(lambda x: 1, lambda x: 1) \
        .flat_map(MyRichCoFlatMapFunction(), output_type=Types.STRING()) \
        .filter(lambda x: x != '4') \
        .add_sink(test_sink)
    env.execute('test_keyed_co_flat_map')
    assert_equals_sorted(['2', '2', '3', '3', 'a', 'b', 'c'], test_sink.get_results(False))


def test_keyed_map(env, test_sink):
    get_j_env_configuration(env).set_integer("python.fn-execution.bundle.size", 1)
    ds = env.from_collection([('a', 0), ('b', 1), ('c', 0), ('d', 1), ('e', 2)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))
    keyed_stream = ds.key_by(MyKeySelector(), key_type=Types.INT())
    assert raises(lambda: keyed_stream.name("keyed stream"))

    class AssertKeyMapFunction(MapFunction):
        def __init__(self):
            self.state = None

        def open(self, runtime_context: RuntimeContext):
            self.state = runtime_context.get_state(ValueStateDescriptor("test_state", Types.INT()))

        def map(self, value):
            if value[0] == 'b':
                state_value = self._get_state_value()
                assert state_value == 1
                self.state.update(state_value)
            elif value[0] == 'c':
                state_value = self._get_state_value()
                assert state_value == 1
                self.state.update(state_value)
            elif value[0] == 'd':
                state_value = self._get_state_value()
                assert state_value == 2
                self.state.update(state_value)
            return value

        def _get_state_value(self):
            state_value = self.state.value()
            return 1 if state_value is None else state_value + 1

    keyed_stream.map(AssertKeyMapFunction()) \
        .map(lambda x: (x[0], x[1] + 1)) \
        .add_sink(test_sink)
    env.execute('test_keyed_map')
    assert_equals_sorted(["('e', 3)", "('a', 1)", "('b', 2)", "('c', 1)", "('d', 2)"], test_sink.get_results(True))


def test_keyed_flat_map(env, test_sink):
    ds = env.from_collection([('a', 0), ('b', 0), ('c', 1), ('d', 1), ('e', 2)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))
    keyed_stream = ds.key_by(MyKeySelector(), key_type=Types.INT())
    assert raises(lambda: keyed_stream.name("keyed stream"))

    class AssertKeyMapFunction(FlatMapFunction):
        def __init__(self):
            self.pre = None
            self.state = None

        def open(self, runtime_context: RuntimeContext):
            self.state = runtime_context.get_state(ValueStateDescriptor("test_state", Types.INT()))

        def flat_map(self, value):
            state_value = self.state.value()
            state_value = 1 if state_value is None else state_value + 1
            if value[0] == 'b':
                assert self.pre == 'a'
                assert state_value == 2
            if value[0] == 'd':
                assert self.pre == 'c'
                assert state_value == 2
            if value[0] == 'e':
                assert state_value == 1
            self.pre = value[0]
            self.state.update(state_value)
            yield value

    keyed_stream.flat_map(AssertKeyMapFunction()) \
        .map(lambda x: (x[0], x[1] + 1)) \
        .add_sink(test_sink)
    env.execute('test_keyed_flat_map')
    assert_equals_sorted(["('e', 3)", "('a', 1)", "('b', 1)", "('c', 2)", "('d', 2)"], test_sink.get_results(True))


def test_keyed_filter(env, test_sink):
    ds = env.from_collection([('a', 0), ('b', 0), ('c', 1), ('d', 1), ('e', 2)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))
    keyed_stream = ds.key_by(MyKeySelector())
    assert raises(lambda: keyed_stream.name("keyed stream"))

    class AssertKeyFilterFunction(FilterFunction):
        def __init__(self):
            self.pre = None
            self.state = None

        def open(self, runtime_context: RuntimeContext):
            self.state = runtime_context.get_state(ValueStateDescriptor("test_state", Types.INT()))

        def filter(self, value):
            state_value = self.state.value()
            state_value = 1 if state_value is None else state_value + 1
            if value[0] == 'b':
                assert self.pre == 'a'
                assert state_value == 2
                return False
            if value[0] == 'd':
                assert self.pre == 'c'
                assert state_value == 2
                return False
            if value[0] == 'e':
                assert state_value == 1
            self.pre = value[0]
            self.state.update(state_value)
            return True

    keyed_stream.filter(AssertKeyFilterFunction()) \
        .filter(lambda x: x[1] > 0) \
        .add_sink(test_sink)
    env.execute('key_by_test')
    assert_equals_sorted(['+I[c, 1]', '+I[e, 2]'], test_sink.get_results(False))


def test_multi_key_by(env, test_sink):
    ds = env.from_collection([('a', 0), ('b', 0), ('c', 1), ('d', 1), ('e', 2)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds.key_by(MyKeySelector(), key_type=Types.INT()).key_by(lambda x: x[0]).add_sink(test_sink)
    env.execute("test multi key by")
    expected = ['+I[d, 1]', '+I[c, 1]', '+I[a, 0]', '+I[b, 0]', '+I[e, 2]']
    assert_equals_sorted(expected, test_sink.get_results(False))


def test_collection_type_info(env, test_sink):
    row_type = Types.ROW([Types.INT(), Types.PRIMITIVE_ARRAY(Types.FLOAT()), Types.BASIC_ARRAY(Types.STRING()),
                          Types.SQL_DATE(), Types.SQL_TIME(), Types.SQL_TIMESTAMP(), Types.LIST(Types.INT())])
    ds = env.from_collection([(1, [1.1, 1.2, 1.30], [None, 'hi', 'flink'], datetime.date(2021, 1, 9),
                               datetime.time(12, 0, 0), datetime.datetime(2021, 1, 9, 12, 0, 0, 11000),
                               [1, 2, 3])], type_info=row_type)
    ds.map(lambda x: x, output_type=row_type).add_sink(test_sink)
    env.execute("test_collection_type_info")
    expected = ["+I[1, [1.1, 1.2, 1.3], [null, hi, flink], 2021-01-09, 12:00:00, 2021-01-09 12:00:00.011, "
                "[1, 2, 3]]"]
    assert_equals_sorted(expected, test_sink.get_results())


def test_process_function(env, test_sink):
    from pyflow.datastream import TimeCharacteristic
    env.set_parallelism(1)
    env.get_config().set_auto_watermark_interval(2000)
    env.set_stream_time_characteristic(TimeCharacteristic.EventTime)
    data_stream = env.from_collection([(1, '1603708211000'), (2, '1603708224000'), (3, '1603708226000'),
                                       (4, '1603708289000')], type_info=Types.ROW([Types.INT(), Types.STRING()]))

    class MyProcessFunction(ProcessFunction):
        def process_element(self, value, ctx):
            current_timestamp = ctx.timestamp()
            yield "current timestamp: {}, current_value: {}".format(str(current_timestamp), str(value))

    watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(SecondColumnTimestampAssigner())
    data_stream.assign_timestamps_and_watermarks(watermark_strategy) \
        .process(MyProcessFunction(), output_type=Types.STRING()).add_sink(test_sink)
    env.execute('test process function')
    expected = ["current timestamp: 1603708211000, current_value: Row(f0=1, f1='1603708211000')",
                "current timestamp: 1603708224000, current_value: Row(f0=2, f1='1603708224000')",
                "current timestamp: 1603708226000, current_value: Row(f0=3, f1='1603708226000')",
                "current timestamp: 1603708289000, current_value: Row(f0=4, f1='1603708289000')"]
    assert_equals_sorted(expected, test_sink.get_results())


def test_keyed_sum(env, test_sink):
    env.set_parallelism(1)
    ds = env.from_collection([(1, 1), (1, 2), (1, 3), (2, 5), (2, 1)],
                             type_info=Types.ROW_NAMED(["v1", "v2"], [Types.INT(), Types.INT()]))
    ds.key_by(lambda x: x[0]) \
        .sum("v2") \
        .key_by(lambda x: x[0]) \
        .sum(1) \
        .map(lambda x: (x[1], x[0]), output_type=Types.TUPLE([Types.INT(), Types.INT()])) \
        .key_by(lambda x: x[1]) \
        .sum() \
        .add_sink(test_sink)
    env.execute("key_by_sum_test_stream")
    assert_equals_sorted(['(1,1)', '(5,1)', '(15,1)', '(5,2)', '(16,2)'], test_sink.get_results(False))


def test_keyed_sum_batch(batch_env, test_sink):
    env = batch_env
    env.set_parallelism(1)
    ds = env.from_collection([(1, 1), (1, 2), (1, 3), (5, 1), (5, 5)],
                             type_info=Types.ROW_NAMED(["v1", "v2"], [Types.INT(), Types.INT()]))

    def flat_map_func1(data):
        for i in data:
            yield 12, i

    def flat_map_func2(data):
        for i in data:
            yield i

    ds.key_by(lambda x: x[0]) \
        .sum("v2") \
        .key_by(lambda x: x[1]) \
        .sum() \
        .flat_map(flat_map_func1, output_type=Types.TUPLE([Types.INT(), Types.INT()])) \
        .key_by(lambda x: x[0]) \
        .sum(1) \
        .flat_map(flat_map_func2, output_type=Types.INT()) \
        .key_by(lambda x: x) \
        .sum() \
        .add_sink(test_sink)
    env.execute("key_by_sum_test_batch")
    assert test_sink.get_results(False) == ['24']


def test_keyed_min_by_and_max(env, test_sink):
    env.set_parallelism(1)
    ds = env.from_collection([('a', 3, 0), ('a', 1, 1), ('b', 5, 0), ('b', 3, 1)],
                             type_info=Types.ROW_NAMED(["v1", "v2", "v3"],
                                                       [Types.STRING(), Types.INT(), Types.INT()]))
    ds.key_by(lambda x: x[0]) \
        .min_by("v2") \
        .map(lambda x: (x[0], x[1], x[2]), output_type=Types.TUPLE([Types.STRING(), Types.INT(), Types.INT()])) \
        .key_by(lambda x: x[2]) \
        .max(1) \
        .key_by(lambda x: x[2]) \
        .min() \
        .map(lambda x: x[0], output_type=Types.STRING()) \
        .key_by(lambda x: x) \
        .max_by() \
        .add_sink(test_sink)
    env.execute("key_by_min_by_max_by_test_stream")
    assert_equals_sorted(['a', 'a', 'a', 'a'], test_sink.get_results(False))


def test_keyed_min_by_and_max_batch(batch_env, test_sink):
    env = batch_env
    env.set_parallelism(1)
    ds = env.from_collection([(1, '9', 0), (1, '5', 1), (1, '6', 2), (5, '5', 0), (5, '3', 1)],
                             type_info=Types.ROW_NAMED(["v1", "v2", "v3"],
                                                       [Types.INT(), Types.STRING(), Types.INT()]))

    def flat_map_func1(data):
        for i in data:
            yield int(i), 1

    def flat_map_func2(data):
        for i in data:
            yield i

    ds.key_by(lambda x: x[0]) \
        .min_by("v2") \
        .map(lambda x: (x[0], x[1], x[2]), output_type=Types.TUPLE([Types.INT(), Types.STRING(), Types.INT()])) \
        .key_by(lambda x: x[2]) \
        .max(0) \
        .flat_map(flat_map_func1, output_type=Types.TUPLE([Types.INT(), Types.INT()])) \
        .key_by(lambda x: [1]) \
        .min_by() \
        .flat_map(flat_map_func2, output_type=Types.INT()) \
        .key_by(lambda x: x) \
        .max_by() \
        .add_sink(test_sink)
    env.execute("key_by_min_by_max_by_test_batch")
    assert_equals_sorted(['1'], test_sink.get_results(False))


@missing("metrics: RuntimeContext.get_metrics_group (counter, meter, gauge, distribution); and BIG_DEC of branch "
         "pyflink-types")
def test_metrics(env, test_sink):
    """EmbeddedDataStreamStreamTests.test_metrics (thread mode in PyFlink; both modes here)."""
    ds = env.from_collection([('ab', 'a', decimal.Decimal(1)), ('bdc', 'a', decimal.Decimal(2)),
                              ('cfgs', 'a', decimal.Decimal(3)), ('deeefg', 'a', decimal.Decimal(4))],
                             type_info=Types.TUPLE([Types.STRING(), Types.STRING(), Types.BIG_DEC()]))

    class MyMapFunction(MapFunction):
        def __init__(self):
            self.counter = None
            self.counter_value = 0
            self.meter = None
            self.meter_value = 0
            self.value_to_expose = 0
            self.distribution = None

        def open(self, runtime_context: RuntimeContext):
            self.counter = runtime_context.get_metrics_group().counter("my_counter")
            self.meter = runtime_context.get_metrics_group().meter('my_meter', 1)
            runtime_context.get_metrics_group().gauge("my_gauge", lambda: self.value_to_expose)
            self.distribution = runtime_context.get_metrics_group().distribution("my_distribution")

        def map(self, value):
            self.counter.inc()
            self.counter_value += 1
            assert self.counter.get_count() == self.counter_value
            self.meter.mark_event(1)
            self.meter_value += 1
            assert self.meter.get_count() == self.meter_value
            self.value_to_expose += 1
            self.distribution.update(int(value[2]))
            return Row(value[0], len(value[0]), value[2])

    (ds.key_by(lambda value: value[1])
       .map(MyMapFunction(), output_type=Types.ROW([Types.STRING(), Types.INT(), Types.BIG_DEC()]))
       .add_sink(test_sink))
    env.execute('test_basic_operations')
    expected = ['+I[ab, 2, 1]', '+I[bdc, 3, 2]', '+I[cfgs, 4, 3]', '+I[deeefg, 6, 4]']
    assert_equals_sorted(expected, test_sink.get_results())
