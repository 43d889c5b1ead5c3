"""Prometheus metrics, in a registry owned by the process's services (no global state).

Labels carry kinds and outcomes only, never ids or text: nothing a member wrote
can end up in a metric.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
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

    def render(self) -> bytes:
        return generate_latest(self.registry)
