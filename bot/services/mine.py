"""A member's own contributions: see, edit, delete (privacy by design)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.services import contributions_log
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Contribution
from storage.repositories.contributions import ContributionRepository

#: Outcomes that belong to the group once others reacted: not deleted by one member.
GROUP_OWNED = ("shared_issue", "decision")


class OwnItem(BaseModel):
    id: int
    kind: str
    text: str
    created_at: datetime


async def own(unit: Unit, community_id: int, member: MemberView) -> list[OwnItem]:
    rows = await ContributionRepository(unit.session, community_id).by_member(member.id)
    return [OwnItem(id=r.id, kind=r.kind, text=r.text, created_at=r.created_at) for r in rows]


async def _own_row(
    unit: Unit, community_id: int, member: MemberView, contribution_id: int
) -> Contribution:
    row = await ContributionRepository(unit.session, community_id).get(contribution_id)
    if row is None or row.member_id != member.id:
        raise NotFound(N_("That contribution is not there any more, or it is not yours."))
    return row


async def delete(
    unit: Unit, community_id: int, member: MemberView, contribution_id: int
) -> OwnItem:
    row = await _own_row(unit, community_id, member, contribution_id)
    if row.kind in GROUP_OWNED:
        raise InvalidInput(
            N_(
                "This belongs to the group now; ask a facilitator, or use /leave to remove "
                "your name from it."
            )
        )
    item = OwnItem(id=row.id, kind=row.kind, text=row.text, created_at=row.created_at)
    await ContributionRepository(unit.session, community_id).remove(row)
    return item


async def edit(
    unit: Unit, community_id: int, member: MemberView, contribution_id: int, text: str
) -> OwnItem:
    row = await _own_row(unit, community_id, member, contribution_id)
    if row.kind in GROUP_OWNED:
        raise InvalidInput(
            N_(
                "This belongs to the group now; ask a facilitator, or use /leave to remove "
                "your name from it."
            )
        )
    row.text = contributions_log.clean(text)
    row.updated_at = unit.now
    await unit.session.flush()
    return OwnItem(id=row.id, kind=row.kind, text=row.text, created_at=row.created_at)
