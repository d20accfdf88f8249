"""The options whose values are durations, checked when the plan is built: a value the engine cannot hold
(longer than ``pyflow.common.time.MAX_MILLIS``) is refused here naming the option, not as an overflow in the host.

>>> check_duration_options({"execution.checkpointing.interval": "10 s"})
>>> check_duration_options({"execution.checkpointing.timeout": "999999999999999 h"})
Traceback (most recent call last):
pyflow.errors.PlanError: configuration option 'execution.checkpointing.timeout' must be between 0 ms and 922337203685477 ms (about 29,227 years), got 3599999999999996400000 ms
"""
from pyflow.datastream.checkpoint_config import INTERVAL, MIN_PAUSE, TIMEOUT, _millis

DURATION_KEYS = (INTERVAL, TIMEOUT, MIN_PAUSE, "restart-strategy.fixed-delay.delay", "pipeline.auto-watermark-interval")


def check_duration_options(config: dict) -> None:
    """Raises PlanError naming the first duration option of ``config`` that is malformed or out of range."""
    for key in DURATION_KEYS:
        if key in config:
            _millis(key, config[key])
