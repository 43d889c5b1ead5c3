"""The installation's own id (see `storage.models.Installation`)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Installation


class InstallationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def id(self, now: datetime) -> str:
        """The installation id; made here if the row is missing (a database whose row was
        deleted by hand), so that calendars keep working. Only flushes."""
        found = await self._session.scalar(
            select(Installation.id).order_by(Installation.created_at).limit(1)
        )
        if found is not None:
            return found
        row = Installation(id=secrets.token_hex(8), created_at=now)
        self._session.add(row)
        await self._session.flush()
        return row.id
