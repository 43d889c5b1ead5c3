"""Seen Telegram update ids, so a redelivered update is handled once; and the inbox of
acknowledged updates not yet handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxUpdate, ProcessedUpdate


class UpdateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_time(self, update_id: int, now: datetime) -> bool:
        """Records the id; False when it was recorded before (a duplicate delivery).

        One INSERT … ON CONFLICT DO NOTHING: no savepoint, one round trip per update.
        """
        result = await self._session.execute(
            self._insert(ProcessedUpdate)
            .values(update_id=update_id, seen_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def forget_before(self, moment: datetime) -> int:
        result = await self._session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < moment)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def accept(self, update_id: int, payload: dict[str, Any], now: datetime) -> bool:
        """Keeps an acknowledged update; False when it is in the inbox already."""
        result = await self._session.execute(
            self._insert(InboxUpdate)
            .values(update_id=update_id, payload=payload, received_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def handled(self, update_id: int) -> None:
        await self._session.execute(delete(InboxUpdate).where(InboxUpdate.update_id == update_id))

    async def waiting(self, before: datetime, limit: int) -> list[tuple[int, dict[str, Any]]]:
        """Acknowledged updates received before `before` and not handled, oldest first."""
        rows = await self._session.execute(
            select(InboxUpdate.update_id, InboxUpdate.payload)
            .where(InboxUpdate.received_at < before)
            .order_by(InboxUpdate.update_id)
            .limit(limit)
        )
        return [(int(update_id), dict(payload)) for update_id, payload in rows]

    def _insert(self, model: type[InboxUpdate] | type[ProcessedUpdate]) -> Any:
        dialect = self._session.get_bind().dialect.name
        return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)
