"""Meetings and attendance of one community."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Attendance, Meeting


class MeetingRepository:
    def __init__(self, session: AsyncSession, community_id: int) -> None:
        self._session = session
        self.community_id = community_id

    async def all(self) -> list[Meeting]:
        rows = await self._session.scalars(
            select(Meeting)
            .where(Meeting.community_id == self.community_id)
            .order_by(Meeting.starts_at, Meeting.id)
        )
        return list(rows)

    async def by_number(self, number: int) -> Meeting | None:
        return await self._session.scalar(
            select(Meeting).where(
                Meeting.community_id == self.community_id, Meeting.number == number
            )
        )

    async def get(self, meeting_id: int) -> Meeting | None:
        return await self._session.scalar(
            select(Meeting).where(
                Meeting.community_id == self.community_id, Meeting.id == meeting_id
            )
        )

    async def upcoming(self, after: datetime) -> list[Meeting]:
        rows = await self._session.scalars(
            select(Meeting)
            .where(
                Meeting.community_id == self.community_id,
                Meeting.status == "planned",
                Meeting.starts_at > after,
            )
            .order_by(Meeting.starts_at)
        )
        return list(rows)

    async def add(self, meeting: Meeting) -> Meeting:
        meeting.community_id = self.community_id
        self._session.add(meeting)
        await self._session.flush()
        return meeting

    async def renumber(self) -> None:
        """Numbers follow the calendar, so "meeting 2" is always the second one."""
        meetings = await self.all()
        for index, meeting in enumerate(meetings, start=1):
            meeting.number = -index  # avoid clashing with the unique (community, number)
        await self._session.flush()
        for meeting in meetings:
            meeting.number = -meeting.number
        await self._session.flush()


class AttendanceRepository:
    def __init__(self, session: AsyncSession, community_id: int) -> None:
        self._session = session
        self.community_id = community_id

    async def for_meeting(self, meeting_id: int) -> list[Attendance]:
        rows = await self._session.scalars(
            select(Attendance).where(
                Attendance.community_id == self.community_id, Attendance.meeting_id == meeting_id
            )
        )
        return list(rows)

    async def of_member(self, meeting_id: int, member_id: int) -> Attendance | None:
        return await self._session.scalar(
            select(Attendance).where(
                Attendance.community_id == self.community_id,
                Attendance.meeting_id == meeting_id,
                Attendance.member_id == member_id,
            )
        )

    async def add(self, attendance: Attendance) -> Attendance:
        attendance.community_id = self.community_id
        self._session.add(attendance)
        await self._session.flush()
        return attendance

    async def by_member(self, member_id: int) -> list[Attendance]:
        rows = await self._session.scalars(
            select(Attendance)
            .where(Attendance.community_id == self.community_id, Attendance.member_id == member_id)
            .order_by(Attendance.updated_at, Attendance.id)
        )
        return list(rows)

    async def delete_member(self, member_id: int) -> int:
        """Erasure: a member's answers and absence reasons go with them."""
        result = await self._session.execute(
            delete(Attendance).where(
                Attendance.community_id == self.community_id, Attendance.member_id == member_id
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def counts(self, meeting_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(Attendance.answer, func.count())
            .where(
                Attendance.community_id == self.community_id, Attendance.meeting_id == meeting_id
            )
            .group_by(Attendance.answer)
        )
        return {answer: int(count) for answer, count in rows.all()}
