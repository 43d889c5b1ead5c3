"""Engine and session factory; the only place that knows how to connect."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction

from storage.health import RECONNECT, error_kind

log = logging.getLogger(__name__)
CHECKPOINT = "copbot_checkpoint_on_checkin"


def create_engine(
    url: str, *, on_error: Callable[[str], None] | None = None, **kwargs: Any
) -> AsyncEngine:
    """Builds the async engine; SQLite gets WAL, foreign keys and a busy timeout.

    Without `foreign_keys=ON` SQLite ignores ON DELETE rules that erasure relies on;
    `secure_delete=ON` overwrites deleted content instead of leaving it in free pages,
    and a transaction that erased (`checkpoint_after`) empties the WAL when it ends.
    Parameters are hidden from logs and error messages: they carry what members wrote.
    Every database error is sorted into a kind (`storage.health.error_kind`), logged as
    that kind, passed to `on_error` (the metrics), and a connection that cannot recover
    by itself (opened read-only, on a full disk, cut off) is dropped from the pool.
    """
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        if ":memory:" not in url:
            # SQLite takes one writer at a time, and its busy handler waits in sleeps of up
            # to 100 ms: 16 overlapping turns queueing there had a p99 of 1.4 s. Queueing on
            # one pooled connection instead is an asyncio wait that hands it over the moment
            # it is free (p99 in `bench/bench_db.py`). Transactions are short (no Bot API
            # call inside one), so this costs no parallelism SQLite would have given.
            kwargs.setdefault("pool_size", 1)
            kwargs.setdefault("max_overflow", 0)
            kwargs.setdefault("pool_timeout", 60)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()
            # SQLAlchemy, not the driver, says when a transaction begins (see `_begin`).
            dbapi_connection.isolation_level = None

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(connection: Any) -> None:
            if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
                return  # `checkpoint` and other statements that must run outside one
            # Concurrent turns on SQLite: a deferred transaction that read and then writes
            # fails at once ("database is locked") when another wrote in between; one that
            # takes the write lock at its start waits its turn (busy timeout) instead.
            # Turns are short (no Bot API call inside one), so writers queue briefly.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        @event.listens_for(engine.sync_engine.pool, "checkin")
        def _checkpoint(dbapi_connection: Any, record: Any) -> None:
            if dbapi_connection is None or not record.info.pop(CHECKPOINT, False):
                return
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception as exc:  # the erasure itself is committed: only log
                log.warning("WAL checkpoint after erasure failed (%s)", type(exc).__name__)
            finally:
                cursor.close()

    @event.listens_for(engine.sync_engine, "handle_error")
    def _sort_error(context: ExceptionContext) -> None:
        kind = error_kind(context.original_exception)
        log.warning(
            "database error: %s (%s)",
            kind.replace("_", "-"),
            type(context.original_exception).__name__,
        )
        if on_error is not None:
            on_error(kind)
        if kind in RECONNECT:
            context.is_disconnect = True

    return engine


async def checkpoint(engine: AsyncEngine) -> None:
    """Copies SQLite's WAL into the database file and empties it (outside a transaction)."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        free = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await free.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


async def checkpoint_after(session: AsyncSession) -> None:
    """Erased text must not stay in SQLite's WAL: once this transaction has ended (its
    connection goes back to the pool), the WAL is copied into the file and emptied."""
    connection = await session.connection()
    if connection.dialect.name == "sqlite":
        connection.info[CHECKPOINT] = True


#: Per asyncio task: how many of its sessions hold a database transaction right now.
_OPEN: weakref.WeakKeyDictionary[asyncio.Task[Any], int] = weakref.WeakKeyDictionary()
_TASK = "copbot_task"


@event.listens_for(Session, "after_begin")
def _began(session: Session, _transaction: SessionTransaction, _connection: Any) -> None:
    task = _current_task()
    if task is not None and _TASK not in session.info:
        session.info[_TASK] = weakref.ref(task)
        _OPEN[task] = _OPEN.get(task, 0) + 1


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    ref = session.info.pop(_TASK, None)
    task = ref() if ref is not None else None
    if task is not None and task in _OPEN:
        _OPEN[task] -= 1
        if _OPEN[task] <= 0:
            del _OPEN[task]


#: Rows a session loaded stay referenced until it ends. SQLAlchemy's identity map holds rows
#: weakly, and services hand out views, not rows: without this a turn's `session.get` of
#: the community or prompt it resolved a moment ago (gone from the map) is read again.
#: A session lives one turn, so this costs the turn's few rows. (SQLAlchemy's recipe,
#: "Session Referencing Behavior".)
_REFS = "copbot_rows"


@event.listens_for(Session, "pending_to_persistent")
@event.listens_for(Session, "deleted_to_persistent")
@event.listens_for(Session, "detached_to_persistent")
@event.listens_for(Session, "loaded_as_persistent")
def _hold(session: Session, instance: object) -> None:
    session.info.setdefault(_REFS, set()).add(instance)


@event.listens_for(Session, "persistent_to_detached")
@event.listens_for(Session, "persistent_to_deleted")
@event.listens_for(Session, "persistent_to_transient")
def _release(session: Session, instance: object) -> None:
    session.info.get(_REFS, set()).discard(instance)


def _current_task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no loop running (a synchronous script)
        return None


def in_transaction() -> bool:
    """Whether the running task holds a database transaction: no Bot API call may be made then
    (a slow Telegram would hold the database's locks); `MeteredRequest` counts any that is."""
    task = _current_task()
    return task is not None and _OPEN.get(task, 0) > 0


def create_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """One session per update or job; `expire_on_commit=False` keeps values readable."""
    return async_sessionmaker(engine, expire_on_commit=False)
