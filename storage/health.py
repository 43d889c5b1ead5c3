"""What the database's failures are called, and a probe that proves it takes writes.

A `SELECT 1` passes on a read-only or full SQLite file and on a PostgreSQL in recovery,
so readiness writes one row instead. Errors are sorted into a few kinds an operator can
act on (read-only, full, locked, unreachable); the engine's error hook
(`storage.db.create_engine`) counts them and drops connections that cannot recover on
their own, so the pool heals when the cause is gone, without a restart.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import HealthCheck

READ_ONLY = "read_only"
FULL = "full"
LOCKED = "locked"
UNREACHABLE = "unreachable"
OTHER = "other"
#: Kinds after which a pooled connection is dropped: a new one may well work.
RECONNECT = frozenset({READ_ONLY, FULL, UNREACHABLE})

_SIGNS = (
    (READ_ONLY, ("readonly", "read-only", "read only")),
    (FULL, ("disk is full", "no space left", "could not extend file", "disk full")),
    (LOCKED, ("database is locked", "lock timeout", "deadlock", "could not obtain lock")),
    (
        UNREACHABLE,
        (
            "connection refused",
            "could not connect",
            "connection is closed",
            "connection was closed",
            "unable to open database",
            "terminating connection",
            "the database system is",
            "connection reset",
        ),
    ),
)


def error_kind(error: BaseException) -> str:
    """The kind of a database failure, from the driver's own words (never shown as such)."""
    text = f"{type(error).__name__} {error}".lower()
    for kind, signs in _SIGNS:
        if any(sign in text for sign in signs):
            return kind
    if isinstance(error, (OSError, ConnectionError)):
        return UNREACHABLE
    return OTHER


#: Below this much free space a SQLite file is not ready: small writes still fit in the
#: write-ahead log, but the next checkpoint or a larger answer would fail half-way.
MIN_FREE_BYTES = 1 << 20


class LowDiskSpace(OSError):
    """The SQLite file's file system is (nearly) full."""


def check_free_space(engine: AsyncEngine) -> None:
    """Raises LowDiskSpace when a SQLite file has less than MIN_FREE_BYTES to grow into."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return
    free = shutil.disk_usage(Path(database).resolve().parent).free
    if free < MIN_FREE_BYTES:
        raise LowDiskSpace(f"no space left for the database ({free} bytes free)")


async def probe_write(engine: AsyncEngine, now: datetime) -> None:
    """Writes and commits one row; raises whatever the database says when it cannot.

    A pooled connection opened while the file was read-only stays read-only after the
    file is writable again; its failure drops it (and the pool's older connections), so
    one more try on a fresh connection tells whether the database itself takes writes.
    """
    check_free_space(engine)
    try:
        await _write(engine, now)
    except DBAPIError as error:
        if error_kind(error.orig or error) not in RECONNECT:
            raise
        await _write(engine, now)


async def _write(engine: AsyncEngine, now: datetime) -> None:
    async with engine.begin() as connection:
        result = await connection.execute(
            update(HealthCheck).where(HealthCheck.id == 1).values(checked_at=now)
        )
        if result.rowcount == 0:
            await connection.execute(insert(HealthCheck).values(id=1, checked_at=now))
