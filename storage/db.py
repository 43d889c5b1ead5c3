"""Engine and session factory; the only place that knows how to connect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Builds the async engine; SQLite gets WAL, foreign keys and a busy timeout.

    Without `foreign_keys=ON` SQLite ignores ON DELETE rules that erasure relies on.
    Parameters are hidden from logs and error messages: they carry what members wrote.
    """
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def create_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """One session per update or job; `expire_on_commit=False` keeps values readable."""
    return async_sessionmaker(engine, expire_on_commit=False)
