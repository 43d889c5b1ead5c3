"""Coding contributions on the code book's two axes (facilitators only).

individual vs shared issue; internal vs external attribution (appendix E of the
study). Codes are stored apart from the text, per coder.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Coding
from storage.repositories.codings import CodingRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.members import MemberRepository

CODABLE = (
    "issue",
    "shared_suggestion",
    "issue_reflection",
    "shared_issue",
    "shared_comment",
    "weekly_share",
)
COMBOS: dict[str, tuple[str, str]] = {
    "ie": ("individual", "external"),
    "ii": ("individual", "internal"),
    "se": ("shared", "external"),
    "si": ("shared", "internal"),
    "x": ("none", "none"),  # not about a practice issue
}
BY_CODE = {value: key for key, value in COMBOS.items()}
PAGE = 10
#: The share of coded fragments a second coder gets (the study: about 20%).
SAMPLE_SHARE = 0.2
#: Below this many coded fragments a sample says nothing.
MINIMUM_CODED = 5


class CodingItem(BaseModel):
    """One contribution to code. `number` is its place among the CoP's codable
    contributions (oldest first): what a facilitator reads, never the database id."""

    contribution_id: int
    number: int
    created_at: datetime
    kind: str
    text: str
    author: str
    meeting_number: int | None
    code: str | None


async def items(
    unit: Unit, community_id: int, coder: MemberView, *, coded_too: bool, limit: int = PAGE
) -> tuple[list[CodingItem], int]:
    """The next contributions to code (oldest first) and how many are left uncoded."""
    _require(coder)
    contributions = await ContributionRepository(unit.session, community_id).of_kinds(list(CODABLE))
    repository = CodingRepository(unit.session, community_id)
    coded = await repository.coded_ids(coder.id)
    todo = [c for c in contributions if coded_too or c.id not in coded]
    uncoded = len([c for c in contributions if c.id not in coded])
    numbers = {c.id: index for index, c in enumerate(contributions, start=1)}
    result = []
    for row in todo[:limit]:
        result.append(await _item(unit, community_id, coder, row.id, numbers[row.id]))
    return result, uncoded


async def code(
    unit: Unit, community_id: int, coder: MemberView, contribution_id: int, combo: str
) -> CodingItem:
    """Sets (or changes) this coder's code of one contribution."""
    _require(coder)
    if combo not in COMBOS:
        raise StaleAction("stale_button")
    contribution = await ContributionRepository(unit.session, community_id).get(contribution_id)
    if contribution is None or contribution.kind not in CODABLE:
        raise NotFound("stale_button")
    repository = CodingRepository(unit.session, community_id)
    coding = await repository.of(contribution_id, coder.id)
    # The first coder of a contribution is its primary coder; whoever codes it after
    # them is a second coder, whose code is kept for agreement and never counted.
    role = (
        "primary"
        if coding is None and not await repository.has_primary(contribution_id)
        else "second"
    )
    await store(unit, repository, contribution_id, coder.id, combo, role, coding)
    return await item(unit, community_id, coder, contribution_id)


async def second_items(
    unit: Unit, community_id: int, coder: MemberView, *, limit: int = PAGE
) -> tuple[list[CodingItem], int, int]:
    """A second coder's blind sample: about 20% of the coded fragments of each meeting,
    none the coder coded first. Returns the next items to code (without the first codes),
    how many of the sample are still uncoded, and the sample's size.

    The sample is drawn with a seed of the CoP and the coder, so asking again gives the
    same fragments instead of a new draw that would let a coder pick easy ones.
    """
    sample = await _sample(unit, community_id, coder)
    mine = await CodingRepository(unit.session, community_id).coded_ids(coder.id)
    codable = await ContributionRepository(unit.session, community_id).of_kinds(list(CODABLE))
    numbers = {c.id: index for index, c in enumerate(codable, start=1)}
    todo = [i for i in sample if i not in mine]
    result = [await _item(unit, community_id, coder, i, numbers[i]) for i in todo[:limit]]
    return result, len(todo), len(sample)


async def code_second(
    unit: Unit, community_id: int, coder: MemberView, contribution_id: int, combo: str
) -> CodingItem:
    """Sets (or changes) a second coder's code; it never counts in the table."""
    _require(coder)
    if combo not in COMBOS:
        raise StaleAction("stale_button")
    repository = CodingRepository(unit.session, community_id)
    primary = next(
        (c for c in await repository.of_role("primary") if c.contribution_id == contribution_id),
        None,
    )
    if primary is None:
        raise NotFound("stale_button")
    if primary.coder_member_id == coder.id:
        raise NotAllowed("second_is_primary")
    coding = await repository.of(contribution_id, coder.id, role="second")
    await store(unit, repository, contribution_id, coder.id, combo, "second", coding)
    return await item(unit, community_id, coder, contribution_id)


async def store(
    unit: Unit,
    repository: CodingRepository,
    contribution_id: int,
    coder_id: int,
    combo: str,
    role: str,
    existing: Coding | None = None,
) -> None:
    """Adds a coder's coding in the issue code book, or changes the code of the one they
    have (its role stays: a primary coder who changes their mind is still primary)."""
    scope, attribution = COMBOS[combo]
    if existing is not None:
        existing.scope, existing.attribution, existing.coded_at = scope, attribution, unit.now
        await unit.session.flush()
        return
    await repository.add(
        Coding(
            contribution_id=contribution_id,
            coder_member_id=coder_id,
            scope=scope,
            attribution=attribution,
            coded_at=unit.now,
            code_book="issue",
            role=role,
        )
    )


async def item(
    unit: Unit, community_id: int, reader: MemberView, contribution_id: int
) -> CodingItem:
    """One coded contribution as a coder reads it, with the reader's own code."""
    codable = await ContributionRepository(unit.session, community_id).of_kinds(list(CODABLE))
    number = next(index for index, c in enumerate(codable, start=1) if c.id == contribution_id)
    return await _item(unit, community_id, reader, contribution_id, number)


async def _sample(unit: Unit, community_id: int, coder: MemberView) -> list[int]:
    _require(coder)
    codable = await ContributionRepository(unit.session, community_id).of_kinds(list(CODABLE))
    primaries = {
        c.contribution_id: c
        for c in await CodingRepository(unit.session, community_id).of_role("primary")
    }
    coded = [c for c in codable if c.id in primaries]
    if len(coded) < MINIMUM_CODED:
        raise InvalidInput("second_too_few", n=len(coded), minimum=MINIMUM_CODED)
    strata: dict[int | None, list[int]] = defaultdict(list)
    for row in coded:
        if primaries[row.id].coder_member_id != coder.id:
            strata[row.meeting_id].append(row.id)
    if not strata:
        raise NotAllowed("second_is_primary")
    draw = random.Random(f"copbot-second-sample:{community_id}:{coder.id}")
    sample: list[int] = []
    for meeting in sorted(strata, key=lambda m: (m is not None, m or 0)):
        group = strata[meeting]
        sample.extend(draw.sample(group, max(1, round(SAMPLE_SHARE * len(group)))))
    return sorted(sample)


async def _item(
    unit: Unit, community_id: int, coder: MemberView, contribution_id: int, number: int
) -> CodingItem:
    contribution = await ContributionRepository(unit.session, community_id).get(contribution_id)
    assert contribution is not None
    author = (
        await MemberRepository(unit.session, community_id).get(contribution.member_id)
        if contribution.member_id
        else None
    )
    meeting = (
        await MeetingRepository(unit.session, community_id).get(contribution.meeting_id)
        if contribution.meeting_id
        else None
    )
    coding = await CodingRepository(unit.session, community_id).of(contribution_id, coder.id)
    return CodingItem(
        contribution_id=contribution.id,
        number=number,
        created_at=contribution.created_at,
        kind=contribution.kind,
        text=contribution.text,
        author=(author.display_name or "?") if author else "\u2013",
        meeting_number=meeting.number if meeting else None,
        code=BY_CODE.get((coding.scope, coding.attribution)) if coding else None,
    )


def _require(coder: MemberView) -> None:
    if not coder.is_facilitator:
        raise NotAllowed("facilitator_only")
