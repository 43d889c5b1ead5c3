"""Logging for `copbot run` and the operator commands: plain lines, or JSON for a collector.

Library loggers that print whole updates or SQL parameters (what members wrote) never go
below WARNING, whatever the level; copbot's own lines carry ids, kinds and outcomes only.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

#: Loggers that would print member text at DEBUG (updates, SQL parameters), or chatter
#: at INFO (alembic lists its plugins and every migration at each start).
QUIET = ("httpx", "telegram", "apscheduler", "aiosqlite", "asyncpg", "sqlalchemy", "alembic")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line (time, level, logger, message, and the exception if any),
    as log collectors (Loki, Elastic, journald's JSON export) read them."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, fmt: str = "text") -> None:
    """Sets up the root logger once per process (`logging.basicConfig`)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    logging.getLogger().setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.WARNING))
    # Each 429 goes back to the reminder outbox and is counted in the metrics; the
    # limiter's own traceback per 429 would only flood the log.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
