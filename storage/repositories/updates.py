"""Seen Telegram update ids, so a redelivered update is handled once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate


class UpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_time(self, update_id: int, now: datetime) -> bool:
        """Records the id; False when it was recorded before (a duplicate delivery).

        One INSERT … ON CONFLICT DO NOTHING: no savepoint, one round trip per update.
        """
        dialect = self._session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        result = await self._session.execute(
            insert(ProcessedUpdate)
            .values(update_id=update_id, seen_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def forget_before(self, moment: datetime) -> int:
        result = await self._session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < moment)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
