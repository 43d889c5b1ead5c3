"""The intake guard as a use case: every free text a member sends is screened before a
feature stores it.

`screen` looks for what may identify a pupil (`bot.services.pupil_names`); when it finds
something the text waits, unstored, in a dialogue until the writer chooses (`settle`):
the suggested rewrite, the text as written, or nothing. `Release` names what a released
text becomes, so the dialogue stores a kind, never a function name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.errors import StaleAction
from bot.services import flows, issues, membership
from bot.services.pupil_names import Finding, check, mask
from bot.services.unit import Unit
from bot.services.values import CommunityView

# ---------------------------------------------------------------------------------------
# The use case: screen a member's text before any feature stores it


class Release(StrEnum):
    """What a screened text becomes once released. Stored in held dialogues: never rename."""

    ISSUE_ANSWER = "issue_answer"
    REFLECTION = "reflection"
    EDIT = "edit"
    NOMINATION = "nomination"
    USE = "use"
    INSIGHT = "insight"
    ABSENCE = "absence"  # /absent's reason, a reply to the attendance question
    AGENDA_POINT = "agenda_point"  # a reply to an agenda
    AGENDA_ITEMS = "agenda_items"  # the lines after /agenda N (facilitators)
    DECISION = "decision"  # /decide
    SHARED_PROPOSAL = "shared_proposal"  # /shared <text>
    SHARED_COMMENT = "shared_comment"  # a reply to a shared-issue proposal
    WEEKLY = "weekly"  # a reply to the weekly question
    MEETING_LOG = "meeting_log"  # a reply to the after-meeting question
    FOLLOWUP_REMARK = "followup_remark"  # a reply to a new practice's follow-up
    RECAP = "recap"  # a facilitator's own text for a meeting's recap (a reply to Edit)


@dataclass(frozen=True)
class Draft:
    """A member's text on its way through the pupil-name guard, and what it becomes
    once released (`data` is stored with a held text, so its keys never change)."""

    text: str
    release: Release
    data: dict[str, Any]


@dataclass(frozen=True)
class Held:
    """A text that waits (unstored) behind a warning until its writer chooses."""

    flow_id: int
    findings: list[Finding]
    suggestion: str


class HeldState(BaseModel):
    """The guard's dialogue (`FlowKind.INTAKE`): the held text and what it becomes.

    Stored in `FlowState.data` under these keys (as earlier versions did): `action` is
    the release, `data` what that release needs (e.g. the round's prompt).
    """

    model_config = ConfigDict(frozen=True)

    action: Release
    text: str
    data: dict[str, Any]
    suggestion: str


class GuardChoice(StrEnum):
    """The buttons under the guard's warning: their values are in sent messages."""

    USE = "use"
    KEEP = "keep"
    DROP = "drop"


@dataclass(frozen=True)
class Settled:
    """The writer chose: `release` is None when they dropped the text (nothing stored)."""

    community_id: int | None
    release: Release | None
    text: str
    data: dict[str, Any]


async def screen(
    unit: Unit,
    community: CommunityView,
    user_id: int,
    chat_id: int,
    text: str,
    release: Release,
    data: dict[str, Any],
) -> Held | None:
    """None when the text may be stored now; else it is held in a dialogue, unstored."""
    if not (await issues.switches(unit, community.id))["guard"]:
        return None
    names = [m.name for m in await membership.list_members(unit, community.id)]
    findings = check(text, known_names=names)
    if not findings:
        return None
    suggestion = mask(text, findings, community.language)
    held = HeldState(action=release, text=text, data=data, suggestion=suggestion)
    state = await flows.start(
        unit,
        kind=flows.FlowKind.INTAKE,
        chat_id=chat_id,
        user_id=user_id,
        step="confirm",
        community_id=community.id,
        data=held.model_dump(mode="json"),
    )
    return Held(state.flow_id, findings, suggestion)


async def settle(unit: Unit, flow_id: int, user_id: int, choice: str) -> Settled:
    """The writer of a held text chose: the suggestion, their own text, or nothing.

    The dialogue ends either way; a released text goes back through `submit`, confirmed.
    """
    try:
        chosen = GuardChoice(choice)
    except ValueError:
        raise StaleAction("stale_button") from None
    flow = await flows.current(unit, flow_id, user_id, flows.FlowKind.INTAKE, "confirm")
    try:
        held = HeldState.model_validate(flow.data)
    except ValidationError:
        raise StaleAction("stale_button") from None
    await flows.end(unit, flow)
    if chosen is GuardChoice.DROP:
        return Settled(flow.community_id, None, held.text, held.data)
    text = held.suggestion if chosen is GuardChoice.USE else held.text
    return Settled(flow.community_id, held.action, text, held.data)
