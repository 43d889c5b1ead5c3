"""Leader election: exactly one process runs the scheduler.

On PostgreSQL the leader holds a session-level advisory lock on a dedicated
connection; when the process dies the connection closes, the lock is released
and another process takes it on its next try. SQLite serves one process, which
is always the leader.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

LOCK_KEY = 0x636F70626F74  # "copbot"


class Leadership:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._single = engine.dialect.name != "postgresql"

    @property
    def is_leader(self) -> bool:
        return self._single or self._connection is not None

    async def try_acquire(self) -> bool:
        """Becomes leader if no one else is; cheap to call every tick."""
        if self.is_leader:
            if self._connection is not None and not await self._alive():
                self._connection = None
            else:
                return True
        connection = await self._engine.connect()
        try:
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
            )
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if got:
            self._connection = connection
            log.info("this process now runs the scheduler")
            return True
        await connection.close()
        return False

    async def release(self) -> None:
        if self._connection is not None:
            try:
                await self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY}
                )
                await self._connection.commit()
            finally:
                await self._connection.close()
                self._connection = None

    async def _alive(self) -> bool:
        assert self._connection is not None
        try:
            await self._connection.execute(text("SELECT 1"))
            await self._connection.commit()
        except Exception:
            log.warning("lost the scheduler lock connection")
            return False
        return True
