"""Communities, found by their Telegram chat."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Community, Contribution, Flow, Prompt


class CommunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_chat(self, chat_id: int) -> Community | None:
        return await self._session.scalar(select(Community).where(Community.chat_id == chat_id))

    async def get(self, community_id: int) -> Community | None:
        return await self._session.get(Community, community_id)

    async def by_ids(self, ids: list[int]) -> list[Community]:
        if not ids:
            return []
        rows = await self._session.scalars(
            select(Community).where(Community.id.in_(ids)).order_by(Community.name)
        )
        return list(rows)

    async def all(self) -> list[Community]:
        return list(await self._session.scalars(select(Community).order_by(Community.id)))

    async def add(self, community: Community) -> Community:
        self._session.add(community)
        await self._session.flush()
        return community

    async def rekey_chat(self, old_chat_id: int, new_chat_id: int) -> bool:
        """Moves everything keyed by the old chat id to the new one (group -> supergroup)."""
        community = await self.by_chat(old_chat_id)
        if community is None:
            return False
        community.chat_id = new_chat_id
        community.chat_type = "supergroup"
        for model in (Prompt, Flow):
            await self._session.execute(
                update(model).where(model.chat_id == old_chat_id).values(chat_id=new_chat_id)
            )
        await self._session.execute(
            update(Contribution)
            .where(Contribution.source_chat_id == old_chat_id)
            .values(source_chat_id=new_chat_id)
        )
        await self._session.flush()
        return True
