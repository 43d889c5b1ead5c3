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

    async def of(
        self,
        contribution_id: int,
        coder_member_id: int,
        *,
        code_book: str = "issue",
        role: str | None = None,
    ) -> Coding | None:
        """This coder's coding of one contribution: in one role, or the first they hold."""
        query = select(Coding).where(
            Coding.community_id == self.community_id,
            Coding.contribution_id == contribution_id,
            Coding.coder_member_id == coder_member_id,
            Coding.code_book == code_book,
        )
        if role is not None:
            query = query.where(Coding.role == role)
        return await self._session.scalar(query.order_by(Coding.id).limit(1))

    async def has_primary(self, contribution_id: int, code_book: str = "issue") -> bool:
        found = await self._session.scalar(
            select(Coding.id).where(
                Coding.community_id == self.community_id,
                Coding.contribution_id == contribution_id,
                Coding.code_book == code_book,
                Coding.role == "primary",
            )
        )
        return found is not None

    async def add(self, coding: Coding) -> Coding:
        coding.community_id = self.community_id
        self._session.add(coding)
        await self._session.flush()
        return coding

    async def counted_per_contribution(
        self, code_book: str = "issue"
    ) -> list[tuple[Contribution, Coding]]:
        """Each coded contribution with the coding the development table counts: the
        resolved code when a disagreement was resolved, else the primary code. A second
        coder's code never counts here."""
        rows = await self._session.execute(
            select(Contribution, Coding)
            .join(Coding, Coding.contribution_id == Contribution.id)
            .where(
                Contribution.community_id == self.community_id,
                Coding.community_id == self.community_id,
                Coding.code_book == code_book,
                Coding.role.in_(("primary", "resolved")),
            )
            .order_by(Coding.id)
        )
        chosen: dict[int, tuple[Contribution, Coding]] = {}
        for contribution, coding in rows.all():
            # The first primary code stands (the primary coder's); a resolution overrides it.
            if contribution.id not in chosen or coding.role == "resolved":
                chosen[contribution.id] = (contribution, coding)
        return list(chosen.values())

    async def of_role(self, role: str, code_book: str = "issue") -> list[Coding]:
        """Every coding in one role, oldest first."""
        rows = await self._session.scalars(
            select(Coding)
            .where(
                Coding.community_id == self.community_id,
                Coding.code_book == code_book,
                Coding.role == role,
            )
            .order_by(Coding.id)
        )
        return list(rows)

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
