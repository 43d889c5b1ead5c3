"""The CoP's roster follows its Telegram group: who left it, and who facilitates.

A member who leaves the group, or is removed from it, is no longer a member of the CoP:
their role ends and nothing of the CoP is shown to them, in the group or in private.
Their row is kept as `away` (not erased): what they contributed stays as the CoP's
history, as with a member who stays, until they erase it (`/leave`, the same rules as
always) or the CoP's data is purged. Coming back to the group, they join again with
`/join` and consent anew (`membership.join`).

The bot learns of departures from the group's service messages (which it receives even
in privacy mode) and, as an administrator, from chat-member updates; a departure it did
not see is found when the person next writes privately (`check_private`, through a
`Roster` port that the Telegram adapter answers with a cached getChatMember).

A CoP has one main facilitator ("facilitator") and any number of co-facilitators. The
main facilitator hands the role over (`hand_over`); when there is none (they left), a
group administrator appoints one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.errors import InvalidInput, NotAllowed, NotAMember, NotFound
from bot.services import membership
from bot.services.membership import Pair, Resolution
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from storage.repositories.communities import CommunityRepository
from storage.repositories.flows import FlowRepository
from storage.repositories.members import MemberRepository, memberships_of

AWAY = "away"
MAIN = "facilitator"


class Roster(Protocol):
    async def present(self, chat_id: int, user_id: int) -> bool | None:
        """Whether the person is in the group now; None when that cannot be told."""
        ...


@dataclass(frozen=True)
class Departure:
    community: CommunityView
    member: MemberView  # as they were, role included
    facilitators_left: int

    @property
    def was_main(self) -> bool:
        return self.member.role == MAIN


@dataclass(frozen=True)
class HandOver:
    community: CommunityView
    main: MemberView
    previous: list[MemberView]  # co-facilitators now


async def left_group(unit: Unit, chat_id: int, user_id: int) -> Departure | None:
    """The person is no longer in the CoP's group: role and access end; their data stays.

    Idempotent: a second notice of the same departure changes nothing (returns None).
    """
    community = await CommunityRepository(unit.session).by_chat(chat_id)
    if community is None:
        return None
    members = MemberRepository(unit.session, community.id)
    member = await members.by_user(user_id)
    if member is None or member.status != "active":
        return None
    before = MemberView.model_validate(member)
    member.status = AWAY
    member.role = "member"
    member.private_chat = False
    member.left_at = unit.now
    await FlowRepository(unit.session).remove_for_user(chat_id, user_id)
    await unit.session.flush()
    return Departure(
        CommunityView.model_validate(community), before, await members.count_facilitators()
    )


async def check_private(unit: Unit, user_id: int, roster: Roster) -> list[Departure]:
    """Before a private message is handled: the CoPs whose group the person has left."""
    departures = []
    for community, _member in await membership.memberships(unit, user_id):
        if await roster.present(community.chat_id, user_id) is False:
            departure = await left_group(unit, community.chat_id, user_id)
            if departure is not None:
                departures.append(departure)
    return departures


async def hand_over(
    unit: Unit,
    community_id: int,
    *,
    by_user_id: int,
    by_admin: bool,
    username: str | None = None,
    user_id: int | None = None,
) -> HandOver:
    """Makes a member the main facilitator; the one before stays on as co-facilitator.

    Allowed to the main facilitator, or to a group administrator when the CoP has none.
    """
    members = MemberRepository(unit.session, community_id)
    active = await members.active()
    mains = [m for m in active if m.role == MAIN]
    if not any(m.telegram_user_id == by_user_id for m in mains) and (mains or not by_admin):
        raise NotAllowed("handover_not_allowed")
    target = None
    if user_id is not None:
        target = next((m for m in active if m.telegram_user_id == user_id), None)
    elif username:
        target = await members.by_username(username.lstrip("@"))
    if target is None or target.status != "active":
        raise NotFound("target_not_member", name=username or "?")
    if target.role == MAIN:
        raise InvalidInput("target_is_facilitator", name=target.display_name or "?")
    for previous in mains:
        previous.role = "cofacilitator"
    target.role = MAIN
    await unit.session.flush()
    community = await CommunityRepository(unit.session).get(community_id)
    return HandOver(
        CommunityView.model_validate(community),
        MemberView.model_validate(target),
        [MemberView.model_validate(m) for m in mains],
    )


# Erasure after leaving the group -------------------------------------------------------


async def erasable(unit: Unit, user_id: int) -> Resolution:
    """The CoPs /leave in private can erase from: every CoP the person is a member of,
    archived or not, and those whose group they left (their data is still there)."""
    away = await _away(unit, user_id)
    try:
        current = (await membership.leave_choices(unit, user_id)).choices
    except NotAMember:
        if not away:
            raise
        current = []
    pairs = sorted([*current, *away], key=lambda pair: pair[0].name.lower())
    return Resolution(chosen=pairs[0] if len(pairs) == 1 else None, choices=pairs)


async def leaving(unit: Unit, community_id: int, user_id: int) -> CommunityView:
    """The CoP chosen from the /leave list, a current one or one whose group they left."""
    for community, _member in (await erasable(unit, user_id)).choices:
        if community.id == community_id:
            return community
    raise NotAMember("not_member")


async def _away(unit: Unit, user_id: int) -> list[Pair]:
    rows = await memberships_of(unit.session, user_id, AWAY)
    by_id = {
        c.id: c
        for c in await CommunityRepository(unit.session).by_ids([m.community_id for m in rows])
    }
    return [
        (CommunityView.model_validate(by_id[m.community_id]), MemberView.model_validate(m))
        for m in rows
        if m.community_id in by_id
    ]
