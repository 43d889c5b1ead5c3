"""The shared issue: facilitators propose, members react, the CoP's rule adopts it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import InvalidInput, NotAllowed
from bot.services import coding, development, meetings, shared_issue
from bot.services.holidays import HolidayCalendar
from bot.services.unit import Unit
from storage.repositories.contributions import ContributionRepository
from tests.services.conftest import Cop


async def test_only_facilitators_propose_and_within_the_limit(unit: Unit, cop: Cop) -> None:
    with pytest.raises(NotAllowed):
        await shared_issue.propose(unit, cop.id, cop.teachers[0], "Rust in de gang")
    with pytest.raises(InvalidInput) as refused:
        await shared_issue.propose(unit, cop.id, cop.facilitator, "x" * 1001)
    assert refused.value.msgid == "shared_too_long" and refused.value.values == {"limit": 1000}


async def test_more_than_half_adopts_by_default(unit: Unit, cop: Cop) -> None:
    proposal = await shared_issue.propose(unit, cop.id, cop.facilitator, "Rust in de gang")
    assert proposal.members == 4 and proposal.rule == "majority"
    for member in (cop.facilitator, cop.teachers[0]):
        voted = await shared_issue.vote(unit, cop.id, member, proposal.id, "agree")
        assert not voted.adopted_now  # two of four is not more than half
    voted = await shared_issue.vote(unit, cop.id, cop.teachers[1], proposal.id, "agree")
    assert voted.adopted_now and voted.proposal.status == "adopted"
    with pytest.raises(InvalidInput) as refused:
        await shared_issue.vote(unit, cop.id, cop.teachers[2], proposal.id, "agree")
    assert refused.value.msgid == "shared_adopted"


async def test_the_rule_all_and_a_newer_version(unit: Unit, cop: Cop) -> None:
    with pytest.raises(InvalidInput) as refused:
        await shared_issue.set_rule(unit, cop.id, "most")
    assert refused.value.msgid == "shared_rule_usage"
    await shared_issue.set_rule(unit, cop.id, "all")
    first = await shared_issue.propose(unit, cop.id, cop.facilitator, "Versie een")
    for member in (cop.facilitator, *cop.teachers[:2]):
        assert not (await shared_issue.vote(unit, cop.id, member, first.id, "agree")).adopted_now
    second = await shared_issue.propose(unit, cop.id, cop.facilitator, "Versie twee")
    assert second.version == 2
    with pytest.raises(InvalidInput) as refused:
        await shared_issue.vote(unit, cop.id, cop.teachers[2], first.id, "agree")
    assert refused.value.msgid == "shared_superseded"
    assert [p.status for p in await shared_issue.history(unit, cop.id)] == [
        "superseded",
        "proposed",
    ]


async def test_versions_and_comments_count_in_their_meeting_s_development(
    unit: Unit, cop: Cop
) -> None:
    """The study's Table 3 shows per meeting how the talk turned to a shared issue: a
    version proposed and a comment given after meeting 1 belong to meeting 1's row,
    not to a row without a meeting."""
    await meetings.plan_series(
        unit,
        cop.community,
        HolidayCalendar(),
        first=unit.now - timedelta(hours=2),
        count=2,
        interval_weeks=2,
        duration_minutes=60,
        location="",
    )
    proposal = await shared_issue.propose(unit, cop.id, cop.facilitator, "Rust in de gang")
    await shared_issue.comment(unit, cop.id, cop.teachers[0], proposal.id, "Dat kunnen wij")
    rows = await ContributionRepository(unit.session, cop.id).of_kinds(
        ["shared_issue", "shared_comment"]
    )
    for row in rows:
        await coding.code(unit, cop.id, cop.facilitator, row.id, "si")
    (period,) = await development.development(unit, cop.id)
    assert period.meeting_number == 1 and period.counts["si"] == 2
