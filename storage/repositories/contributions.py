"""Contributions of one community: what members wrote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contribution


class ContributionRepository:
    def __init__(self, session: AsyncSession, community_id: int) -> None:
        self._session = session
        self.community_id = community_id

    async def add(self, contribution: Contribution) -> Contribution:
        contribution.community_id = self.community_id
        self._session.add(contribution)
        await self._session.flush()
        return contribution

    async def by_member(self, member_id: int) -> list[Contribution]:
        rows = await self._session.scalars(
            select(Contribution)
            .where(
                Contribution.community_id == self.community_id,
                Contribution.member_id == member_id,
            )
            .order_by(Contribution.created_at, Contribution.id)
        )
        return list(rows)

    async def about_member(self, member_id: int) -> list[Contribution]:
        """What others wrote about a member (nominations, titles, uses of their qualities)."""
        rows = await self._session.scalars(
            select(Contribution)
            .where(
                Contribution.community_id == self.community_id,
                Contribution.about_member_id == member_id,
            )
            .order_by(Contribution.created_at, Contribution.id)
        )
        return list(rows)

    async def of_meeting(self, meeting_id: int, kind: str) -> list[Contribution]:
        rows = await self._session.scalars(
            select(Contribution)
            .where(
                Contribution.community_id == self.community_id,
                Contribution.meeting_id == meeting_id,
                Contribution.kind == kind,
            )
            .order_by(Contribution.created_at, Contribution.id)
        )
        return list(rows)

    async def since(self, member_id: int, moment: datetime) -> bool:
        """Whether the member contributed anything after `moment`."""
        found = await self._session.scalar(
            select(Contribution.id).where(
                Contribution.community_id == self.community_id,
                Contribution.member_id == member_id,
                Contribution.created_at > moment,
            )
        )
        return found is not None

    async def get(self, contribution_id: int) -> Contribution | None:
        return await self._session.scalar(
            select(Contribution).where(
                Contribution.community_id == self.community_id, Contribution.id == contribution_id
            )
        )

    async def of_kinds(self, kinds: list[str]) -> list[Contribution]:
        rows = await self._session.scalars(
            select(Contribution)
            .where(Contribution.community_id == self.community_id, Contribution.kind.in_(kinds))
            .order_by(Contribution.created_at, Contribution.id)
        )
        return list(rows)

    async def of_prompt(self, prompt_id: int, kind: str) -> list[Contribution]:
        rows = await self._session.scalars(
            select(Contribution)
            .where(
                Contribution.community_id == self.community_id,
                Contribution.prompt_id == prompt_id,
                Contribution.kind == kind,
            )
            .order_by(Contribution.created_at, Contribution.id)
        )
        return list(rows)

    async def remove(self, contribution: Contribution) -> None:
        await self._session.delete(contribution)
        await self._session.flush()

    async def count_by_kind(self, member_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(Contribution.kind, func.count())
            .where(
                Contribution.community_id == self.community_id,
                Contribution.member_id == member_id,
            )
            .group_by(Contribution.kind)
        )
        return {kind: int(count) for kind, count in rows.all()}

    async def delete_by_member(self, member_id: int, kinds: list[str] | None = None) -> int:
        """Deletes a member's contributions (all, or of the given kinds)."""
        statement = delete(Contribution).where(
            Contribution.community_id == self.community_id, Contribution.member_id == member_id
        )
        if kinds is not None:
            statement = statement.where(Contribution.kind.in_(kinds))
        result = await self._session.execute(statement)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def anonymise_by_member(self, member_id: int, kinds: list[str]) -> int:
        """Keeps the collective outcome but drops who wrote it."""
        result = await self._session.execute(
            update(Contribution)
            .where(
                Contribution.community_id == self.community_id,
                Contribution.member_id == member_id,
                Contribution.kind.in_(kinds),
            )
            .values(member_id=None)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def delete_about_member(self, member_id: int) -> int:
        """Nominations about someone who left are personal data about them: removed."""
        result = await self._session.execute(
            delete(Contribution).where(
                Contribution.community_id == self.community_id,
                Contribution.about_member_id == member_id,
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
