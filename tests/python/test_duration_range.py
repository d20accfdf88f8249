"""Durations the engine cannot hold (longer than .NET's TimeSpan, about 29,227 years) are refused where
they are given, naming the argument or option and the range: never an overflow inside the engine."""
from datetime import timedelta

import pytest

from pyflow.common import Configuration, Duration, RestartStrategies, Types, WatermarkStrategy
from pyflow.common.time import MAX_MILLIS, Time
from pyflow.datastream import StreamExecutionEnvironment
from pyflow.datastream.connectors import RollingPolicy
from pyflow.datastream.state_ttl import StateTtlConfig
from pyflow.datastream.window import (EventTimeSessionWindows, SlidingEventTimeWindows, TumblingEventTimeWindows,
                                      TumblingProcessingTimeWindows)
from pyflow.datastream.triggers import ContinuousEventTimeTrigger
from pyflow.errors import PlanError

HUGE = Duration.of_days(10 ** 9)  # 8.64e16 ms: fits Python and Java, not the engine
HUGER = Time.milliseconds(2 ** 70)  # not even a 64-bit integer
RANGE = f"and {MAX_MILLIS} ms (about 29,227 years), got"


def _env():
    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(1)
    return env


@pytest.mark.parametrize("call, named", [
    (lambda: TumblingEventTimeWindows.of(HUGE), "TumblingEventTimeWindows.of(size) must be between 1 ms"),
    (lambda: TumblingEventTimeWindows.of(HUGER), "TumblingEventTimeWindows.of(size) must be between 1 ms"),
    (lambda: TumblingProcessingTimeWindows.of(Time.seconds(1), HUGE),
     f"TumblingProcessingTimeWindows.of(offset) must be between {-MAX_MILLIS} ms"),
    (lambda: SlidingEventTimeWindows.of(Time.seconds(10), HUGER), "SlidingEventTimeWindows.of(slide) must be between 1 ms"),
    (lambda: EventTimeSessionWindows.with_gap(HUGE), "EventTimeSessionWindows.with_gap(size) must be between 1 ms"),
    (lambda: ContinuousEventTimeTrigger.of(HUGE), "ContinuousEventTimeTrigger.of(interval) must be between 1 ms"),
    (lambda: WatermarkStrategy.for_bounded_out_of_orderness(HUGE),
     "for_bounded_out_of_orderness(max_out_of_orderness) must be between 0 ms"),
    (lambda: WatermarkStrategy.for_monotonous_timestamps().with_idleness(HUGER),
     "with_idleness(idle_timeout) must be between 1 ms"),
    (lambda: StateTtlConfig.new_builder(HUGE), "the time-to-live must be between 1 ms"),
    (lambda: RestartStrategies.fixed_delay_restart(3, 2 ** 70),
     "fixed_delay_restart(delay_between_attempts) must be between 0 ms"),
    (lambda: RestartStrategies.fixed_delay_restart(3, timedelta(days=999_999_999)),
     "fixed_delay_restart(delay_between_attempts) must be between 0 ms"),
    (lambda: _env().get_checkpoint_config().set_checkpoint_timeout(2 ** 63),
     "set_checkpoint_timeout must be between 1 ms"),
    (lambda: _env().get_config().set_auto_watermark_interval(HUGE.to_milliseconds()),
     "set_auto_watermark_interval(interval) must be between 0 ms"),
    (lambda: RollingPolicy.default_rolling_policy(rollover_interval=HUGE.to_milliseconds()),
     "RollingPolicy(rollover_interval) must be between 1 ms"),
    (lambda: _env().from_collection([1], Types.LONG()).key_by(lambda x: x)
     .window(TumblingEventTimeWindows.of(Time.seconds(1))).allowed_lateness(HUGE),
     "allowed_lateness(time_ms) must be between 0 ms"),
])
def test_a_huge_duration_is_refused_by_the_call_that_takes_it(call, named):
    with pytest.raises(PlanError) as info:
        call()
    assert named in str(info.value) and RANGE in str(info.value)


def test_the_longest_duration_the_engine_holds_is_taken():
    spec = TumblingEventTimeWindows.of(Duration.of_millis(MAX_MILLIS))._to_plan()
    assert spec["size_ms"] == MAX_MILLIS


def _execute_with(key, value):
    config = Configuration().set_string(key, value)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.from_collection([1, 2], type_info=Types.INT()).print()
    with pytest.raises(PlanError) as info:
        env.execute()
    return str(info.value)


@pytest.mark.parametrize("key", ["execution.checkpointing.interval", "execution.checkpointing.timeout",
                                 "restart-strategy.fixed-delay.delay", "pipeline.auto-watermark-interval"])
def test_a_huge_duration_option_is_refused_naming_it_before_the_job_runs(key):
    message = _execute_with(key, "99999999999999 h")
    assert f"configuration option '{key}' must be between 0 ms and {MAX_MILLIS} ms" in message


def test_the_engine_host_refuses_a_huge_duration_option_of_a_plan_made_elsewhere(monkeypatch):
    # A plan from another client skips the driver's check; the host must still refuse it by name, not overflow.
    monkeypatch.setattr("pyflow.datastream.plan.check_duration_options", lambda config: None)
    message = _execute_with("pipeline.auto-watermark-interval", "99999999999999 s")
    assert f"option 'pipeline.auto-watermark-interval' = '99999999999999 s' is out of range: a duration must be " \
           f"between 0 ms and {MAX_MILLIS} ms" in message
    message = _execute_with("execution.checkpointing.timeout", "9999999999999999999")
    assert "execution.checkpointing.timeout" in message
