"""Each Telegram update is handled once, even when delivered twice, and none that we
acknowledged is lost: it waits in the inbox until it has been handled."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError

from bot.services.unit import Unit
from storage.locks import hold_chat
from storage.repositories.updates import UpdateRepository

KEEP = timedelta(days=7)


async def in_order(unit: Unit, chat_id: int) -> None:
    """Turns of one chat never overlap, in any process (PostgreSQL's advisory lock)."""
    await hold_chat(unit.session, chat_id)


async def first_time(unit: Unit, update_id: int) -> bool:
    return await UpdateRepository(unit.session).first_time(update_id, unit.now)


async def prune(unit: Unit) -> int:
    """Telegram stops redelivering after a day; a week of ids is plenty."""
    return await UpdateRepository(unit.session).forget_before(unit.now - KEEP)


def is_outage(error: BaseException) -> bool:
    """The database failed (not the update's content): handling it again later may work."""
    return isinstance(error, (DBAPIError, OSError))


async def accept(unit: Unit, update_id: int, payload: dict[str, Any]) -> bool:
    """Keeps an update before Telegram is told we have it; False if it is kept already."""
    return await UpdateRepository(unit.session).accept(update_id, payload, unit.now)


async def forget_user(unit: Unit, user_id: int) -> int:
    """Drops the person's updates still waiting in the inbox (erasure: nothing of theirs
    may be handled after it); returns how many."""
    repository = UpdateRepository(unit.session)
    mine = [
        update_id
        for update_id, payload in await repository.waiting(unit.now + KEEP, limit=100_000)
        if _sender(payload) == user_id
    ]
    for update_id in mine:
        await repository.handled(update_id)
    return len(mine)


def _sender(payload: dict[str, Any]) -> int | None:
    for part in payload.values():
        if isinstance(part, dict) and isinstance(part.get("from"), dict):
            sender = part["from"].get("id")
            return int(sender) if isinstance(sender, int) else None
    return None


async def handled(unit: Unit, update_id: int) -> None:
    await UpdateRepository(unit.session).handled(update_id)


async def waiting(
    unit: Unit, before: datetime, limit: int = 500
) -> list[tuple[int, dict[str, Any]]]:
    """Acknowledged updates still to handle (received before `before`), oldest first."""
    return await UpdateRepository(unit.session).waiting(before, limit)
