"""The outbox of reminders: planned rows become sent, missed, skipped or failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, Reminder

#: A reminder in one of these states is done with: nothing moves it any more.
SETTLED = ("sent", "missed", "skipped", "cancelled", "failed")


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        rows = await self._session.scalars(
            select(Reminder.id)
            .where(Reminder.status == "planned", Reminder.due_at <= now)
            .order_by(Reminder.due_at, Reminder.id)
            .limit(limit)
        )
        return list(rows)

    async def claim(self, reminder_id: int, now: datetime) -> Reminder | None:
        """Compare-and-set planned -> sending: of two timers, exactly one gets the row.

        An UPDATE with the old status in its WHERE clause is atomic on SQLite and
        PostgreSQL alike, where a SELECT followed by a write is not.
        """
        result = await self._session.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id, Reminder.status == "planned")
            .values(status="sending", claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return None
        row = await self._session.get(Reminder, reminder_id, populate_existing=True)
        return row

    async def get(self, reminder_id: int) -> Reminder | None:
        return await self._session.get(Reminder, reminder_id)

    async def keys(self, community_id: int) -> set[str]:
        rows = await self._session.scalars(
            select(Reminder.key).where(Reminder.community_id == community_id)
        )
        return set(rows)

    async def drop_planned_after(self, community_id: int, moment: datetime) -> None:
        """Future planned rows are derived data: replanning recreates what still applies."""
        await self._session.execute(
            delete(Reminder).where(
                Reminder.community_id == community_id,
                Reminder.status == "planned",
                Reminder.due_at > moment,
            )
        )

    async def goes_out(self, community_id: int, meeting_id: int, kind: str) -> bool:
        """Whether a reminder of this kind is to go out (or went out) for the meeting:
        planned, on its way or sent, not missed, skipped or cancelled."""
        found = await self._session.scalar(
            select(Reminder.id)
            .where(
                Reminder.community_id == community_id,
                Reminder.meeting_id == meeting_id,
                Reminder.kind == kind,
                Reminder.status.in_(("planned", "delivering", "sent")),
            )
            .limit(1)
        )
        return found is not None

    async def add(self, reminder: Reminder) -> None:
        self._session.add(reminder)

    async def stale(self, before: datetime) -> list[Reminder]:
        """Reminders claimed before `before` and never settled (rows from before 0007 carry
        no claim time)."""
        rows = await self._session.scalars(
            select(Reminder).where(
                Reminder.status == "sending",
                or_(Reminder.claimed_at.is_(None), Reminder.claimed_at < before),
            )
        )
        return list(rows)

    async def of_community(self, community_id: int, limit: int = 50) -> list[Reminder]:
        rows = await self._session.scalars(
            select(Reminder)
            .where(Reminder.community_id == community_id)
            .order_by(Reminder.due_at.desc(), Reminder.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def drop_settled(self, before: datetime, limit: int) -> int:
        """Drops up to `limit` settled reminders due before `before`, with their messages.

        A reminder settles only when all its messages have, and each of them was due at or
        after the reminder, so none of a live reminder's messages goes. The ids are read
        first (an index range scan on status and due time, no sort), then both deletes use
        them; the messages go explicitly rather than by the foreign key's cascade.
        """
        ids = list(
            await self._session.scalars(
                select(Reminder.id)
                .where(Reminder.status.in_(SETTLED), Reminder.due_at < before)
                .limit(limit)
            )
        )
        if not ids:
            return 0
        await self._session.execute(
            delete(Delivery)
            .where(Delivery.reminder_id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        result = await self._session.execute(
            delete(Reminder)
            .where(Reminder.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
