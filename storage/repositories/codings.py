"""Codings and votes of one community."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Coding, Contribution, Vote


class CodingRepository:
    def __init__(self, session: AsyncSession, community_id: int) -> None:
        self._session = session
        self.community_id = community_id

    async def of(self, contribution_id: int, coder_member_id: int) -> Coding | None:
        return await self._session.scalar(
            select(Coding).where(
                Coding.community_id == self.community_id,
                Coding.contribution_id == contribution_id,
                Coding.coder_member_id == coder_member_id,
            )
        )

    async def add(self, coding: Coding) -> Coding:
        coding.community_id = self.community_id
        self._session.add(coding)
        await self._session.flush()
        return coding

    async def latest_per_contribution(self) -> list[tuple[Contribution, Coding]]:
        """Each coded contribution with its most recent coding (any coder)."""
        latest = (
            select(Coding.contribution_id, func.max(Coding.id).label("coding_id"))
            .where(Coding.community_id == self.community_id)
            .group_by(Coding.contribution_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(Contribution, Coding)
            .join(latest, latest.c.contribution_id == Contribution.id)
            .join(Coding, Coding.id == latest.c.coding_id)
            .where(Contribution.community_id == self.community_id)
        )
        return [(contribution, coding) for contribution, coding in rows.all()]

    async def by_coder(self, coder_member_id: int) -> list[Coding]:
        rows = await self._session.scalars(
            select(Coding)
            .where(
                Coding.community_id == self.community_id,
                Coding.coder_member_id == coder_member_id,
            )
            .order_by(Coding.coded_at, Coding.id)
        )
        return list(rows)

    async def coded_ids(self, coder_member_id: int) -> set[int]:
        rows = await self._session.scalars(
            select(Coding.contribution_id).where(
                Coding.community_id == self.community_id,
                Coding.coder_member_id == coder_member_id,
            )
        )
        return set(rows)


class VoteRepository:
    def __init__(self, session: AsyncSession, community_id: int) -> None:
        self._session = session
        self.community_id = community_id

    async def of(self, contribution_id: int, member_id: int) -> Vote | None:
        return await self._session.scalar(
            select(Vote).where(
                Vote.community_id == self.community_id,
                Vote.contribution_id == contribution_id,
                Vote.member_id == member_id,
            )
        )

    async def add(self, vote: Vote) -> Vote:
        vote.community_id = self.community_id
        self._session.add(vote)
        await self._session.flush()
        return vote

    async def cast(self, contribution_id: int, member_id: int, choice: str, at: datetime) -> Vote:
        """One vote per member and proposal: a second press changes it, never counts twice."""
        vote = await self.of(contribution_id, member_id)
        if vote is None:
            return await self.add(
                Vote(contribution_id=contribution_id, member_id=member_id, choice=choice, at=at)
            )
        vote.choice, vote.at = choice, at
        await self._session.flush()
        return vote

    async def counts(self, contribution_id: int) -> dict[str, int]:
        rows = await self._session.execute(
            select(Vote.choice, func.count())
            .where(Vote.community_id == self.community_id, Vote.contribution_id == contribution_id)
            .group_by(Vote.choice)
        )
        return {choice: int(n) for choice, n in rows.all()}

    async def by_member(self, member_id: int) -> list[Vote]:
        rows = await self._session.scalars(
            select(Vote)
            .where(Vote.community_id == self.community_id, Vote.member_id == member_id)
            .order_by(Vote.at, Vote.id)
        )
        return list(rows)

    async def forget_member(self, member_id: int) -> None:
        """Erasure: the vote stays with its proposal, without who cast it."""
        await self._session.execute(
            update(Vote)
            .where(Vote.community_id == self.community_id, Vote.member_id == member_id)
            .values(member_id=None)
        )
