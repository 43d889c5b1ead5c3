"""A member's own contributions: see, edit, delete (privacy by design)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import contributions_log, prompts
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Contribution
from storage.repositories.contributions import ContributionRepository

#: Outcomes that belong to the group once others reacted: not deleted by one member.
GROUP_OWNED = ("shared_issue", "decision")
#: /mine lists this many of the newest contributions (one pair of buttons each).
SHOWN = 20


class OwnItem(BaseModel):
    id: int
    kind: str
    text: str
    created_at: datetime


async def own(unit: Unit, community_id: int, member: MemberView) -> list[OwnItem]:
    rows = await ContributionRepository(unit.session, community_id).by_member(member.id)
    return [_item(row) for row in rows]


async def recent(unit: Unit, community_id: int, member: MemberView) -> list[OwnItem]:
    """What /mine shows: the member's newest contributions, oldest first."""
    return (await own(unit, community_id, member))[-SHOWN:]


async def own_item(
    unit: Unit, community_id: int, member: MemberView, contribution_id: int
) -> OwnItem:
    """The member's contribution a button is about; gone (or someone else's): stale."""
    row = await ContributionRepository(unit.session, community_id).get(contribution_id)
    if row is None or row.member_id != member.id:
        raise StaleAction("stale_button")
    return _item(row)


async def remember_edit(
    unit: Unit, community_id: int, member: MemberView, item: OwnItem, chat_id: int, message_id: int
) -> None:
    """The sent "reply with the new text" question: its reply edits `item`."""
    await prompts.remember(
        unit,
        community_id,
        chat_id,
        message_id,
        PromptKind.EDIT,
        data={"contribution_id": item.id, "member_id": member.id},
    )


def edit_target(prompt: PromptView, member: MemberView) -> int:
    """The contribution an edit prompt asked about; only the member it asked may answer."""
    if prompt.data.get("member_id") != member.id:
        raise NotAllowed("not_your_flow")
    return int(prompt.data["contribution_id"])


async def delete(
    unit: Unit, community_id: int, member: MemberView, contribution_id: int
) -> OwnItem:
    await own_item(unit, community_id, member, contribution_id)  # a second press: stale
    row = await _own_row(unit, community_id, member, contribution_id)
    item = _item(row)
    await ContributionRepository(unit.session, community_id).remove(row)
    return item


async def edit(
    unit: Unit, community_id: int, member: MemberView, contribution_id: int, text: str
) -> OwnItem:
    row = await _own_row(unit, community_id, member, contribution_id)
    row.text = contributions_log.clean(text)
    row.updated_at = unit.now
    await unit.session.flush()
    return _item(row)


async def _own_row(
    unit: Unit, community_id: int, member: MemberView, contribution_id: int
) -> Contribution:
    """The member's own row, to change: not another's, and not one the group owns."""
    row = await ContributionRepository(unit.session, community_id).get(contribution_id)
    if row is None or row.member_id != member.id:
        raise NotFound("contribution_not_yours")
    if row.kind in GROUP_OWNED:
        raise InvalidInput("contribution_group_owned")
    return row


def _item(row: Contribution) -> OwnItem:
    return OwnItem(id=row.id, kind=row.kind, text=row.text, created_at=row.created_at)
