"""The schedule's rules: /meeting add|move|cancel, overlaps, and the /plan dialogue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import InvalidInput, NotFound
from bot.services import meeting_args, meetings
from bot.services.holidays import HolidayCalendar
from bot.services.meeting_args import PlanStep
from bot.services.meetings import Planned
from bot.services.unit import Unit
from tests.services.conftest import GROUP_CHAT, Cop

CALENDAR = HolidayCalendar()
FENNA = 1  # the facilitator's Telegram id (see conftest)


async def _add(unit: Unit, cop: Cop, *words: str) -> Planned:
    change = await meeting_args.change(unit, cop.community, CALENDAR, ["add", *words])
    assert change.planned is not None
    return change.planned


async def test_add_reads_date_time_duration_and_place(unit: Unit, cop: Cop) -> None:
    planned = await _add(unit, cop, "2", "december", "2026", "15:00", "90", "Room", "4")
    (meeting,) = planned.meetings
    assert meeting.number == 1
    assert meeting.starts_at == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)  # 15:00 in Amsterdam
    assert (meeting.duration_minutes, meeting.location) == (90, "Room 4")
    assert (await _add(unit, cop, "2026-12-09", "15:00")).meetings[0].duration_minutes == 60


async def test_numbers_follow_the_calendar(unit: Unit, cop: Cop) -> None:
    await _add(unit, cop, "2026-12-09", "15:00")
    await _add(unit, cop, "2026-12-02", "15:00")
    assert [m.number for m in await meetings.schedule(unit, cop.id)] == [1, 2]
    assert (await meetings.get(unit, cop.id, 1)).starts_at.day == 2


async def test_an_overlapping_meeting_is_refused(unit: Unit, cop: Cop) -> None:
    await _add(unit, cop, "2026-12-02", "15:00", "60")
    with pytest.raises(InvalidInput) as refused:
        await _add(unit, cop, "2026-12-02", "15:30")
    assert (refused.value.msgid, refused.value.values) == ("meeting_overlap", {"number": 1})


async def test_move_and_cancel_only_what_is_still_to_come(unit: Unit, cop: Cop) -> None:
    await _add(unit, cop, "2026-12-02", "15:00")
    moved = await meeting_args.change(
        unit, cop.community, CALENDAR, ["move", "1", "2026-12-03", "16:00", "45"]
    )
    assert moved.planned is not None and moved.planned.meetings[0].duration_minutes == 45
    assert moved.planned.meetings[0].sequence == 1  # a calendar re-import updates the event
    later = Unit(unit.session, datetime(2026, 12, 4, tzinfo=UTC))
    with pytest.raises(InvalidInput) as refused:
        await meetings.move(later, cop.community, CALENDAR, 1, starts_at=later.now + timedelta(1))
    assert refused.value.msgid == "meeting_held"
    with pytest.raises(InvalidInput) as refused:
        await meetings.cancel(later, cop.community, 1)
    assert refused.value.msgid == "meeting_started"
    with pytest.raises(NotFound) as missing:
        await meetings.cancel(unit, cop.community, 7)
    assert (missing.value.msgid, missing.value.values) == ("no_such_meeting", {"number": 7})


async def test_a_cancelled_meeting_stays_cancelled(unit: Unit, cop: Cop) -> None:
    await _add(unit, cop, "2026-12-02", "15:00")
    change = await meeting_args.change(unit, cop.community, CALENDAR, ["cancel", "1"])
    assert change.cancelled is not None and change.cancelled.meeting.status == "cancelled"
    for args in (["cancel", "1"], ["move", "1", "2026-12-03", "15:00"]):
        with pytest.raises(InvalidInput) as refused:
            await meeting_args.change(unit, cop.community, CALENDAR, args)
        assert refused.value.msgid in ("meeting_already_cancelled", "meeting_cancelled")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], "meeting_usage"),
        (["cancel", "one"], "meeting_usage"),
        (["add", "2026-12-02", "soon"], "date_and_time_needed"),
        (["move", "1", "2026-12-02", "15:00", "Room"], "only_date_and_time"),
        (["add", "2020-12-02", "15:00"], "moment_past"),
    ],
)
async def test_what_cannot_be_read_is_refused_by_code(
    unit: Unit, cop: Cop, args: list[str], code: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await meeting_args.change(unit, cop.community, CALENDAR, args)
    assert refused.value.msgid == code


async def test_the_plan_dialogue_keeps_typed_answers_until_save(unit: Unit, cop: Cop) -> None:
    step = await meeting_args.start_plan(unit, cop.community, FENNA, GROUP_CHAT)
    for answer in ("2026-12-02 15:00", "3", "2", "1u30", "Room 4"):
        step = await meeting_args.answer_plan(unit, cop.community, CALENDAR, step.state, answer)
    assert step.state.step == "confirm"
    assert step.state.data == {
        "first": "2026-12-02T14:00:00+00:00",
        "count": 3,
        "interval": 2,
        "duration": 90,
        "location": "Room 4",
    }  # the keys rows of earlier versions have
    assert step.preview is not None and len(step.preview.starts) == 3
    assert await meetings.schedule(unit, cop.id) == []  # nothing stored before Save
    saved = await meeting_args.press_plan(
        unit, cop.community, CALENDAR, FENNA, step.state.flow_id, "confirm", "save"
    )
    assert isinstance(saved, Planned)
    assert [m.starts_at.day for m in saved.meetings] == [2, 16, 30]


async def test_a_plan_answer_out_of_range_is_refused(unit: Unit, cop: Cop) -> None:
    step = await meeting_args.start_plan(unit, cop.community, FENNA, GROUP_CHAT)
    step = await meeting_args.answer_plan(
        unit, cop.community, CALENDAR, step.state, "2026-12-02 15:00"
    )
    with pytest.raises(InvalidInput) as refused:
        await meeting_args.answer_plan(unit, cop.community, CALENDAR, step.state, "21")
    assert (refused.value.msgid, refused.value.values) == ("plan_number", {"limit": 20})
    pressed = await meeting_args.press_plan(
        unit, cop.community, CALENDAR, FENNA, step.state.flow_id, "count", "4"
    )
    assert isinstance(pressed, PlanStep) and pressed.state.step == "interval"


async def test_the_period_of_a_contribution(unit: Unit, cop: Cop) -> None:
    assert await meetings.period_of(unit, cop.id, unit.now) is None
    first = (await _add(unit, cop, "2026-12-02", "15:00")).meetings[0]
    second = (await _add(unit, cop, "2026-12-16", "15:00")).meetings[0]
    assert await meetings.period_of(unit, cop.id, unit.now) == first.id  # before meeting 1
    assert await meetings.period_of(unit, cop.id, second.starts_at) == second.id
