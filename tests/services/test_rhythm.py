"""The rhythm settings (/reminders, /weekly, /holidays) and the rhythm check."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import InvalidInput
from bot.services import meeting_args, membership, rhythm
from bot.services.holidays import HolidayCalendar
from bot.services.meetings import MeetingView
from bot.services.rhythm import Finding, Note
from bot.services.unit import Unit
from tests.services.conftest import GROUP_CHAT, Cop


async def test_reminder_times_are_read_and_limited(unit: Unit, cop: Cop) -> None:
    assert (await rhythm.set_leads(unit, cop.id, ["2d", "1u"])).leads_minutes == [2880, 60]
    assert (await rhythm.set_leads(unit, cop.id, ["off"])).leads_minutes == []
    with pytest.raises(InvalidInput) as refused:
        await rhythm.set_leads(unit, cop.id, ["1d", "2d", "3d", "4d"])
    assert refused.value.msgid == "reminders_usage"
    with pytest.raises(InvalidInput) as refused:
        await rhythm.set_leads(unit, cop.id, ["3"])
    assert refused.value.msgid == "lead_unreadable"


async def test_the_weekly_question_moves_and_switches(unit: Unit, cop: Cop) -> None:
    moved = await rhythm.set_weekly(unit, cop.id, ["vrijdag", "15u"])
    assert (moved.weekly, moved.weekly_weekday, moved.weekly_time) == (True, 4, "15:00")
    assert not (await rhythm.set_weekly(unit, cop.id, ["off"])).weekly
    assert (await rhythm.overview(unit, cop.id)).rhythm.weekly_weekday == 4
    with pytest.raises(InvalidInput) as refused:
        await rhythm.set_weekly(unit, cop.id, ["sometimes"])
    assert refused.value.msgid == "weekly_usage"


async def test_holidays_follow_the_region(unit: Unit, cop: Cop) -> None:
    rule = await rhythm.set_holidays(unit, cop.community, ["south"])
    assert (rule.region, rule.skip) == ("south", True)
    assert not (await rhythm.set_holidays(unit, cop.community, ["off"])).skip
    with pytest.raises(InvalidInput) as refused:
        await rhythm.set_holidays(unit, cop.community, ["east"])
    assert refused.value.msgid == "holidays_usage"


async def _series(unit: Unit, cop: Cop, count: int) -> list[MeetingView]:
    step = await meeting_args.start_plan(unit, cop.community, 1, GROUP_CHAT)
    for answer in ("2026-12-02 15:00", str(count), "2", "60", "-"):
        step = await meeting_args.answer_plan(
            unit, cop.community, HolidayCalendar(), step.state, answer
        )
    planned = await meeting_args.press_plan(
        unit, cop.community, HolidayCalendar(), 1, step.state.flow_id, "confirm", "save"
    )
    assert planned is not None and not isinstance(planned, meeting_args.PlanStep)
    return planned.meetings


async def test_the_check_notes_silence_low_response_and_pace(unit: Unit, cop: Cop) -> None:
    planned = await _series(unit, cop, 3)
    members = await membership.list_members(unit, cop.id)
    after_last = Unit(unit.session, datetime(2027, 1, 1, tzinfo=UTC))
    notes = await rhythm.check(after_last, cop.id, planned[-1], members)
    assert Note(Finding.LOW_RESPONSE, 0) in notes  # nobody answered the last two questions
    assert Note(Finding.NOTHING_PLANNED) in notes  # a two-weekly rhythm with nothing next
    silent = next(note for note in notes if note.finding is Finding.SILENT)
    assert set(silent.names) == {m.name for m in members}
    assert await rhythm.check(after_last, cop.id, planned[0], members) == []  # pace is right
