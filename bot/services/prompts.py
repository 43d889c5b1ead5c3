"""Prompts: bot messages that expect answers, found again when a reply arrives."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.services.unit import Unit
from storage.repositories.flows import PromptRepository


class PromptKind(StrEnum):
    """What a reply to a bot message answers, declared once for services, outbox and handlers.

    Dialogue kinds (`FlowKind`) are prompt kinds too: each step's question is a prompt
    of its dialogue's kind. Values are stored in `prompts.kind`, so they never change.
    """

    AGENDA = "agenda"
    WEEKLY = "weekly"
    MEETING_LOG = "meeting_log"
    ATTENDANCE = "attendance"
    ISSUE_ROUND = "issue_round"
    ISSUE_REFLECTION = "issue_reflection"
    ISSUE_REMINDER = "issue_reminder"  # a private reminder of a round: a reply answers it
    EDIT = "edit"
    SHARED_ISSUE = "shared_issue"
    NOMINATE = "nominate"
    USED = "used"
    USING = "using"
    LITERATURE = "literature"
    FOLLOWUP = "followup"
    DECISION_FIX = "decision_fix"  # the owner and date of an agreement, typed again
    RECAP = "recap"  # the facilitator's own text for a meeting's recap
    # dialogue steps
    SETUP = "setup"
    PLAN = "plan"
    QUALITIES = "qualities"
    INSIGHT = "insight"


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
    created_at: datetime | None = None  # when it was asked


async def get(unit: Unit, prompt_id: int) -> PromptView | None:
    from storage.models import Prompt

    prompt = await unit.session.get(Prompt, prompt_id)
    return PromptView.model_validate(prompt) if prompt else None


async def find(unit: Unit, chat_id: int, message_id: int) -> PromptView | None:
    prompt = await PromptRepository(unit.session).by_message(chat_id, message_id)
    return PromptView.model_validate(prompt) if prompt else None


async def remember(
    unit: Unit,
    community_id: int | None,
    chat_id: int,
    message_id: int,
    kind: str,
    *,
    meeting_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> PromptView:
    """A bot message whose replies are answers of `kind`, for whom `data` says."""
    from storage.models import Prompt

    prompt = await PromptRepository(unit.session).add(
        Prompt(
            community_id=community_id,
            chat_id=chat_id,
            message_id=message_id,
            kind=kind,
            meeting_id=meeting_id,
            created_at=unit.now,
            data=data or {},
        )
    )
    return PromptView.model_validate(prompt)
