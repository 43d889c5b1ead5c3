"""Seen Telegram update ids, so a redelivered update is handled once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate


class UpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_time(self, update_id: int, now: datetime) -> bool:
        """Records the id; False when it was recorded before (a duplicate delivery)."""
        try:
            async with self._session.begin_nested():
                self._session.add(ProcessedUpdate(update_id=update_id, seen_at=now))
        except IntegrityError:
            return False
        return True

    async def forget_before(self, moment: datetime) -> int:
        result = await self._session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < moment)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
