"""The loop-lag monitor: a stall of the event loop shows in the metrics."""

from __future__ import annotations

import asyncio
import time

from bot.app.metrics import Metrics, watch_loop


def _value(metrics: Metrics, name: str) -> float:
    found = metrics.registry.get_sample_value(name)
    assert found is not None, f"{name} is not exported"
    return found


async def test_a_blocked_loop_moves_the_lag_metrics() -> None:
    metrics = Metrics()
    assert _value(metrics, "copbot_event_loop_lag_max_seconds") == 0.0
    monitor = asyncio.create_task(watch_loop(metrics, interval=0.001))
    try:
        await asyncio.sleep(0)  # the monitor is asleep now
        time.sleep(0.05)  # noqa: ASYNC251 - blocking the loop on purpose
        while _value(metrics, "copbot_event_loop_lag_seconds_count") == 0:  # noqa: ASYNC110
            await asyncio.sleep(0)
    finally:
        monitor.cancel()
    assert _value(metrics, "copbot_event_loop_lag_max_seconds") > 0
    assert _value(metrics, "copbot_event_loop_lag_seconds_sum") > 0
    assert b"copbot_event_loop_lag_seconds_bucket" in metrics.render()


def test_the_longest_stall_is_kept() -> None:
    metrics = Metrics()
    for seconds in (0.02, 0.3, 0.01, -0.001):
        metrics.stalled(seconds)
    assert _value(metrics, "copbot_event_loop_lag_max_seconds") == 0.3
    assert _value(metrics, "copbot_event_loop_lag_seconds_count") == 4
