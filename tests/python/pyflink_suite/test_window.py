"""Port of PyFlink's ``pyflink/datastream/tests/test_window.py`` (WindowTests): the same pipelines and expected
values; only the harness differs (pyflink_suite.harness), and each test runs in both execution modes."""
from typing import Iterable

from pyflow.common.time import Time
from pyflow.common.typeinfo import Types
from pyflow.common.watermark_strategy import WatermarkStrategy
from pyflow.datastream.functions import ProcessWindowFunction, WindowFunction
from pyflow.datastream.window import (CountWindow, EventTimeSessionWindows, SlidingEventTimeWindows,
                                      TumblingEventTimeWindows)
from pyflink_suite.conftest import missing
from pyflink_suite.harness import SecondColumnTimestampAssigner, assert_equals_sorted


def test_event_time_tumbling_window(env, test_sink):
    data_stream = env.from_collection([
        ('hi', 1), ('hi', 2), ('hi', 3), ('hi', 4), ('hi', 5), ('hi', 8), ('hi', 9), ('hi', 15)],
        type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(SecondColumnTimestampAssigner())
    data_stream.assign_timestamps_and_watermarks(watermark_strategy) \
        .key_by(lambda x: x[0], key_type=Types.STRING()) \
        .window(TumblingEventTimeWindows.of(Time.milliseconds(5))) \
        .process(CountWindowProcessFunction(), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .add_sink(test_sink)
    env.execute('test_event_time_tumbling_window')
    assert_equals_sorted(['(hi,4)', '(hi,3)', '(hi,1)'], test_sink.get_results())


def test_count_tumbling_window(env, test_sink):
    data_stream = env.from_collection([
        (1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello'), (6, 'hello')],
        type_info=Types.TUPLE([Types.INT(), Types.STRING()]))
    data_stream.key_by(lambda x: x[1], key_type=Types.STRING()) \
        .count_window(3) \
        .apply(SumWindowFunction(), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .add_sink(test_sink)
    env.execute('test_count_tumbling_window')
    assert_equals_sorted(['(hi,9)', '(hello,12)'], test_sink.get_results())


def test_event_time_sliding_window(env, test_sink):
    data_stream = env.from_collection([
        ('hi', 1), ('hi', 2), ('hi', 3), ('hi', 4), ('hi', 5), ('hi', 8), ('hi', 9), ('hi', 15)],
        type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(SecondColumnTimestampAssigner())
    data_stream.assign_timestamps_and_watermarks(watermark_strategy) \
        .key_by(lambda x: x[0], key_type=Types.STRING()) \
        .window(SlidingEventTimeWindows.of(Time.milliseconds(5), Time.milliseconds(2))) \
        .process(CountWindowProcessFunction(), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .add_sink(test_sink)
    env.execute('test_event_time_sliding_window')
    expected = ['(hi,2)', '(hi,4)', '(hi,4)', '(hi,3)', '(hi,2)', '(hi,2)', '(hi,1)', '(hi,1)']
    assert_equals_sorted(expected, test_sink.get_results())


@missing("count sliding windows: CountSlidingWindowAssigner / count_window(size, slide)")
def test_count_sliding_window(env, test_sink):
    from pyflow.datastream.window import CountSlidingWindowAssigner
    data_stream = env.from_collection([
        (1, 'hi'), (2, 'hello'), (3, 'hi'), (4, 'hello'), (5, 'hi'), (6, 'hello')],
        type_info=Types.TUPLE([Types.INT(), Types.STRING()]))
    data_stream.key_by(lambda x: x[1], key_type=Types.STRING()) \
        .window(CountSlidingWindowAssigner(2, 1)) \
        .apply(SumWindowFunction(), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .add_sink(test_sink)
    env.execute('test_count_sliding_window')
    assert_equals_sorted(['(hello,6)', '(hi,8)', '(hi,4)', '(hello,10)'], test_sink.get_results())


def test_event_time_session_window(env, test_sink):
    data_stream = env.from_collection([
        ('hi', 1), ('hi', 2), ('hi', 3), ('hi', 4), ('hi', 8), ('hi', 9), ('hi', 15)],
        type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(SecondColumnTimestampAssigner())
    data_stream.assign_timestamps_and_watermarks(watermark_strategy) \
        .key_by(lambda x: x[0], key_type=Types.STRING()) \
        .window(EventTimeSessionWindows.with_gap(Time.milliseconds(5))) \
        .process(CountWindowProcessFunction(), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .add_sink(test_sink)
    env.execute('test_event_time_session_window')
    assert_equals_sorted(['(hi,1)', '(hi,6)'], test_sink.get_results())


@missing("dynamic-gap session windows: EventTimeSessionWindows.with_dynamic_gap / SessionWindowTimeGapExtractor")
def test_event_time_dynamic_gap_session_window(env, test_sink):
    from pyflow.datastream.window import SessionWindowTimeGapExtractor

    class MySessionWindowTimeGapExtractor(SessionWindowTimeGapExtractor):
        def extract(self, element: tuple) -> int:
            return element[1]

    env.set_parallelism(1)
    data_stream = env.from_collection([
        ('hi', 1), ('hi', 2), ('hi', 3), ('hi', 4), ('hi', 9), ('hi', 9), ('hi', 15)],
        type_info=Types.TUPLE([Types.STRING(), Types.INT()]))
    watermark_strategy = WatermarkStrategy.for_monotonous_timestamps() \
        .with_timestamp_assigner(SecondColumnTimestampAssigner())
    data_stream.assign_timestamps_and_watermarks(watermark_strategy) \
        .key_by(lambda x: x[0], key_type=Types.STRING()) \
        .window(EventTimeSessionWindows.with_dynamic_gap(MySessionWindowTimeGapExtractor())) \
        .process(CountWindowProcessFunction(), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .add_sink(test_sink)
    env.execute('test_event_time_dynamic_gap_session_window')
    assert_equals_sorted(['(hi,3)', '(hi,4)'], test_sink.get_results())


class SumWindowFunction(WindowFunction):

    def apply(self, key: str, window: CountWindow, inputs: Iterable[tuple]):
        result = 0
        for i in inputs:
            result += i[0]
        return [(key, result)]


class CountWindowProcessFunction(ProcessWindowFunction):

    def process(self, key: str, content: ProcessWindowFunction.Context,
                elements: Iterable[tuple]) -> Iterable[tuple]:
        return [(key, len([e for e in elements]))]

    def clear(self, context: ProcessWindowFunction.Context) -> None:
        pass
