"""Reminder planning and each reminder's fate; the outbox row's claim and recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import (
    issues,
    meeting_args,
    meetings,
    membership,
    qualities,
    reminders,
    rhythm,
)
from bot.services.holidays import HolidayCalendar
from bot.services.meetings import MeetingView
from bot.services.reminders import Due, Fate, Kind, MeetingSlot, OutboxRow, Rhythm
from bot.services.unit import Unit
from storage.models import Delivery, Reminder
from storage.repositories.deliveries import DeliveryRepository
from storage.repositories.reminders import ReminderRepository
from tests.services.conftest import Cop

CALENDAR = HolidayCalendar()
MEETING = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


async def _meeting(unit: Unit, cop: Cop, *words: str) -> MeetingView:
    args = ["add", *(words or ("2026-12-02", "15:00"))]
    change = await meeting_args.change(unit, cop.community, CALENDAR, args)
    assert change.planned is not None
    return change.planned.meetings[0]


async def _planned(unit: Unit, cop: Cop) -> list[tuple[str, datetime]]:
    rows = await ReminderRepository(unit.session).of_community(cop.id, limit=200)
    return sorted((r.kind, r.due_at) for r in rows if r.status == "planned")


async def test_a_meeting_plans_its_reminders_once(unit: Unit, cop: Cop) -> None:
    await _meeting(unit, cop)
    planned = await _planned(unit, cop)
    kinds = [kind for kind, _ in planned]
    assert kinds.count("before") == 2  # two days and one hour before (the default)
    for kind in ("agenda", "nudge", "after", "health", "decisions", "round", "weekly"):
        assert kind in kinds
    offset = reminders.spread(cop.id)
    assert ("before", MEETING - timedelta(hours=1) - offset) in planned  # early, never late
    await reminders.replan(unit, cop.id)
    assert await _planned(unit, cop) == planned


async def test_settings_change_the_plan(unit: Unit, cop: Cop) -> None:
    await _meeting(unit, cop)
    await rhythm.set_leads(unit, cop.id, ["30m"])
    before = [due for kind, due in await _planned(unit, cop) if kind == "before"]
    assert before == [MEETING - timedelta(minutes=30) - reminders.spread(cop.id)]
    await rhythm.update(unit, cop.id, paused=True)
    assert await _planned(unit, cop) == []


async def test_literature_comes_before_meeting_three_and_the_last(unit: Unit, cop: Cop) -> None:
    for day in ("2026-12-02", "2026-12-16", "2027-01-13", "2027-01-27", "2027-02-10"):
        await _meeting(unit, cop, day, "15:00")
    numbers = {m.id: m.number for m in await meetings.schedule(unit, cop.id)}
    rows = await ReminderRepository(unit.session).of_community(cop.id, limit=200)
    literature = sorted(
        numbers[r.meeting_id] for r in rows if r.kind == "literature" and r.meeting_id
    )
    assert literature == [3, 5]


def _due(cop: Cop, kind: Kind, due_at: datetime, **changes: object) -> Due:
    row = OutboxRow(
        id=1, community_id=cop.id, meeting_id=1, contribution_id=None, kind=kind,
        due_at=due_at, status="sending", attempts=0,
    )  # fmt: skip
    meeting = changes.pop("meeting", MeetingSlot(MEETING, cancelled=False))
    settings = Rhythm().model_copy(update=changes)
    return Due(row, cop.community, settings, meeting)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "due_at", "now", "changes", "fate"),
    [
        (Kind.BEFORE, MEETING - timedelta(hours=1), MEETING - timedelta(minutes=59), {}, Fate.SEND),
        (Kind.BEFORE, MEETING - timedelta(hours=1), MEETING, {}, Fate.MISSED),
        (Kind.AFTER, MEETING, MEETING + timedelta(hours=13), {}, Fate.MISSED),
        (Kind.AFTER, MEETING, MEETING + timedelta(hours=11), {}, Fate.SEND),
        (Kind.BEFORE, MEETING - timedelta(hours=1), MEETING - timedelta(hours=1),
         {"paused": True}, Fate.SKIPPED),
        (Kind.AGENDA, MEETING - timedelta(days=1), MEETING - timedelta(days=1),
         {"meeting": MeetingSlot(MEETING, cancelled=True)}, Fate.CANCELLED),
        (Kind.AGENDA, MEETING - timedelta(days=1), MEETING - timedelta(days=1),
         {"meeting": None}, Fate.MISSED),
        # A private reminder found at night (21:00 in Amsterdam) waits for the morning ...
        (Kind.CHASE, MEETING - timedelta(hours=18), MEETING - timedelta(hours=18), {},
         Fate.LATER),
        (Kind.EARLY, MEETING - timedelta(days=3), MEETING - timedelta(hours=17), {},
         Fate.LATER),
        # ... and goes by day; never once its meeting started.
        (Kind.CHASE, MEETING - timedelta(hours=5), MEETING - timedelta(hours=5), {}, Fate.SEND),
        (Kind.CHASE, MEETING - timedelta(hours=5), MEETING, {}, Fate.MISSED),
    ],
)  # fmt: skip
def test_the_fate_of_a_due_reminder(
    cop: Cop, kind: Kind, due_at: datetime, now: datetime, changes: dict[str, object], fate: Fate
) -> None:
    assert reminders.decide(_due(cop, kind, due_at, **changes), now, CALENDAR)[0] is fate


def test_holidays_skip_reminders_unless_the_meeting_is_in_one(cop: Cop) -> None:
    christmas = datetime(2026, 12, 25, 9, 0, tzinfo=UTC)
    weekly = _due(cop, Kind.WEEKLY, christmas)
    assert reminders.decide(weekly, christmas, CALENDAR) == (Fate.SKIPPED, "holiday")
    assert reminders.decide(_due(cop, Kind.WEEKLY, christmas, holidays=False), christmas,
                            CALENDAR)[0] is Fate.SEND  # fmt: skip
    on_christmas = MeetingSlot(christmas + timedelta(hours=5), cancelled=False)
    before = _due(cop, Kind.BEFORE, christmas, meeting=on_christmas)
    assert reminders.decide(before, christmas, CALENDAR)[0] is Fate.SEND


def test_by_day_moves_the_night_to_the_next_morning() -> None:
    tz = reminders.ZoneInfo("Europe/Amsterdam")
    morning = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam: by day
    assert reminders.by_day(morning, tz) == morning
    early = datetime(2026, 12, 2, 6, 59, tzinfo=UTC)
    assert reminders.by_day(early, tz) == morning
    evening = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # 20:00: night already
    assert reminders.by_day(evening, tz, timedelta(minutes=2)) == morning + timedelta(minutes=2)


async def test_a_round_is_chased_once_whatever_the_schedule_does(unit: Unit, cop: Cop) -> None:
    """The chase's key is its question's: replanning, a moved meeting or a reminder moved
    out of the night never makes a second one."""
    await _meeting(unit, cop)
    teacher = cop.teachers[0].telegram_user_id
    assert teacher is not None
    await membership.set_private_chat(unit, teacher, open_=True)  # someone to remind
    round_ = await issues.start_round(unit, cop.id, cop.community.chat_id, 900, None)
    chases = [r for r in await _rows(unit, cop) if r.kind == "chase"]
    assert [r.key for r in chases] == [f"chase:{round_.prompt_id}"]
    offset = reminders.spread(cop.id)
    day_before = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 16:00 in Amsterdam
    assert chases[0].due_at == day_before - offset and chases[0].meeting_id is not None
    await reminders.replan(unit, cop.id)  # (a future row is rebuilt: its id may change)
    [again] = [r for r in await _rows(unit, cop) if r.kind == "chase"]
    assert (again.key, again.due_at) == (chases[0].key, chases[0].due_at)

    night = Unit(unit.session, datetime(2026, 12, 1, 21, 0, tzinfo=UTC))  # the bot was down
    due = await reminders.claim(night, again.id)
    assert due is not None
    assert reminders.decide(due, night.now, CALENDAR)[0] is Fate.LATER
    await reminders.postpone(night, due)
    await reminders.replan(night, cop.id)  # replanning keeps it in the morning
    [moved] = [r for r in await _rows(night, cop) if r.kind == "chase"]
    assert (moved.status, moved.due_at) == (
        "planned",
        datetime(2026, 12, 2, 7, 0, tzinfo=UTC) + offset,
    )
    await issues.close_round(night, cop.id)
    assert [r for r in await _rows(night, cop) if r.kind == "chase"] == []  # closed: no chase


async def _rows(unit: Unit, cop: Cop) -> list[Reminder]:
    await unit.session.flush()
    return await ReminderRepository(unit.session).of_community(cop.id, limit=200)


def test_the_quality_round_is_named_once() -> None:
    assert reminders.QUALITY_ROUND == qualities.ROUND


async def test_a_reminder_is_claimed_once_and_recovered_as_missed(unit: Unit, cop: Cop) -> None:
    await _meeting(unit, cop)
    late = Unit(unit.session, MEETING - timedelta(minutes=30))
    (first, *_) = await reminders.due_ids(late, 500)
    due = await reminders.claim(late, first)
    assert due is not None and due.row.status == "sending"
    assert await reminders.claim(late, first) is None  # a second timer finds it taken
    assert await reminders.recover(late) == 0  # a claim this young may be a live send
    dead = Unit(unit.session, late.now + reminders.SEND_TIMEOUT + timedelta(seconds=1))
    assert await reminders.recover(dead) == 1  # its sender died: recorded, never resent
    assert (await reminders.row(late, first)).status == "missed"


async def _row(unit: Unit, cop: Cop, status: str, due: datetime, *messages: str) -> int:
    """An outbox row in `status`, due at `due`, with one message per given status."""
    reminder = Reminder(
        community_id=cop.id,
        kind=Kind.WEEKLY.value,
        key=f"{status}:{due.isoformat()}",
        due_at=due,
        status=status,
        created_at=due,
    )
    unit.session.add(reminder)
    await unit.session.flush()
    for position, message in enumerate(messages):
        unit.session.add(
            Delivery(
                reminder_id=reminder.id,
                community_id=cop.id,
                chat_id=cop.community.chat_id,
                position=position,
                status=message,
                due_at=due,
            )
        )
    await unit.session.flush()
    return reminder.id


async def test_prune_drops_settled_rows_past_the_retention_and_keeps_the_rest(
    unit: Unit, cop: Cop
) -> None:
    old = unit.now - reminders.KEEP_SETTLED - timedelta(minutes=1)
    gone = [
        await _row(unit, cop, "sent", old, "sent", "failed"),
        await _row(unit, cop, "missed", old - timedelta(days=300), "missed"),
        await _row(unit, cop, "failed", old, "failed"),
        await _row(unit, cop, "skipped", old),
        await _row(unit, cop, "cancelled", old, "cancelled"),
    ]
    kept = [
        await _row(unit, cop, "sent", old + timedelta(minutes=2), "sent"),  # /reminders shows it
        await _row(unit, cop, "planned", old - timedelta(days=1)),  # not handled yet: stays
        await _row(unit, cop, "sending", old),  # recovery's to settle
        await _row(unit, cop, "delivering", old, "sent", "planned"),  # a message still due
    ]
    assert await reminders.prune(unit) == len(gone)
    left = await ReminderRepository(unit.session).of_community(cop.id, limit=200)
    assert sorted(r.id for r in left) == sorted(kept)
    messages = [await DeliveryRepository(unit.session).of_reminder(i) for i in gone + kept]
    assert [[d.status for d in m] for m in messages] == [[], [], [], [], [], ["sent"], [], [],
                                                         ["sent", "planned"]]  # fmt: skip
    assert await reminders.prune(unit) == 0


async def test_prune_takes_a_bounded_batch_per_call(unit: Unit, cop: Cop) -> None:
    old = unit.now - reminders.KEEP_SETTLED - timedelta(days=1)
    for day in range(5):
        await _row(unit, cop, "sent", old - timedelta(days=day), "sent")
    assert [await reminders.prune(unit, batch=2) for _ in range(4)] == [2, 2, 1, 0]
    assert await ReminderRepository(unit.session).of_community(cop.id) == []
