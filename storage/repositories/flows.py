"""Multi-step flow state and prompts, keyed by chat so they survive restarts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Flow, Prompt


class FlowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, chat_id: int, user_id: int, kind: str) -> Flow | None:
        return await self._session.scalar(
            select(Flow).where(Flow.chat_id == chat_id, Flow.user_id == user_id, Flow.kind == kind)
        )

    async def by_id(self, flow_id: int) -> Flow | None:
        return await self._session.get(Flow, flow_id)

    async def save(self, flow: Flow) -> Flow:
        self._session.add(flow)
        await self._session.flush()
        return flow

    async def remove(self, flow: Flow) -> None:
        await self._session.delete(flow)
        await self._session.flush()

    async def remove_for_chat(self, chat_id: int) -> int:
        result = await self._session.execute(delete(Flow).where(Flow.chat_id == chat_id))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def remove_for_user(self, chat_id: int | None, user_id: int) -> int:
        """Drops one person's flows in a chat (or everywhere, with chat_id None)."""
        statement = delete(Flow).where(Flow.user_id == user_id)
        if chat_id is not None:
            statement = statement.where(Flow.chat_id == chat_id)
        result = await self._session.execute(statement)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def of_user(self, user_id: int) -> list[Flow]:
        """Every dialogue of one person, in any chat (what they are in the middle of)."""
        rows = await self._session.scalars(
            select(Flow).where(Flow.user_id == user_id).order_by(Flow.updated_at, Flow.id)
        )
        return list(rows)

    async def remove_idle(self, before: datetime, keep: tuple[str, ...]) -> int:
        """Drops people's dialogues untouched since `before` (not locks, not `keep` kinds).

        Their prompts go with them (ON DELETE CASCADE).
        """
        result = await self._session.execute(
            delete(Flow).where(Flow.user_id != 0, Flow.updated_at < before, Flow.kind.not_in(keep))
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class PromptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_message(self, chat_id: int, message_id: int) -> Prompt | None:
        return await self._session.scalar(
            select(Prompt).where(Prompt.chat_id == chat_id, Prompt.message_id == message_id)
        )

    async def exists(self, community_id: int, kind: str, meeting_id: int) -> bool:
        found = await self._session.scalar(
            select(Prompt.id).where(
                Prompt.community_id == community_id,
                Prompt.kind == kind,
                Prompt.meeting_id == meeting_id,
            )
        )
        return found is not None

    async def of_kind(self, community_id: int, kind: str) -> list[Prompt]:
        rows = await self._session.scalars(
            select(Prompt)
            .where(Prompt.community_id == community_id, Prompt.kind == kind)
            .order_by(Prompt.created_at.desc(), Prompt.id.desc())
        )
        return list(rows)

    async def remove_in_chat(self, chat_id: int, community_id: int) -> int:
        """Drops one CoP's questions in one chat (a person's private chat, at erasure)."""
        result = await self._session.execute(
            delete(Prompt).where(Prompt.chat_id == chat_id, Prompt.community_id == community_id)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def add(self, prompt: Prompt) -> Prompt:
        self._session.add(prompt)
        await self._session.flush()
        return prompt
