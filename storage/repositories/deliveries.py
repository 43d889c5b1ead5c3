"""The messages of each reminder, one row per recipient: planned -> sending -> settled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, Reminder

PENDING = ("planned", "sending")


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, delivery: Delivery) -> None:
        self._session.add(delivery)

    async def forget_chat(self, community_id: int, chat_id: int) -> int:
        """Drops the CoP's messages to one private chat (erasure: nothing addressed to the
        person stays, not even that a nudge went out)."""
        result = await self._session.execute(
            delete(Delivery).where(
                Delivery.community_id == community_id, Delivery.chat_id == chat_id
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def get(self, delivery_id: int) -> Delivery | None:
        return await self._session.get(Delivery, delivery_id)

    async def of_reminder(self, reminder_id: int) -> list[Delivery]:
        rows = await self._session.scalars(
            select(Delivery).where(Delivery.reminder_id == reminder_id).order_by(Delivery.id)
        )
        return list(rows)

    async def due_ids(self, reminder_id: int, now: datetime) -> list[int]:
        rows = await self._session.scalars(
            select(Delivery.id)
            .where(
                Delivery.reminder_id == reminder_id,
                Delivery.status == "planned",
                Delivery.due_at <= now,
            )
            .order_by(Delivery.id)
        )
        return list(rows)

    async def reminders_due(self, now: datetime, limit: int) -> list[int]:
        """Reminders part-way through delivery with a message due again now."""
        rows = await self._session.scalars(
            select(Delivery.reminder_id)
            .join(Reminder, Reminder.id == Delivery.reminder_id)
            .where(
                Reminder.status == "delivering",
                Delivery.status == "planned",
                Delivery.due_at <= now,
            )
            .group_by(Delivery.reminder_id)
            .order_by(Delivery.reminder_id)
            .limit(limit)
        )
        return list(rows)

    async def claim(self, delivery_id: int, now: datetime) -> Delivery | None:
        """Compare-and-set planned -> sending: of two senders, exactly one gets the message.

        Committed before the message goes out; a crash after it leaves the row "sending",
        which recovery records as interrupted and never sends again (at most once).
        """
        result = await self._session.execute(
            update(Delivery)
            .where(
                Delivery.id == delivery_id,
                Delivery.status == "planned",
                Delivery.due_at <= now,
            )
            .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return None
        return await self._session.get(Delivery, delivery_id, populate_existing=True)

    async def stale(self, before: datetime) -> list[Delivery]:
        """Messages claimed before `before` and never settled: their sender died."""
        rows = await self._session.scalars(
            select(Delivery).where(Delivery.status == "sending", Delivery.claimed_at < before)
        )
        return list(rows)

    async def move_chat(self, community_id: int, old: int, new: int) -> None:
        """A group became a supergroup: its messages still due go to the new chat id."""
        await self._session.execute(
            update(Delivery)
            .where(
                Delivery.community_id == community_id,
                Delivery.chat_id == old,
                Delivery.status == "planned",
            )
            .values(chat_id=new)
            .execution_options(synchronize_session=False)
        )
