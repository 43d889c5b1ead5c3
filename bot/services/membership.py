"""Membership: consent, roles, and the person's view of their CoPs.

A member row is created only at the moment of consent; before that the bot keeps
nothing about a person.
"""

from __future__ import annotations

from bot.errors import AlreadyMember, InvalidInput, NotAllowed, NotAMember, NotFound
from bot.i18n import N_
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView, Person
from storage.models import ConsentRecord, Member
from storage.repositories.communities import CommunityRepository
from storage.repositories.members import MemberRepository, memberships_of

LETTER_VERSION = "2026-1"


async def member_of(unit: Unit, community_id: int, user_id: int) -> MemberView | None:
    member = await MemberRepository(unit.session, community_id).by_user(user_id)
    if member is None or member.status != "active":
        return None
    return MemberView.model_validate(member)


async def require_member(unit: Unit, community_id: int, user_id: int) -> MemberView:
    member = await member_of(unit, community_id, user_id)
    if member is None:
        raise NotAMember("not_member")
    return member


async def join(
    unit: Unit, community_id: int, person: Person, *, role: str = "member"
) -> MemberView:
    """Records consent and makes the person a member, in one step."""
    members = MemberRepository(unit.session, community_id)
    existing = await members.by_user(person.user_id)
    if existing is not None:  # rows of people who left carry no user id any more
        raise AlreadyMember("already_member")
    member = await members.add(
        Member(
            telegram_user_id=person.user_id,
            display_name=person.full_name[:200],
            username=person.username,
            role=role,
            joined_at=unit.now,
        )
    )
    await members.record_consent(
        ConsentRecord(
            member_id=member.id, action="given", letter_version=LETTER_VERSION, at=unit.now
        )
    )
    return MemberView.model_validate(member)


async def list_members(unit: Unit, community_id: int) -> list[MemberView]:
    members = await MemberRepository(unit.session, community_id).active()
    return [MemberView.model_validate(m) for m in members]


async def toggle_cofacilitator(
    unit: Unit,
    community_id: int,
    actor: MemberView,
    *,
    username: str | None = None,
    user_id: int | None = None,
) -> MemberView:
    """Makes a member co-facilitator, or back to member; returns the changed member."""
    if not actor.is_facilitator:
        raise NotAllowed("facilitator_only")
    members = MemberRepository(unit.session, community_id)
    target = None
    if user_id is not None:
        target = await members.by_user(user_id)
    elif username:
        target = await members.by_username(username.lstrip("@"))
    if target is None or target.status != "active":
        raise NotFound("target_not_member", name=username or "?")
    if target.role == "facilitator":
        raise InvalidInput("target_is_facilitator", name=target.display_name or "?")
    target.role = "member" if target.role == "cofacilitator" else "cofacilitator"
    await unit.session.flush()
    return MemberView.model_validate(target)


async def memberships(unit: Unit, user_id: int) -> list[tuple[CommunityView, MemberView]]:
    """The person's active CoPs (for private chats), by CoP name."""
    rows = await memberships_of(unit.session, user_id)
    communities = {
        c.id: c
        for c in await CommunityRepository(unit.session).by_ids([m.community_id for m in rows])
    }
    pairs = [
        (CommunityView.model_validate(communities[m.community_id]), MemberView.model_validate(m))
        for m in rows
        if m.community_id in communities and communities[m.community_id].status == "active"
    ]
    return sorted(pairs, key=lambda pair: pair[0].name.lower())


async def set_private_chat(unit: Unit, user_id: int, *, open_: bool) -> int:
    """Remembers whether we may write to a member privately (they started or blocked us)."""
    rows = await memberships_of(unit.session, user_id)
    for member in rows:
        member.private_chat = open_
    return len(rows)


async def member_by_id(unit: Unit, community_id: int, member_id: int) -> MemberView:
    member = await MemberRepository(unit.session, community_id).get(member_id)
    if member is None or member.status != "active":
        raise NotFound(N_("That person is not a member of this CoP (any more)."))
    return MemberView.model_validate(member)


async def member_by_username(unit: Unit, community_id: int, username: str) -> MemberView | None:
    member = await MemberRepository(unit.session, community_id).by_username(username.lstrip("@"))
    return MemberView.model_validate(member) if member else None
