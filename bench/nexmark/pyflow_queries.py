"""Nexmark q5, q7 and q11 written as a PyFlow user would write them: DataStream API, Python functions,
event time from the bids' timestamps. Each builder returns the result stream; its records have the same
shape as the plain-Python reference in ``plain.py``."""
from pyflow.common import Time, Types
from pyflow.common.watermark_strategy import WatermarkStrategy
from pyflow.datastream.functions import AggregateFunction, ProcessAllWindowFunction, ProcessWindowFunction
from pyflow.datastream.window import (EventTimeSessionWindows, SlidingEventTimeWindows,
                                      TumblingEventTimeWindows)

BID_TYPE = Types.TUPLE([Types.LONG(), Types.LONG(), Types.LONG(), Types.LONG()])  # auction, bidder, price, ts


def bids(env, events):
    """The bids of the event list, as typed tuples with event time (persons and auctions filtered out)."""
    return (env.from_collection(events)
            .filter(lambda e: e[0] == "B")
            .map(lambda e: (e[1], e[2], e[3], e[4]), output_type=BID_TYPE)
            .assign_timestamps_and_watermarks(
                WatermarkStrategy.for_monotonous_timestamps().with_timestamp_assigner(lambda b, _: b[3])))


class Count(AggregateFunction):
    def create_accumulator(self):
        return 0

    def add(self, value, accumulator):
        return accumulator + 1

    def get_result(self, accumulator):
        return accumulator

    def merge(self, acc_a, acc_b):
        return acc_a + acc_b


class WithWindowEnd(ProcessWindowFunction):
    def process(self, key, context, elements):
        for n in elements:
            yield context.window().end, key, n


class TopAuctions(ProcessWindowFunction):
    def process(self, key, context, elements):
        rows = list(elements)
        top = max(r[2] for r in rows)
        return [r for r in rows if r[2] == top]


def q5(env, events):
    counts = (bids(env, events).key_by(lambda b: b[0])
              .window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(2)))
              .aggregate(Count(), window_function=WithWindowEnd(),
                         output_type=Types.TUPLE([Types.LONG(), Types.LONG(), Types.LONG()])))
    # Each result carries its window's end - 1, so a 2 s tumbling window holds one sliding window's counts.
    return (counts.key_by(lambda r: r[0]).window(TumblingEventTimeWindows.of(Time.seconds(2)))
            .process(TopAuctions(), output_type=Types.TUPLE([Types.LONG(), Types.LONG(), Types.LONG()])))


class HighestBids(ProcessAllWindowFunction):
    def process(self, context, elements):
        top, best = None, []
        for b in elements:
            if top is None or b[2] > top:
                top, best = b[2], [b]
            elif b[2] == top:
                best.append(b)
        end = context.window().end
        return [(end, *b) for b in best]


def q7(env, events):
    return (bids(env, events).window_all(TumblingEventTimeWindows.of(Time.seconds(10)))
            .process(HighestBids(), output_type=Types.TUPLE([Types.LONG()] * 5)))


class SessionRow(ProcessWindowFunction):
    def process(self, key, context, elements):
        w = context.window()
        for n in elements:
            yield key, n, w.start, w.end


def q11(env, events):
    return (bids(env, events).key_by(lambda b: b[1])
            .window(EventTimeSessionWindows.with_gap(Time.seconds(10)))
            .aggregate(Count(), window_function=SessionRow(), output_type=Types.TUPLE([Types.LONG()] * 4)))
