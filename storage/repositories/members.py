"""Members of one community; every query is scoped to that community."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConsentRecord, Member

FACILITATOR_ROLES = ("facilitator", "cofacilitator")


class MemberRepository:
    def __init__(self, session: AsyncSession, community_id: int) -> None:
        self._session = session
        self.community_id = community_id

    async def by_user(self, telegram_user_id: int) -> Member | None:
        return await self._session.scalar(
            select(Member).where(
                Member.community_id == self.community_id,
                Member.telegram_user_id == telegram_user_id,
            )
        )

    async def get(self, member_id: int) -> Member | None:
        return await self._session.scalar(
            select(Member).where(Member.community_id == self.community_id, Member.id == member_id)
        )

    async def by_username(self, username: str) -> Member | None:
        return await self._session.scalar(
            select(Member).where(
                Member.community_id == self.community_id,
                Member.status == "active",
                func.lower(Member.username) == username.lower(),
            )
        )

    async def active(self) -> list[Member]:
        rows = await self._session.scalars(
            select(Member)
            .where(Member.community_id == self.community_id, Member.status == "active")
            .order_by(Member.joined_at, Member.id)
        )
        return list(rows)

    async def count_facilitators(self) -> int:
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(Member)
                .where(
                    Member.community_id == self.community_id,
                    Member.status == "active",
                    Member.role.in_(FACILITATOR_ROLES),
                )
            )
            or 0
        )

    async def add(self, member: Member) -> Member:
        member.community_id = self.community_id
        self._session.add(member)
        await self._session.flush()
        return member

    async def consents(self, member_id: int) -> list[ConsentRecord]:
        rows = await self._session.scalars(
            select(ConsentRecord)
            .where(
                ConsentRecord.community_id == self.community_id,
                ConsentRecord.member_id == member_id,
            )
            .order_by(ConsentRecord.at, ConsentRecord.id)
        )
        return list(rows)

    async def record_consent(self, record: ConsentRecord) -> None:
        record.community_id = self.community_id
        self._session.add(record)
        await self._session.flush()


async def memberships_of(
    session: AsyncSession, telegram_user_id: int, status: str = "active"
) -> list[Member]:
    """All memberships of one person in this status, across communities, whatever the
    CoP's state (private chats, leaving, access)."""
    rows = await session.scalars(
        select(Member).where(Member.telegram_user_id == telegram_user_id, Member.status == status)
    )
    return list(rows)
