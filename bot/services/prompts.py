"""Prompts: bot messages that expect answers, found again when a reply arrives."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.services.unit import Unit
from storage.repositories.flows import PromptRepository


class PromptView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    community_id: int | None
    chat_id: int
    message_id: int
    kind: str
    flow_id: int | None
    meeting_id: int | None
    data: dict[str, Any]


async def find(unit: Unit, chat_id: int, message_id: int) -> PromptView | None:
    prompt = await PromptRepository(unit.session).by_message(chat_id, message_id)
    return PromptView.model_validate(prompt) if prompt else None
