"""The unit of work a service runs in: one session and one moment in time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Unit:
    """One update's (or job's) database session and its `now`.

    The session is committed once by whoever opened it, never by a service.
    """

    session: AsyncSession
    now: datetime
