"""The vote rule: a majority adopts at once; at the meeting's end, no objection adopts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.services import decisions, meetings
from bot.services.holidays import HolidayCalendar
from bot.services.unit import Unit
from tests.services.conftest import Cop


async def _proposed(unit: Unit, cop: Cop, text: str = "We use a tally sheet") -> int:
    item = await decisions.decide(unit, cop.community, cop.teachers[0], text)
    assert item.status == "proposed"
    return item.id


async def test_more_than_half_agreeing_adopts_at_once(unit: Unit, cop: Cop) -> None:
    decision_id = await _proposed(unit, cop)
    voters = [cop.facilitator, *cop.teachers]  # four members: three agrees are a majority
    for voter in voters[:2]:
        item, adopted = await decisions.vote(unit, cop.id, voter, decision_id, "agree")
        assert not adopted and item.status == "proposed"  # two of four is not more than half
    item, adopted = await decisions.vote(unit, cop.id, voters[2], decision_id, "agree")
    assert adopted and item.status == "adopted"
    with pytest.raises(InvalidInput, match="already_adopted"):
        await decisions.vote(unit, cop.id, voters[3], decision_id, "object")


def test_the_rules_themselves() -> None:
    assert decisions.adopted_by_vote({"agree": 3}, 4)
    assert not decisions.adopted_by_vote({"agree": 2, "object": 0}, 4)
    assert decisions.adopted_by_consent({"agree": 1})
    assert not decisions.adopted_by_consent({"agree": 3, "object": 1})


async def test_at_the_end_of_a_meeting_what_nobody_objected_to_is_adopted(
    unit: Unit, cop: Cop
) -> None:
    planned = await meetings.plan_series(
        unit,
        cop.community,
        HolidayCalendar(),
        first=unit.now - timedelta(hours=1),
        count=1,
        interval_weeks=1,
        duration_minutes=90,
        location="",
    )
    meeting_id = (await meetings.schedule(unit, cop.id))[0].id
    assert planned is not None
    quiet = await _proposed(unit, cop, "We start with a round")
    opposed = await _proposed(unit, cop, "We meet on Fridays")
    await decisions.vote(unit, cop.id, cop.teachers[1], opposed, "object")
    adopted = await decisions.adopt_unopposed(unit, cop.id, meeting_id)
    assert [item.id for item in adopted] == [quiet]
    assert (await decisions.view(unit, cop.id, opposed)).status == "proposed"
    assert (await decisions.view(unit, cop.id, quiet)).shareable


async def test_a_proposal_is_checked_before_it_is_stored(unit: Unit, cop: Cop) -> None:
    teacher = cop.teachers[0]
    with pytest.raises(InvalidInput, match="decide_usage"):
        await decisions.decide(unit, cop.community, teacher, "  ")
    with pytest.raises(InvalidInput, match="agreement_too_long"):
        await decisions.decide(unit, cop.community, teacher, "x" * 1001)
    with pytest.raises(NotFound, match="target_not_member"):
        await decisions.decide(unit, cop.community, teacher, "We read more @nobody")
    with pytest.raises(InvalidInput, match="due_in_past"):
        await decisions.decide(unit, cop.community, teacher, "We read more by 2020-01-01")
    item = await decisions.decide(unit, cop.community, teacher, "We read more @bas by 2026-12-10")
    assert (item.text, item.owner_name, str(item.due)) == ("We read more", "Bas", "2026-12-10")


async def test_practice_by_proposer_or_facilitator_done_by_owner(unit: Unit, cop: Cop) -> None:
    decision_id = await _proposed(unit, cop, "We read more @bas")
    with pytest.raises(NotAllowed):
        await decisions.react(unit, cop.id, cop.teachers[2], decision_id, "practice")
    reaction = await decisions.react(unit, cop.id, cop.facilitator, decision_id, "practice")
    assert reaction.item.practice and not reaction.adopted_now
    with pytest.raises(NotAllowed):
        await decisions.answer_done(unit, 4, decision_id, True, community_id=cop.id)
    done = await decisions.answer_done(unit, 3, decision_id, True, community_id=None)
    assert done.done  # Bas answered privately: the agreement's CoP was found for him
    with pytest.raises(StaleAction):
        await decisions.answer_done(unit, 3, decision_id + 99, True, community_id=None)


@pytest.mark.parametrize(
    ("typed", "text", "owner", "due"),
    [
        (
            "We maken een stappenplan voor nieuwkomers @x_y uiterlijk 8 oktober",
            "We maken een stappenplan voor nieuwkomers",
            "x_y",
            date(2027, 10, 8),
        ),
        (
            "A reading corner before lunch for group 5 @anna by 2026-12-10",
            "A reading corner before lunch for group 5",
            "anna",
            date(2026, 12, 10),
        ),
        ("Tot de kerst oefenen we rust @bram", "Tot de kerst oefenen we rust", "bram", None),
        ("We werken tot de bel", "We werken tot de bel", None, None),
    ],
)
def test_owner_and_date_are_read_from_the_end(
    typed: str, text: str, owner: str | None, due: date | None
) -> None:
    """A "voor", "tot", "by" or "before" inside the sentence is no date marker (issue 14)."""
    assert decisions.parse(typed, date(2026, 12, 1)) == (text, owner, due)
