"""The self-running CoP: a chair that rotates among the members.

The study saw the rhythm fade once facilitation stopped: members found it hard to keep
appointments. A CoP can therefore run itself: with a rotating chair each meeting has a
teacher who chairs it, in the order members joined, and the chair of the next meeting
(or of the one just held) may plan meetings and close the meeting like a facilitator.
The mode is kept in `communities.settings["chair"]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.errors import InvalidInput
from bot.services import membership
from bot.services.meetings import MeetingView, schedule
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.repositories.communities import CommunityRepository

#: The canonical keywords; the handler reads what was typed in either language into them.
ON_WORDS = ("rotate", "on")
OFF_WORDS = ("off",)
#: The chair of a meeting keeps the role this long after it, to tick presence and recap.
AFTERWARDS = timedelta(days=3)


@dataclass(frozen=True)
class Rota:
    """Whether the chair rotates, and who chairs the meetings still to come."""

    rotating: bool
    turns: list[tuple[MeetingView, MemberView]]
    members: list[MemberView]


def usage() -> InvalidInput:
    return InvalidInput("chair_usage")


async def rotating(unit: Unit, community_id: int) -> bool:
    community = await CommunityRepository(unit.session).get(community_id)
    return bool(community and community.settings.get("chair", {}).get("rotating"))


async def set_mode(unit: Unit, community_id: int, word: str) -> Rota:
    """/chair rotate (or on) starts the self-running mode; /chair off ends it."""
    choice = word.lower()
    if choice not in ON_WORDS + OFF_WORDS:
        raise InvalidInput("chair_usage")
    on = choice in ON_WORDS
    if on and len(await membership.participants(unit, community_id)) < 2:
        raise InvalidInput("chair_too_few")
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    community.settings = {**community.settings, "chair": {"rotating": on}}
    await unit.session.flush()
    return await rota(unit, community_id)


async def rota(unit: Unit, community_id: int) -> Rota:
    """Who chairs each meeting still to come (nobody when the chair does not rotate)."""
    members = await _order(unit, community_id)
    if not await rotating(unit, community_id):
        return Rota(False, [], members)
    meetings = [m for m in await schedule(unit, community_id) if m.status != "cancelled"]
    turns = [
        (meeting, members[index % len(members)])
        for index, meeting in enumerate(meetings)
        if members and meeting.state(unit.now) == "planned"
    ]
    return Rota(True, turns, members)


async def chair_of(unit: Unit, community_id: int, meeting: MeetingView) -> MemberView | None:
    """The member who chairs this meeting, in a self-running CoP."""
    if meeting.status == "cancelled" or not await rotating(unit, community_id):
        return None
    members = await _order(unit, community_id)
    meetings = [m for m in await schedule(unit, community_id) if m.status != "cancelled"]
    index = next(i for i, m in enumerate(meetings) if m.id == meeting.id)
    return members[index % len(members)] if members else None


async def is_chair(unit: Unit, community_id: int, member_id: int) -> bool:
    """Whether the member chairs the next meeting, or the one just held."""
    if not await rotating(unit, community_id):
        return False
    meetings = [m for m in await schedule(unit, community_id) if m.status != "cancelled"]
    upcoming = [m for m in meetings if m.state(unit.now) == "planned"]
    recent = [
        m for m in meetings if m.state(unit.now) == "held" and m.ends_at + AFTERWARDS > unit.now
    ]
    for meeting in [*upcoming[:1], *recent[-1:]]:
        chair = await chair_of(unit, community_id, meeting)
        if chair is not None and chair.id == member_id:
            return True
    return False


async def _order(unit: Unit, community_id: int) -> list[MemberView]:
    """The teachers in the order they joined: the chair's turn goes round in that order."""
    members = await membership.participants(unit, community_id)
    return sorted(members, key=lambda m: (m.joined_at, m.id))
