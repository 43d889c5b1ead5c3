"""Membership: consent, roles, withdrawal, and which CoP a private message is for.

A member row is created only at the moment of consent; before that the bot keeps
nothing about a person. Withdrawal (`leave`) erases what the person wrote and what
was written about them; collective outcomes (an adopted decision, a shared issue,
an agenda point) belong to the group and stay, without the author.

A teacher in several CoPs chooses one for their private messages (`choose`); until
then a private message is held (`hold`) and routed once they have chosen.

Data-subject rights hold in every state of a CoP until its data is purged: a member of
an archived CoP, or of one whose group removed the bot, can still leave it
(`memberships(..., any_state=True)`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import AlreadyMember, InvalidInput, NotAMember, NotFound
from bot.services import reminders, sharing
from bot.services.unit import Unit
from bot.services.values import CommunityView, ErasureReport, MemberView, Person
from storage.db import checkpoint_after
from storage.models import ConsentRecord, Flow, Member
from storage.repositories.codings import VoteRepository
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.deliveries import DeliveryRepository
from storage.repositories.flows import FlowRepository, PromptRepository
from storage.repositories.meetings import AttendanceRepository
from storage.repositories.members import MemberRepository, memberships_of

LETTER_VERSION = "2026-1"
COLLECTIVE_KINDS = ("decision", "shared_issue", "agenda_point", "meeting_note", "source")
CONTEXT = "context"
PENDING = "pending"
PENDING_LIMIT = 4096

Pair = tuple[CommunityView, MemberView]


@dataclass(frozen=True)
class Joined:
    member: MemberView
    community: CommunityView
    count: int  # members now, the new one included
    #: Who joined by the same letter (since it was shown), the new one last: one welcome
    #: line on the letter names them all instead of one group message each.
    welcomed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """Either one (community, member), or the choices to ask about."""

    chosen: Pair | None
    choices: list[Pair]


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
    if existing is not None and existing.status == "away":  # back in the group (roster.py)
        member = existing
        member.status, member.role, member.left_at = "active", role, None
        member.display_name, member.username = person.full_name[:200], person.username
    elif existing is not None:  # rows of people who left carry no user id any more
        raise AlreadyMember("already_member")
    else:
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


async def newest_member_id(unit: Unit, community_id: int) -> int:
    """The highest member id so far (0 for none): who joins by a letter has a higher one."""
    return max((m.id for m in await list_members(unit, community_id)), default=0)


async def consent(
    unit: Unit, community: CommunityView, person: Person, after: int | None = None
) -> Joined:
    """The person agreed to the information letter: they join, and the CoP counts them
    (with `after`, the newest member id when the letter was shown, also who else joined
    by that letter)."""
    member = await join(unit, community.id, person)
    members = await participants(unit, community.id)
    earlier = [
        m.name
        for m in sorted(members, key=lambda m: (m.joined_at, m.id))
        if after is not None and m.id > after and m.id != member.id
    ]
    welcomed = (*earlier, member.name)
    return Joined(member, community, len(members), welcomed)


async def list_members(unit: Unit, community_id: int) -> list[MemberView]:
    members = await MemberRepository(unit.session, community_id).active()
    return [MemberView.model_validate(m) for m in members]


async def participants(unit: Unit, community_id: int) -> list[MemberView]:
    """The members who take part as teachers (`MemberView.counted`): those asked to come,
    reminded, and counted in rounds, "of N members" and quorums."""
    return [m for m in await list_members(unit, community_id) if m.counted]


async def reachable(unit: Unit, community_id: int) -> list[MemberView]:
    """The members a private reminder may go to: counted as teachers (`MemberView.counted`)
    and with a private chat open to the bot."""
    return [
        m
        for m in await list_members(unit, community_id)
        if m.counted and m.private_chat and m.telegram_user_id
    ]


async def toggle_cofacilitator(
    unit: Unit, community_id: int, *, username: str | None = None, user_id: int | None = None
) -> MemberView:
    """Makes a member co-facilitator, or back to member; returns the changed member.

    Who may do this is the command table's rule (/facilitator: facilitators).
    """
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


#: What /facilitator participate takes (canonical keywords; the handler reads Dutch too).
YES_WORDS = ("yes", "on")
NO_WORDS = ("no", "off")


async def set_participation(unit: Unit, community_id: int, user_id: int, word: str) -> MemberView:
    """A facilitator says whether they also take part as a teacher (the study's facilitator
    was a researcher who did not; a chair from the team does). Teachers always take part."""
    choice = word.lower()
    if choice not in YES_WORDS + NO_WORDS:
        raise InvalidInput("participate_usage")
    member = await MemberRepository(unit.session, community_id).by_user(user_id)
    if member is None or member.status != "active":
        raise NotAMember("not_member")
    if member.role not in ("facilitator", "cofacilitator"):
        raise InvalidInput("participate_teachers")
    member.participates = choice in YES_WORDS
    await unit.session.flush()
    return MemberView.model_validate(member)


async def memberships(unit: Unit, user_id: int, *, any_state: bool = False) -> list[Pair]:
    """The person's active CoPs (for private chats), by CoP name; with `any_state` also
    the archived ones and those the bot was removed from (for leaving and access)."""
    rows = await memberships_of(unit.session, user_id)
    communities = {
        c.id: c
        for c in await CommunityRepository(unit.session).by_ids([m.community_id for m in rows])
    }
    pairs = [
        (CommunityView.model_validate(communities[m.community_id]), MemberView.model_validate(m))
        for m in rows
        if m.community_id in communities
        and (any_state or communities[m.community_id].status == "active")
    ]
    return sorted(pairs, key=lambda pair: pair[0].name.lower())


async def set_private_chat(unit: Unit, user_id: int, *, open_: bool) -> int:
    """Remembers whether we may write to a member privately (they started or blocked us)."""
    rows = await memberships_of(unit.session, user_id)
    for member in rows:
        member.private_chat = open_
    return len(rows)


async def started(unit: Unit, user_id: int) -> list[str]:
    """/start in private: a member may be written to privately from now on; their CoPs."""
    pairs = await memberships(unit, user_id)
    if pairs:
        opened = [community.id for community, member in pairs if not member.private_chat]
        await set_private_chat(unit, user_id, open_=True)
        await unit.session.flush()
        for community_id in opened:  # open questions may be chased privately now
            await reminders.replan(unit, community_id)
    return [community.name for community, _ in pairs]


async def member_by_id(unit: Unit, community_id: int, member_id: int) -> MemberView:
    member = await MemberRepository(unit.session, community_id).get(member_id)
    if member is None or member.status != "active":
        raise NotFound("member_gone")
    return MemberView.model_validate(member)


async def member_by_username(unit: Unit, community_id: int, username: str) -> MemberView | None:
    member = await MemberRepository(unit.session, community_id).by_username(username.lstrip("@"))
    return MemberView.model_validate(member) if member else None


# Withdrawal -----------------------------------------------------------------------------


async def leave_choices(unit: Unit, user_id: int) -> Resolution:
    """Which CoP /leave in private is about: the only one, else the person chooses.

    Every CoP counts, archived or not: a person in two always picks (leaving cannot be
    undone, and a CoP chosen for messages with /cop is an active one only).
    """
    pairs = await memberships(unit, user_id, any_state=True)
    if not pairs:
        raise NotAMember("not_member_anywhere")
    return Resolution(chosen=pairs[0] if len(pairs) == 1 else None, choices=pairs)


async def leaving(unit: Unit, community_id: int, user_id: int) -> CommunityView:
    """The CoP a member chose to leave (from the list in private), before they confirm."""
    for community, _member in await memberships(unit, user_id, any_state=True):
        if community.id == community_id:
            return community
    raise NotAMember("not_member")


async def leave(unit: Unit, community_id: int, user_id: int) -> ErasureReport:
    """Withdraws consent and erases the person's data in this CoP, in one transaction.

    Erased: what they wrote (but the group's outcomes, kept without them), what others
    wrote about them, their attendance answers and absence reasons, their texts held in
    a dialogue, the bot's questions in their private chat, their sharing choices and
    who they are. Kept without identity: their votes, their codings (under the emptied
    member row) and the consent records (evidence of what was agreed, and when).
    """
    members = MemberRepository(unit.session, community_id)
    member = await members.by_user(user_id)
    community = await CommunityRepository(unit.session).get(community_id)
    if member is None or member.status not in ("active", "away") or community is None:
        raise NotAMember("not_member")  # "away": left the group, may still erase (roster.py)
    contributions = ContributionRepository(unit.session, community_id)
    counts = await contributions.count_by_kind(member.id)
    anonymised = {k: n for k, n in counts.items() if k in COLLECTIVE_KINDS}
    deleted = {k: n for k, n in counts.items() if k not in COLLECTIVE_KINDS}
    await contributions.anonymise_by_member(member.id, list(COLLECTIVE_KINDS))
    await contributions.delete_by_member(member.id)
    about = await contributions.delete_about_member(member.id)
    if about:
        deleted["about_you"] = about
    attended = await AttendanceRepository(unit.session, community_id).delete_member(member.id)
    if attended:
        deleted["attendance"] = attended
    await VoteRepository(unit.session, community_id).forget_member(member.id)
    await FlowRepository(unit.session).remove_for_user(None, user_id)
    await PromptRepository(unit.session).remove_in_chat(user_id, community_id)  # private chat
    await DeliveryRepository(unit.session).forget_chat(community_id, user_id)  # nudges to them
    await sharing.forget(unit, community_id, member.id)
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
    await checkpoint_after(unit.session)
    return ErasureReport(
        deleted=deleted,
        anonymised=anonymised,
        community_name=community.name,
        facilitators_left=await members.count_facilitators(),
    )


# Private chats: which CoP a message is for ----------------------------------------------


async def resolve(unit: Unit, user_id: int) -> Resolution:
    pairs = await memberships(unit, user_id)
    if not pairs:
        raise NotAMember("not_member_anywhere")
    if len(pairs) == 1:
        return Resolution(chosen=pairs[0], choices=pairs)
    flow = await FlowRepository(unit.session).get(user_id, user_id, CONTEXT)
    wanted = flow.data.get("community_id") if flow else None
    for pair in pairs:
        if pair[0].id == wanted:
            return Resolution(chosen=pair, choices=pairs)
    return Resolution(chosen=None, choices=pairs)


async def choose(unit: Unit, user_id: int, community_id: int) -> Pair:
    """Makes one of the person's CoPs the target of their private messages."""
    pairs = await memberships(unit, user_id)
    pair = next((p for p in pairs if p[0].id == community_id), None)
    if pair is None:
        raise NotAMember("not_member")
    await _put(unit, user_id, CONTEXT, {"community_id": community_id})
    return pair


async def hold(unit: Unit, user_id: int, text: str) -> None:
    """Keeps a member's message until they say which CoP it is for (one at a time)."""
    await _put(unit, user_id, PENDING, {"text": text[:PENDING_LIMIT]})


async def release(unit: Unit, user_id: int) -> str | None:
    flows = FlowRepository(unit.session)
    flow = await flows.get(user_id, user_id, PENDING)
    if flow is None:
        return None
    await flows.remove(flow)
    return str(flow.data.get("text", ""))


async def _put(unit: Unit, user_id: int, kind: str, data: dict[str, object]) -> None:
    flows = FlowRepository(unit.session)
    flow = await flows.get(user_id, user_id, kind)
    if flow is None:
        flow = Flow(chat_id=user_id, user_id=user_id, kind=kind, step=kind)
    flow.data = data
    flow.updated_at = unit.now
    await flows.save(flow)
