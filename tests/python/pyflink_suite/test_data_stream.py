"""Port of PyFlink's ``pyflink/datastream/tests/test_data_stream.py``, its DataStreamTests and the classes built on
them. The rest is in test_data_stream_process.py (ProcessDataStreamTests and the keyed aggregations),
test_data_stream_broadcast.py (the broadcast tests) and test_data_stream_common.py (CommonDataStreamTests),
as one file would pass 600 lines. The same pipelines
and expected values; only the harness differs (pyflink_suite.harness).

PyFlink runs DataStreamTests in four classes: process and thread ("Embedded") mode, each STREAMING and BATCH.
Here every test runs in both modes on the streaming environment (``env``); the methods whose BATCH variant
differs (test_reduce_with_state, test_keyed_sum, test_keyed_min_by_and_max) run on ``batch_env`` too. The
ProcessDataStreamTests methods, process-only in PyFlink, run in both modes here.

Not ported: test_partition_custom (checks partitions with a Java MapFunction).
"""
import decimal

from pyflow.common import Row
from pyflow.common.time import Time
from pyflow.common.typeinfo import Types
from pyflow.common.watermark_strategy import TimestampAssigner, WatermarkStrategy
from pyflow.datastream import RuntimeContext
from pyflow.datastream.functions import (AggregateFunction, CoFlatMapFunction, CoMapFunction, CoProcessFunction,
                                         FilterFunction, FlatMapFunction, KeyedCoProcessFunction,
                                         KeyedProcessFunction, MapFunction, ProcessFunction)
from pyflow.datastream.output_tag import OutputTag
from pyflow.datastream.state import (AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor,
                                     ReducingStateDescriptor, StateTtlConfig, ValueStateDescriptor)
from pyflink_suite.conftest import missing
from pyflink_suite.data_stream_functions import (MyKeyedCoProcessFunction, MyKeySelector, MyReduceFunction,
                                                 MyRichCoFlatMapFunction)
from pyflink_suite.harness import (DataStreamTestSinkFunction, SecondColumnTimestampAssigner, assert_equals_sorted,
                                   get_j_env_configuration)

BIG_DEC = "types of branch pyflink-types: BIG_DEC"
ROW_PRINTING = "Row printing: rows of Types.ROW print as Row(f0=..., f1=...) (branch pyflink-fix)"
CO_SIDE_OUTPUTS = "side outputs of (Keyed)CoProcessFunction (branch pyflink-fix)"
KEYED_STATE = "keyed state from RuntimeContext in map/flat_map/filter/reduce after key_by (branch pyflink-fix)"


@missing(BIG_DEC)
def test_basic_operations(env, test_sink):
    ds = env.from_collection(
        [('ab', Row('a', decimal.Decimal(1))), ('bdc', Row('b', decimal.Decimal(2))),
         ('cfgs', Row('c', decimal.Decimal(3))), ('deeefg', Row('d', decimal.Decimal(4)))],
        type_info=Types.TUPLE([Types.STRING(), Types.ROW([Types.STRING(), Types.BIG_DEC()])]))

    class MyMapFunction(MapFunction):
        def map(self, value):
            return Row(value[0], value[1] + 1, value[2])

    class MyFlatMapFunction(FlatMapFunction):
        def flat_map(self, value):
            if value[1] % 2 == 0:
                yield value

    class MyFilterFunction(FilterFunction):
        def filter(self, value):
            return value[1] > 2

    (ds.map(lambda i: (i[0], len(i[0]), i[1][1]),
            output_type=Types.TUPLE([Types.STRING(), Types.INT(), Types.BIG_DEC()]))
       .flat_map(MyFlatMapFunction(), output_type=Types.TUPLE([Types.STRING(), Types.INT(), Types.BIG_DEC()]))
       .filter(MyFilterFunction())
       .map(MyMapFunction(), output_type=Types.ROW([Types.STRING(), Types.INT(), Types.BIG_DEC()]))
       .add_sink(test_sink))
    env.execute('test_basic_operations')
    assert_equals_sorted(["+I[cfgs, 5, 3]", "+I[deeefg, 7, 4]"], test_sink.get_results())


def test_keyed_process_function_with_state(env, test_sink):
    from pyflow.datastream import TimeCharacteristic
    env.get_config().set_auto_watermark_interval(2000)
    env.set_stream_time_characteristic(TimeCharacteristic.EventTime)
    data_stream = env.from_collection([(1, 'hi', '1603708211000'), (2, 'hello', '1603708224000'),
                                       (3, 'hi', '1603708226000'), (4, 'hello', '1603708289000'),
                                       (5, 'hi', '1603708291000'), (6, 'hello', '1603708293000')],
                                      type_info=Types.ROW([Types.INT(), Types.STRING(), Types.STRING()]))

    class MyTimestampAssigner(TimestampAssigner):
        def extract_timestamp(self, value, record_timestamp) -> int:
            return int(value[2])

    class MyProcessFunction(KeyedProcessFunction):
        def __init__(self):
            self.value_state = None
            self.list_state = None
            self.map_state = None

        def open(self, runtime_context: RuntimeContext):
            self.value_state = runtime_context.get_state(ValueStateDescriptor('value_state', Types.INT()))
            self.list_state = runtime_context.get_list_state(ListStateDescriptor('list_state', Types.INT()))
            map_state_descriptor = MapStateDescriptor('map_state', Types.INT(), Types.STRING())
            state_ttl_config = StateTtlConfig.new_builder(Time.seconds(1)) \
                .set_update_type(StateTtlConfig.UpdateType.OnReadAndWrite) \
                .set_state_visibility(StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp) \
                .disable_cleanup_in_background() \
                .build()
            map_state_descriptor.enable_time_to_live(state_ttl_config)
            self.map_state = runtime_context.get_map_state(map_state_descriptor)

        def process_element(self, value, ctx):
            current_value = self.value_state.value()
            self.value_state.update(value[0])
            current_list = [_ for _ in self.list_state.get()]
            self.list_state.add(value[0])
            map_entries = {k: v for k, v in self.map_state.items()}
            keys = sorted(map_entries.keys())
            map_entries_string = '{' + ', '.join(str(k) + ': ' + str(map_entries[k]) for k in keys) + '}'
            self.map_state.put(value[0], value[1])
            current_key = ctx.get_current_key()
            yield "current key: {}, current value state: {}, current list state: {}, " \
                  "current map state: {}, current value: {}".format(str(current_key), str(current_value),
                                                                    str(current_list), map_entries_string,
                                                                    str(value))

        def on_timer(self, timestamp, ctx):
            pass

    watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(MyTimestampAssigner())
    data_stream.assign_timestamps_and_watermarks(watermark_strategy) \
        .key_by(lambda x: x[1], key_type=Types.STRING()) \
        .process(MyProcessFunction(), output_type=Types.STRING()) \
        .add_sink(test_sink)
    env.execute('test time stamp assigner with keyed process function')
    expected = ["current key: hi, current value state: None, current list state: [], current map state: {}, "
                "current value: Row(f0=1, f1='hi', f2='1603708211000')",
                "current key: hello, current value state: None, current list state: [], current map state: {}, "
                "current value: Row(f0=2, f1='hello', f2='1603708224000')",
                "current key: hi, current value state: 1, current list state: [1], current map state: {1: hi}, "
                "current value: Row(f0=3, f1='hi', f2='1603708226000')",
                "current key: hello, current value state: 2, current list state: [2], current map state: "
                "{2: hello}, current value: Row(f0=4, f1='hello', f2='1603708289000')",
                "current key: hi, current value state: 3, current list state: [1, 3], current map state: "
                "{1: hi, 3: hi}, current value: Row(f0=5, f1='hi', f2='1603708291000')",
                "current key: hello, current value state: 4, current list state: [2, 4], current map state: "
                "{2: hello, 4: hello}, current value: Row(f0=6, f1='hello', f2='1603708293000')"]
    assert_equals_sorted(expected, test_sink.get_results())


def test_reducing_state(env, test_sink):
    env.set_parallelism(2)
    data_stream = env.from_collection([(1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello')],
                                      type_info=Types.TUPLE([Types.INT(), Types.STRING()]))

    class MyProcessFunction(KeyedProcessFunction):
        def __init__(self):
            self.reducing_state = None

        def open(self, runtime_context: RuntimeContext):
            self.reducing_state = runtime_context.get_reducing_state(
                ReducingStateDescriptor('reducing_state', lambda i, i2: i + i2, Types.INT()))

        def process_element(self, value, ctx):
            self.reducing_state.add(value[0])
            yield self.reducing_state.get(), value[1]

    data_stream.key_by(lambda x: x[1], key_type=Types.STRING()) \
        .process(MyProcessFunction(), output_type=Types.TUPLE([Types.INT(), Types.STRING()])) \
        .add_sink(test_sink)
    env.execute('test_reducing_state')
    expected = ['(1,hi)', '(2,hello)', '(4,hi)', '(6,hello)', '(9,hi)', '(12,hello)']
    assert_equals_sorted(expected, test_sink.get_results())


def test_aggregating_state(env, test_sink):
    env.set_parallelism(2)
    data_stream = env.from_collection([(1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello')],
                                      type_info=Types.TUPLE([Types.INT(), Types.STRING()]))

    class MyAggregateFunction(AggregateFunction):
        def create_accumulator(self):
            return 0

        def add(self, value, accumulator):
            return value + accumulator

        def get_result(self, accumulator):
            return accumulator

        def merge(self, acc_a, acc_b):
            return acc_a + acc_b

    class MyProcessFunction(KeyedProcessFunction):
        def __init__(self):
            self.aggregating_state = None

        def open(self, runtime_context: RuntimeContext):
            descriptor = AggregatingStateDescriptor('aggregating_state', MyAggregateFunction(), Types.INT())
            state_ttl_config = StateTtlConfig.new_builder(Time.seconds(1)) \
                .set_update_type(StateTtlConfig.UpdateType.OnReadAndWrite) \
                .disable_cleanup_in_background() \
                .build()
            descriptor.enable_time_to_live(state_ttl_config)
            self.aggregating_state = runtime_context.get_aggregating_state(descriptor)

        def process_element(self, value, ctx):
            self.aggregating_state.add(value[0])
            yield self.aggregating_state.get(), value[1]

    get_j_env_configuration(env).set_integer("python.fn-execution.bundle.size", 1)
    data_stream.key_by(lambda x: x[1], key_type=Types.STRING()) \
        .process(MyProcessFunction(), output_type=Types.TUPLE([Types.INT(), Types.STRING()])) \
        .add_sink(test_sink)
    env.execute('test_aggregating_state')
    expected = ['(1,hi)', '(2,hello)', '(4,hi)', '(6,hello)', '(9,hi)', '(12,hello)']
    assert_equals_sorted(expected, test_sink.get_results())


@missing("python dependencies: add_python_file")
def test_basic_co_operations(env, test_sink, tmp_path):
    python_file_path = tmp_path / "test_stream_dependency_manage_lib.py"
    python_file_path.write_text("def add_two(a):\n    return a + 2")

    class MyCoFlatMapFunction(CoFlatMapFunction):
        def flat_map1(self, value):
            yield value + 1

        def flat_map2(self, value):
            yield value - 1

    class MyCoMapFunction(CoMapFunction):
        def map1(self, value):
            from test_stream_dependency_manage_lib import add_two
            return add_two(value)

        def map2(self, value):
            return value + 1

    env.add_python_file(str(python_file_path))
    ds_1 = env.from_collection([1, 2, 3, 4, 5])
    ds_2 = ds_1.map(lambda x: x * 2)
    (ds_1.connect(ds_2).flat_map(MyCoFlatMapFunction())
         .connect(ds_2).map(MyCoMapFunction())
         .add_sink(test_sink))
    env.execute("test_basic_co_operations")
    expected = ['4', '5', '6', '7', '8', '3', '5', '7', '9', '11', '3', '5', '7', '9', '11']
    assert_equals_sorted(expected, test_sink.get_results(True))


def test_keyed_co_process(env, test_sink):
    env.set_parallelism(1)
    ds1 = env.from_collection([("a", 1), ("b", 2), ("c", 3)], type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds2 = env.from_collection([("b", 2), ("c", 3), ("d", 4)], type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds1 = ds1.assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(SecondColumnTimestampAssigner()))
    ds2 = ds2.assign_timestamps_and_watermarks(
        WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(SecondColumnTimestampAssigner()))
    ds1.connect(ds2) \
        .key_by(lambda x: x[0], lambda x: x[0]) \
        .process(MyKeyedCoProcessFunction()) \
        .map(lambda x: Row(x[0], x[1] + 1)) \
        .add_sink(test_sink)
    env.execute('test_keyed_co_process_function')
    expected = ["<Row('a', 2)>", "<Row('b', 2)>", "<Row('b', 3)>", "<Row('c', 2)>", "<Row('c', 3)>",
                "<Row('d', 2)>", "<Row('on_timer', 4)>"]
    assert_equals_sorted(expected, test_sink.get_results(True))


def test_process_side_output(env):
    tag = OutputTag("side", Types.INT())
    ds = env.from_collection([('a', 0), ('b', 1), ('c', 2)], type_info=Types.ROW([Types.STRING(), Types.INT()]))

    class MyProcessFunction(ProcessFunction):
        def process_element(self, value, ctx):
            yield value[0]
            yield tag, value[1]

    ds2 = ds.process(MyProcessFunction(), output_type=Types.STRING())
    main_sink = DataStreamTestSinkFunction()
    ds2.add_sink(main_sink)
    side_sink = DataStreamTestSinkFunction()
    ds2.get_side_output(tag).add_sink(side_sink)
    env.execute("test_process_side_output")
    assert_equals_sorted(['a', 'b', 'c'], main_sink.get_results())
    assert_equals_sorted(['0', '1', '2'], side_sink.get_results())


def test_side_output_chained_with_upstream_operator(env):
    tag = OutputTag("side", Types.INT())
    ds = env.from_collection([('a', 0), ('b', 1), ('c', 2)], type_info=Types.ROW([Types.STRING(), Types.INT()]))

    class MyProcessFunction(ProcessFunction):
        def process_element(self, value, ctx):
            yield value[0]
            yield tag, value[1]

    ds2 = ds.map(lambda e: (e[0], e[1] + 1)).process(MyProcessFunction(), output_type=Types.STRING())
    main_sink = DataStreamTestSinkFunction()
    ds2.add_sink(main_sink)
    side_sink = DataStreamTestSinkFunction()
    ds2.get_side_output(tag).add_sink(side_sink)
    env.execute("test_side_output_chained_with_upstream_operator")
    assert_equals_sorted(['a', 'b', 'c'], main_sink.get_results())
    assert_equals_sorted(['1', '2', '3'], side_sink.get_results())


def test_process_multiple_side_output(env):
    tag1 = OutputTag("side1", Types.INT())
    tag2 = OutputTag("side2", Types.STRING())
    ds = env.from_collection([('a', 0), ('b', 1), ('c', 2)], type_info=Types.ROW([Types.STRING(), Types.INT()]))

    class MyProcessFunction(ProcessFunction):
        def process_element(self, value, ctx):
            yield value[0]
            yield tag1, value[1]
            yield tag2, value[0] + str(value[1])

    ds2 = ds.process(MyProcessFunction(), output_type=Types.STRING())
    main_sink = DataStreamTestSinkFunction()
    ds2.add_sink(main_sink)
    side1_sink = DataStreamTestSinkFunction()
    ds2.get_side_output(tag1).add_sink(side1_sink)
    side2_sink = DataStreamTestSinkFunction()
    ds2.get_side_output(tag2).add_sink(side2_sink)
    env.execute("test_process_multiple_side_output")
    assert_equals_sorted(['a', 'b', 'c'], main_sink.get_results())
    assert_equals_sorted(['0', '1', '2'], side1_sink.get_results())
    assert_equals_sorted(['a0', 'b1', 'c2'], side2_sink.get_results())


def test_co_process_side_output(env, test_sink):
    tag = OutputTag("side", Types.INT())

    class MyCoProcessFunction(CoProcessFunction):
        def process_element1(self, value, ctx):
            yield value[0]
            yield tag, value[1]

        def process_element2(self, value, ctx):
            yield value[1]
            yield tag, value[0]

    ds1 = env.from_collection([('a', 0), ('b', 1), ('c', 2)], type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds2 = env.from_collection([(3, 'c'), (1, 'a'), (0, 'd')], type_info=Types.ROW([Types.INT(), Types.STRING()]))
    ds3 = ds1.connect(ds2).process(MyCoProcessFunction(), output_type=Types.STRING())
    ds3.add_sink(test_sink)
    side_sink = DataStreamTestSinkFunction()
    ds3.get_side_output(tag).add_sink(side_sink)
    env.execute("test_co_process_side_output")
    assert_equals_sorted(['a', 'a', 'b', 'c', 'c', 'd'], test_sink.get_results())
    assert_equals_sorted(['0', '0', '1', '1', '2', '3'], side_sink.get_results())


def test_keyed_process_side_output(env):
    tag = OutputTag("side", Types.INT())
    ds = env.from_collection([('a', 1), ('b', 2), ('a', 3), ('b', 4)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))

    class MyKeyedProcessFunction(KeyedProcessFunction):
        def __init__(self):
            self.reducing_state = None

        def open(self, context: RuntimeContext):
            self.reducing_state = context.get_reducing_state(
                ReducingStateDescriptor("reduce", lambda i, j: i + j, Types.INT()))

        def process_element(self, value, ctx):
            yield value[1]
            self.reducing_state.add(value[1])
            yield tag, self.reducing_state.get()

    ds2 = ds.key_by(lambda e: e[0]).process(MyKeyedProcessFunction(), output_type=Types.INT())
    main_sink = DataStreamTestSinkFunction()
    ds2.add_sink(main_sink)
    side_sink = DataStreamTestSinkFunction()
    ds2.get_side_output(tag).add_sink(side_sink)
    env.execute("test_keyed_process_side_output")
    assert_equals_sorted(['1', '2', '3', '4'], main_sink.get_results())
    assert_equals_sorted(['1', '2', '4', '6'], side_sink.get_results())


def test_keyed_co_process_side_output(env):
    tag = OutputTag("side", Types.INT())
    ds1 = env.from_collection([('a', 1), ('b', 2), ('a', 3), ('b', 4)],
                              type_info=Types.ROW([Types.STRING(), Types.INT()]))
    ds2 = env.from_collection([(8, 'a'), (7, 'b'), (6, 'a'), (5, 'b')],
                              type_info=Types.ROW([Types.INT(), Types.STRING()]))

    class MyKeyedCoProcessFunction(KeyedCoProcessFunction):
        def __init__(self):
            self.reducing_state = None

        def open(self, context: RuntimeContext):
            self.reducing_state = context.get_reducing_state(
                ReducingStateDescriptor("reduce", lambda i, j: i + j, Types.INT()))

        def process_element1(self, value, ctx):
            yield ctx.get_current_key(), value[1]
            self.reducing_state.add(1)
            yield tag, self.reducing_state.get()

        def process_element2(self, value, ctx):
            yield ctx.get_current_key(), value[0]
            self.reducing_state.add(1)
            yield tag, self.reducing_state.get()

    ds3 = ds1.key_by(lambda e: e[0]).connect(ds2.key_by(lambda e: e[1])) \
        .process(MyKeyedCoProcessFunction(), output_type=Types.TUPLE([Types.STRING(), Types.INT()]))
    main_sink = DataStreamTestSinkFunction()
    ds3.add_sink(main_sink)
    side_sink = DataStreamTestSinkFunction()
    ds3.get_side_output(tag).add_sink(side_sink)
    env.execute("test_keyed_co_process_side_output")
    main_expected = ['(a,1)', '(b,2)', '(a,3)', '(b,4)', '(b,5)', '(a,6)', '(b,7)', '(a,8)']
    assert_equals_sorted(main_expected, main_sink.get_results())
    assert_equals_sorted(['1', '1', '2', '2', '3', '3', '4', '4'], side_sink.get_results())


def test_side_output_stream_execute_and_collect(env):
    tag = OutputTag("side", Types.INT())

    class MyProcessFunction(ProcessFunction):
        def process_element(self, value, ctx):
            yield value
            yield tag, value * 2

    ds = env.from_collection([1, 2, 3], Types.INT()).process(MyProcessFunction())
    ds_side = ds.get_side_output(tag)
    result = [i for i in ds_side.execute_and_collect()]
    assert_equals_sorted([2, 4, 6], result)


def test_side_output_tag_reusing(env):
    tag = OutputTag("side", Types.INT())

    class MyProcessFunction(ProcessFunction):
        def process_element(self, value, ctx):
            yield value
            yield tag, value * 2

    side1_sink = DataStreamTestSinkFunction()
    ds = env.from_collection([1, 2, 3], Types.INT()).process(MyProcessFunction())
    ds.get_side_output(tag).add_sink(side1_sink)
    side2_sink = DataStreamTestSinkFunction()
    ds.map(lambda i: i * 2).process(MyProcessFunction()).get_side_output(tag).add_sink(side2_sink)
    env.execute("test_side_output_tag_reusing")
    result1 = [i for i in side1_sink.get_results(stringify=False)]
    result2 = [i for i in side2_sink.get_results(stringify=False)]
    assert_equals_sorted(['2', '4', '6'], result1)
    assert_equals_sorted(['4', '8', '12'], result2)


def test_reduce_with_state(env, test_sink):
    """DataStreamStreamingTests.test_reduce_with_state: every intermediate reduction."""
    ds = env.from_collection([('a', 0), ('c', 1), ('d', 1), ('b', 0), ('e', 1)],
                             type_info=Types.ROW([Types.STRING(), Types.INT()]))
    keyed_stream = ds.key_by(MyKeySelector(), key_type=Types.INT())
    try:
        keyed_stream.name("keyed stream")
        raise AssertionError("KeyedStream.name must raise")
    except Exception as e:  # noqa: BLE001 - PyFlink's assertRaises(Exception)
        assert not isinstance(e, AssertionError)
    keyed_stream.reduce(MyReduceFunction()).add_sink(test_sink)
    env.execute('key_by_test')
    expected = ['+I[a, 0]', '+I[ab, 0]', '+I[c, 1]', '+I[cd, 1]', '+I[cde, 1]']
    assert_equals_sorted(expected, test_sink.get_results(False))


def test_reduce_with_state_batch(batch_env, test_sink):
    """DataStreamBatchTests.test_reduce_with_state: in BATCH mode, one final reduction per key."""
    ds = batch_env.from_collection([('a', 0), ('c', 1), ('d', 1), ('b', 0), ('e', 1)],
                                   type_info=Types.ROW([Types.STRING(), Types.INT()]))
    keyed_stream = ds.key_by(MyKeySelector(), key_type=Types.INT())
    keyed_stream.reduce(MyReduceFunction()).add_sink(test_sink)
    batch_env.execute('key_by_test')
    assert_equals_sorted(['+I[ab, 0]', '+I[cde, 1]'], test_sink.get_results(False))
