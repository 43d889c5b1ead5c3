"""Each Telegram update is handled once, even when delivered twice."""

from __future__ import annotations

from datetime import timedelta

from bot.services.unit import Unit
from storage.repositories.updates import UpdateRepository

KEEP = timedelta(days=7)


async def first_time(unit: Unit, update_id: int) -> bool:
    return await UpdateRepository(unit.session).first_time(update_id, unit.now)


async def prune(unit: Unit) -> int:
    """Telegram stops redelivering after a day; a week of ids is plenty."""
    return await UpdateRepository(unit.session).forget_before(unit.now - KEEP)
