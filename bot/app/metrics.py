"""Prometheus metrics, in a registry owned by the process's services (no global state).

Labels carry kinds and outcomes only, never ids or text: nothing a member wrote
can end up in a metric.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Reminder

#: A reminder not yet sent: waiting for its time, or on its way (some messages still due).
UNSENT = ("planned", "delivering")

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self._longest_stall = 0.0
        self.registry = CollectorRegistry()
        # The standard process_* family (CPU, memory, open files, start time), as every
        # Prometheus client exports it; on Linux only (it reads /proc), elsewhere empty.
        ProcessCollector(registry=self.registry)
        self.reminder_backlog = Gauge(
            "copbot_reminder_backlog",
            "Planned reminders whose time has come (due), and those due for longer than a few "
            "passes of the outbox (overdue: the sender is stuck, or no process leads)",
            ["state"],
            registry=self.registry,
        )
        self.updates = Counter(
            "copbot_updates",
            "Updates received (duplicates included), by kind",
            ["kind"],
            registry=self.registry,
        )
        self.duplicates = Counter(
            "copbot_duplicate_updates",
            "Updates delivered again and skipped",
            registry=self.registry,
        )
        self.latency = Histogram(
            "copbot_handler_seconds",
            "Time to handle one update",
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.sent = Counter(
            "copbot_telegram_calls", "Bot API calls, by method", ["method"], registry=self.registry
        )
        self.telegram_errors = Counter(
            "copbot_telegram_errors",
            "Bot API errors, by kind (429, 403, 400, network)",
            ["kind"],
            registry=self.registry,
        )
        self.calls_in_transaction = Counter(
            "copbot_telegram_calls_in_transaction",
            "Bot API calls made while a database transaction was open (should stay 0)",
            ["method"],
            registry=self.registry,
        )
        self.reminders = Counter(
            "copbot_reminders",
            "Reminders by outcome (sent, missed, skipped, failed, retry)",
            ["outcome"],
            registry=self.registry,
        )
        self.database_errors = Counter(
            "copbot_database_errors",
            "Database errors, by kind (read_only, full, locked, unreachable, other)",
            ["kind"],
            registry=self.registry,
        )

        self.loop_lag = Histogram(
            "copbot_event_loop_lag_seconds",
            "How late the event loop woke up from a short sleep (a stall: nothing else ran)",
            registry=self.registry,
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.loop_lag_max = Gauge(
            "copbot_event_loop_lag_max_seconds",
            "The longest event-loop stall since the process started",
            registry=self.registry,
        )

    def stalled(self, seconds: float) -> None:
        """Records one wake-up that came ``seconds`` late."""
        seconds = max(seconds, 0.0)
        self.loop_lag.observe(seconds)
        if seconds > self._longest_stall:
            self._longest_stall = seconds
            self.loop_lag_max.set(seconds)

    async def measure_backlog(
        self, sessions: async_sessionmaker[AsyncSession], now: datetime, overdue: timedelta
    ) -> None:
        """Counts the outbox's planned rows due by ``now`` (read at each scrape: one indexed
        count, on the status-and-due-time index)."""
        due = func.count().filter(Reminder.due_at <= now)
        late = func.count().filter(Reminder.due_at <= now - overdue)
        async with sessions() as session:
            row = (
                await session.execute(select(due, late).where(Reminder.status.in_(UNSENT)))
            ).one()
        self.reminder_backlog.labels("due").set(row[0])
        self.reminder_backlog.labels("overdue").set(row[1])

    def render(self) -> bytes:
        return generate_latest(self.registry)


def overdue_after(tick_seconds: int) -> timedelta:
    """A reminder is overdue when three passes of the outbox (at least five minutes) left
    it unsent."""
    return max(timedelta(seconds=3 * tick_seconds), timedelta(minutes=5))


LAG_INTERVAL = 0.1  # seconds between the monitor's wake-ups


async def watch_loop(metrics: Metrics, interval: float = LAG_INTERVAL) -> None:
    """Runs until cancelled: sleeps ``interval`` and records how much later it woke up.

    Anything that holds the loop (CPU work, a blocking call) shows as that overshoot.
    """
    while True:
        start = time.perf_counter()
        await asyncio.sleep(interval)
        metrics.stalled(time.perf_counter() - start - interval)
