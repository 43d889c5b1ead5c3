"""Agendas and attendance: the cycle template, who may replace items, members' points,
and answers to the attendance question."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import InvalidInput, NotFound
from bot.services import agenda, attendance, cycle, meeting_args, membership
from bot.services.holidays import HolidayCalendar
from bot.services.meetings import MeetingView
from bot.services.unit import Unit
from tests.services.conftest import Cop


async def _meeting(unit: Unit, cop: Cop, day: str = "2026-12-02") -> MeetingView:
    change = await meeting_args.change(
        unit, cop.community, HolidayCalendar(), ["add", day, "15:00"]
    )
    assert change.planned is not None
    return change.planned.meetings[0]


def test_the_cycle_is_spread_over_the_series() -> None:
    assert cycle.spread(1) == [["issues", "confidentiality", "qualities", "shared"]]
    assert cycle.spread(4)[1] == ["qualities", "shared"]
    five = cycle.spread(5)
    assert five[2] == ["literature", "using"]
    assert five[3] == []
    assert five[4] == ["literature", "using", "agreements", "document"]
    assert agenda.template(five[3]) == ["opening", "working", "closing"]
    assert agenda.template(five[0]) == ["opening", "issues", "confidentiality", "closing"]


async def test_without_a_meeting_there_is_no_agenda(unit: Unit, cop: Cop) -> None:
    assert await agenda.show(unit, cop.community, cop.teachers[0], None, []) is None


async def test_only_a_facilitator_replaces_the_items(unit: Unit, cop: Cop) -> None:
    await _meeting(unit, cop)
    shown = await agenda.show(unit, cop.community, cop.teachers[0], None, [])
    assert shown is not None and not shown.can_edit
    assert [item.template for item in shown.items] == [True] * 6
    with pytest.raises(InvalidInput) as refused:
        await agenda.show(unit, cop.community, cop.teachers[0], 1, ["Our own point"])
    assert refused.value.msgid == "facilitator_only"
    edited = await agenda.show(unit, cop.community, cop.facilitator, 1, ["  Tea ", "", "Cases"])
    assert edited is not None and edited.updated and edited.can_edit
    assert [item.text for item in edited.items] == ["Tea", "Cases"]
    assert edited.meeting.sequence == 1


async def test_a_members_point_is_added_with_their_name(unit: Unit, cop: Cop) -> None:
    meeting = await _meeting(unit, cop)
    teacher = cop.teachers[1]
    for text, code in (("   ", "agenda_point_empty"), ("x" * 301, "agenda_point_too_long")):
        with pytest.raises(InvalidInput) as refused:
            await agenda.add_point(unit, cop.id, teacher.id, meeting.id, text)
        assert refused.value.msgid == code
    await agenda.add_point(unit, cop.id, teacher.id, meeting.id, "Reading  aloud")
    items = await agenda.build(unit, meeting)
    assert (items[-2].text, items[-2].by, items[-2].template) == ("Reading aloud", "Bas", False)
    assert items[-1].text == "closing"  # the closing round stays last


async def test_attendance_counts_and_changes(unit: Unit, cop: Cop) -> None:
    meeting = await _meeting(unit, cop)
    anouk, bas, _ = cop.teachers
    await agenda.attend(unit, cop.id, anouk, meeting.id, "y")
    shown = await agenda.attend(unit, cop.id, bas, meeting.id, "m")
    assert shown.counts == {"y": 1, "m": 1}
    await agenda.attend(unit, cop.id, bas, meeting.id, "n")
    assert await attendance.counts(unit, cop.id, meeting.id) == {"y": 1, "n": 1}
    silent = await attendance.silent(unit, cop.id, meeting.id)
    assert {m.name for m in silent} == {"Fenna de Vries", "Chantal"}
    assert await attendance.answered_yes(unit, cop.id, meeting.number, anouk.id)
    with pytest.raises(InvalidInput):
        await agenda.attend(unit, cop.id, anouk, meeting.id, "perhaps")


async def test_apologies_go_to_the_next_meeting_still_to_come(unit: Unit, cop: Cop) -> None:
    teacher = cop.teachers[0]
    with pytest.raises(NotFound) as missing:
        await attendance.answer(unit, cop.id, teacher, number=None, answer="n")
    assert missing.value.msgid == "no_upcoming_meeting"
    await _meeting(unit, cop, "2026-12-02")
    second = await _meeting(unit, cop, "2026-12-16")
    between = Unit(unit.session, datetime(2026, 12, 3, tzinfo=UTC))
    noted = await attendance.answer(between, cop.id, teacher, number=None, answer="n", note="ill")
    assert noted.id == second.id
    with pytest.raises(InvalidInput) as refused:
        await attendance.answer(between, cop.id, teacher, number=1, answer="n")
    assert refused.value.msgid == "meeting_closed"


async def test_a_held_meeting_keeps_the_agenda_it_was_sent_with(unit: Unit, cop: Cop) -> None:
    """The log and the document show a past meeting as it was (issue 14): what opened or
    closed after its agenda went out is not on it, and open business is on the next
    meeting's agenda only."""
    from bot.services import issues

    first = await _meeting(unit, cop, "2026-12-02")
    second = await _meeting(unit, cop, "2026-12-16")
    await issues.start_round(unit, cop.id, -100, 77, None)
    sent = await agenda.for_sending(unit, first)
    assert any(item.label == "open_round" for item in sent)
    assert not any(i.label == "open_round" for i in await agenda.build(unit, second))

    later = Unit(unit.session, datetime(2026, 12, 3, 12, 0, tzinfo=UTC))  # meeting 1 is held
    await issues.close(later, cop.id)  # the round closes after meeting 1
    held = (await agenda.schedule(later, cop.id))[0]
    assert held.meeting.id == first.id
    assert [i.model_dump() for i in held.items] == [i.model_dump() for i in sent]  # as sent
    assert not any(i.label == "open_round" for i in await agenda.build(later, second))


async def test_weekly_answers_are_on_the_next_agenda_and_in_the_document(
    unit: Unit, cop: Cop
) -> None:
    """Answers to the weekly question were confirmed as "shared for the next meeting": they
    are on its agenda, and the document shows them with that meeting, also those that came
    after its agenda went out (issue 14)."""
    from bot.services import documents, rhythm

    first = await _meeting(unit, cop, "2026-12-02")
    anna, bram = cop.teachers[0], cop.teachers[1]
    await rhythm.share_weekly(unit, cop.id, anna.id, "A calm corner helped my group")
    items = await agenda.for_sending(unit, first)
    assert [(i.label, i.by) for i in items if i.label == "weekly_share"] == [
        ("weekly_share", anna.display_name)
    ]
    await rhythm.share_weekly(unit, cop.id, bram.id, "I tried the tally sheet")  # after

    later = Unit(unit.session, datetime(2026, 12, 3, 12, 0, tzinfo=UTC))  # meeting 1 is held
    full = await documents.collection(later, cop.community, team=False)
    shares = [i.text for i in full.meetings[0].agenda if i.label == "weekly_share"]
    assert shares == ["A calm corner helped my group", "I tried the tally sheet"]
    team = await documents.collection(later, cop.community, team=True)
    assert not [i for i in team.meetings[0].agenda if i.label == "weekly_share"]


async def test_an_issue_round_everyone_answered_is_no_open_business(unit: Unit, cop: Cop) -> None:
    from bot.services import issues

    first = await _meeting(unit, cop, "2026-12-02")
    await issues.start_round(unit, cop.id, -100, 77, None)
    labels = [i.label for i in await agenda.build(unit, first)]
    assert "open_round" in labels
    round_ = await issues.open_round(unit, cop.id)
    assert round_ is not None
    for member in await membership.participants(unit, cop.id):
        await issues.save_answer(
            unit, cop.id, round_, member, "Een leerling loopt weg", replace=False
        )
    assert "open_round" not in [i.label for i in await agenda.build(unit, first)]


async def test_open_business_comes_before_the_closing_round(unit: Unit, cop: Cop) -> None:
    from bot.services import rhythm

    first = await _meeting(unit, cop, "2026-12-02")
    await rhythm.share_weekly(unit, cop.id, cop.teachers[0].id, "A calm corner helped")
    items = await agenda.build(unit, first)
    assert items[-1].template and items[-1].text == "closing"
    assert any(i.label == "weekly_share" for i in items[:-1])
