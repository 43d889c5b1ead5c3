"""What may leave the CoP: contributions members marked shareable, and their names.

Members decide themselves (the study's CoP decided together what left it): each
marks their own contributions for the team version with /share, and says whether
their name may appear in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import InvalidInput, NotFound
from bot.services import mine
from bot.services.mine import OwnItem
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository

#: Group-owned kinds go to the team version by their own rule (adopted, not objected).
PERSONAL_SHAREABLE = (
    "issue",
    "issue_reflection",
    "insight",
    "shared_suggestion",
    "weekly_share",
    "quality_use",
)
LISTED = 20  # the member's most recent shareable contributions /share lists


@dataclass(frozen=True)
class Overview:
    """What /share shows a member: their shareable items, which are shared, their name."""

    items: list[OwnItem]
    shared: set[int]
    named: bool


async def overview(unit: Unit, community_id: int, member: MemberView) -> Overview:
    """The member looked at what they share: that counts as having reviewed it."""
    await reviewed(unit, community_id, member)
    own = await mine.own(unit, community_id, member)
    items = [i for i in own if i.kind in PERSONAL_SHAREABLE][-LISTED:]
    return Overview(
        items=items,
        shared=await shareable_ids(unit, community_id),
        named=member.id in await named_members(unit, community_id),
    )


async def named_members(unit: Unit, community_id: int) -> set[int]:
    community = await CommunityRepository(unit.session).get(community_id)
    return set(community.settings.get("share_names", [])) if community else set()


async def reviewed_members(unit: Unit, community_id: int) -> set[int]:
    community = await CommunityRepository(unit.session).get(community_id)
    return set(community.settings.get("share_reviewed", [])) if community else set()


async def set_named(unit: Unit, community_id: int, member: MemberView, on: bool) -> None:
    """Whether the member's name may appear in the team version."""
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    names = set(community.settings.get("share_names", []))
    (names.add if on else names.discard)(member.id)
    await _mark_reviewed(unit, community_id, member, {"share_names": sorted(names)})


async def toggle(unit: Unit, community_id: int, member: MemberView, contribution_id: int) -> bool:
    """Marks one's own contribution shareable (or private again); returns the new state."""
    row = await ContributionRepository(unit.session, community_id).get(contribution_id)
    if row is None or row.member_id != member.id:
        raise NotFound("contribution_not_yours")
    if row.kind not in PERSONAL_SHAREABLE:
        raise InvalidInput("shared_by_rule")
    row.visibility = "cop" if row.visibility == "team" else "team"
    await _mark_reviewed(unit, community_id, member, {})
    return row.visibility == "team"


async def flip(
    unit: Unit, community_id: int, member: MemberView, contribution_id: int
) -> tuple[bool, Overview]:
    """A press on /share's list: the item's new state, and the list as it is now (the
    message is updated in place, so the member sees what changed)."""
    shared = await toggle(unit, community_id, member, contribution_id)
    return shared, await overview(unit, community_id, member)


async def reviewed(unit: Unit, community_id: int, member: MemberView) -> None:
    await _mark_reviewed(unit, community_id, member, {})


async def shareable_ids(unit: Unit, community_id: int) -> set[int]:
    rows = await ContributionRepository(unit.session, community_id).of_kinds(
        list(PERSONAL_SHAREABLE)
    )
    return {row.id for row in rows if row.visibility == "team"}


async def _mark_reviewed(
    unit: Unit, community_id: int, member: MemberView, extra: dict[str, object]
) -> None:
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    done = set(community.settings.get("share_reviewed", [])) | {member.id}
    community.settings = {**community.settings, **extra, "share_reviewed": sorted(done)}
    await unit.session.flush()


async def forget(unit: Unit, community_id: int, member_id: int) -> None:
    """Erasure: the member's sharing choices (name in the team version, reviewed) go."""
    community = await CommunityRepository(unit.session).get(community_id)
    if community is None:
        return
    settings = dict(community.settings)
    for key in ("share_names", "share_reviewed"):
        if key in settings:
            settings[key] = [i for i in settings[key] if i != member_id]
    community.settings = settings
    await unit.session.flush()
