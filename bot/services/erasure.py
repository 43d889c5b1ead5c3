"""Withdrawal of consent: what is removed, what is kept without a name.

Collective outcomes (a decision the CoP adopted, a shared issue, an agenda point)
belong to the group and stay, without the author. Everything else a person wrote,
and everything written about them, is deleted.
"""

from __future__ import annotations

from bot.errors import NotAMember
from bot.services.unit import Unit
from bot.services.values import ErasureReport
from storage.models import ConsentRecord
from storage.repositories.codings import VoteRepository
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.flows import FlowRepository
from storage.repositories.members import MemberRepository

COLLECTIVE_KINDS = ("decision", "shared_issue", "agenda_point", "meeting_note", "source")


async def leave(unit: Unit, community_id: int, user_id: int) -> ErasureReport:
    """Withdraws consent and erases the person's data in this CoP, in one transaction."""
    members = MemberRepository(unit.session, community_id)
    member = await members.by_user(user_id)
    community = await CommunityRepository(unit.session).get(community_id)
    if member is None or member.status != "active" or community is None:
        raise NotAMember("not_member")
    contributions = ContributionRepository(unit.session, community_id)
    counts = await contributions.count_by_kind(member.id)
    anonymised = {k: n for k, n in counts.items() if k in COLLECTIVE_KINDS}
    deleted = {k: n for k, n in counts.items() if k not in COLLECTIVE_KINDS}
    await contributions.anonymise_by_member(member.id, list(COLLECTIVE_KINDS))
    await contributions.delete_by_member(member.id)
    about = await contributions.delete_about_member(member.id)
    if about:
        deleted["about_you"] = about
    await VoteRepository(unit.session, community_id).forget_member(member.id)
    await FlowRepository(unit.session).remove_for_user(None, user_id)
    await members.record_consent(
        ConsentRecord(member_id=member.id, action="withdrawn", letter_version="-", at=unit.now)
    )
    member.status = "left"
    member.left_at = unit.now
    member.telegram_user_id = None
    member.display_name = None
    member.username = None
    member.language = None
    member.role = "member"
    member.private_chat = False
    await unit.session.flush()
    return ErasureReport(
        deleted=deleted,
        anonymised=anonymised,
        community_name=community.name,
        facilitators_left=await members.count_facilitators(),
    )
