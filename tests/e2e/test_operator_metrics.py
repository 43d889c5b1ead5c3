"""The metrics an IT person's monitoring reads (issue 19): the standard `process_*` family,
the reminder backlog (due, and overdue: the sender is stuck), the longest loop stall."""

from __future__ import annotations

import sys
from datetime import timedelta

import httpx
import pytest

from bot.app.context import CopApplication, Services
from bot.app.web import create_web_app
from bot.clock import ManualClock
from bot.sandbox import Sandbox
from tests.conftest import groups_with_a_due_reminder


def _value(metrics: str, name: str) -> float:
    line = next(line for line in metrics.splitlines() if line.startswith(f"{name} "))
    return float(line.split()[-1])


async def test_metrics_show_the_reminder_backlog_and_the_process(
    app: CopApplication, services: Services, sandbox: Sandbox, clock: ManualClock
) -> None:
    await groups_with_a_due_reminder(sandbox, services, 1, clock() - timedelta(hours=1))
    await groups_with_a_due_reminder(sandbox, services, 2, clock())
    await groups_with_a_due_reminder(sandbox, services, 1, clock() + timedelta(hours=1))
    transport = httpx.ASGITransport(app=create_web_app(app, secret=None))
    async with httpx.AsyncClient(transport=transport, base_url="http://copbot") as http:
        metrics = (await http.get("/metrics")).text
    assert _value(metrics, 'copbot_reminder_backlog{state="due"}') == 3
    assert _value(metrics, 'copbot_reminder_backlog{state="overdue"}') == 1
    assert "copbot_event_loop_lag_max_seconds" in metrics
    if sys.platform.startswith("linux"):
        assert _value(metrics, "process_resident_memory_bytes") > 0
        assert "process_cpu_seconds_total" in metrics
    else:  # pragma: no cover
        pytest.skip("process_* reads /proc")
