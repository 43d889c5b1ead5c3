"""Planning what the bot sends on its own, and deciding each reminder's fate.

The plan is derived from the schedule and the CoP's rhythm settings and written
to the `reminders` outbox; `replan` rebuilds the future part whenever either
changes. At send time `decide` looks at the clock, holidays and pauses. The
outbox (`bot.outbox`) moves each row through its states only with the functions
at the end (`claim`, `close`, `sending`, `sent`, `retry`, `fail`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import cast
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from bot.services.holidays import HolidayCalendar, Region
from bot.services.unit import Unit
from bot.services.values import CommunityView
from bot.services.when import next_weekly
from storage.models import Community, Meeting, Reminder
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.reminders import ReminderRepository

SPREAD_SECONDS = 240


class Kind(StrEnum):
    BEFORE = "before"  # n minutes before a meeting (the first one also asks who comes)
    AGENDA = "agenda"  # a day before: the agenda, built from what is open
    NUDGE = "nudge"  # a day before: those who did not say whether they come
    AFTER = "after"  # after a meeting: ask the facilitator what was agreed
    HEALTH = "health"  # a day after a meeting: private note on participation and rhythm
    WEEKLY = "weekly"  # between meetings: "what did you try this week?"
    ROUND = "round"  # the day before meeting 1: the issue round (the cycle template)
    LITERATURE = "literature"  # before meetings 3 and the last: literature insights
    USING = "using"  # before meetings 3 and the last: the "using qualities" form
    DECISIONS = "decisions"  # at a meeting's end: agreements nobody objected to are adopted
    DUE_SOON = "due_soon"  # two days before an agreement is due: remind its owner
    DUE = "due"  # on the due date: ask the owner whether it is done
    FOLLOWUP = "followup"  # weeks after a new practice: do you use it?


class Rhythm(BaseModel):
    """A CoP's rhythm settings, kept in `communities.settings["rhythm"]`."""

    leads_minutes: list[int] = Field(default_factory=lambda: [2880, 60])
    weekly: bool = True
    weekly_weekday: int = 3  # Thursday (Monday = 0)
    weekly_time: str = "16:00"
    paused: bool = False
    holidays: bool = True  # skip reminders that would land in a holiday
    interval_weeks: int | None = None  # the planned rhythm, for the health check

    @property
    def weekly_at(self) -> time:
        hours, minutes = self.weekly_time.split(":")
        return time(int(hours), int(minutes))


class Fate(StrEnum):
    SEND = "send"
    MISSED = "missed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


GRACE = {
    Kind.WEEKLY: timedelta(hours=6),
    Kind.DECISIONS: timedelta(days=2),
    Kind.DUE_SOON: timedelta(days=1),
    Kind.DUE: timedelta(days=2),
    Kind.FOLLOWUP: timedelta(days=7),
    Kind.AFTER: timedelta(hours=12),
    Kind.HEALTH: timedelta(days=2),
}


def rhythm_of(community: Community) -> Rhythm:
    return Rhythm.model_validate(community.settings.get("rhythm", {}))


def spread(community_id: int) -> timedelta:
    """A stable per-CoP offset, so thousands of CoPs do not all send in the same second.

    Reminders go out *earlier* by this offset, never later than promised.
    """
    return timedelta(seconds=(community_id * 2_654_435_761) % SPREAD_SECONDS)


@dataclass(frozen=True)
class _Moment:
    """A message the plan wants at `nominal` (before the per-CoP spread)."""

    kind: Kind
    nominal: datetime
    meeting_id: int | None = None
    contribution_id: int | None = None


async def replan(unit: Unit, community_id: int) -> None:
    """Rebuilds the future outbox rows of one CoP from its schedule and settings."""
    repository = ReminderRepository(unit.session)
    await repository.drop_planned_after(community_id, unit.now)
    community = await CommunityRepository(unit.session).get(community_id)
    if community is None or community.status != "active":
        return
    settings = rhythm_of(community)
    if settings.paused:
        return
    existing = await repository.keys(community_id)
    # Meetings up to two days old still have their after-meeting question and check to come.
    meetings = await MeetingRepository(unit.session, community_id).upcoming(
        unit.now - timedelta(days=2)
    )
    offset = spread(community_id)
    moments = [
        *_meeting_moments(meetings, settings),
        *_weekly_moments(unit.now + offset, settings, ZoneInfo(community.timezone)),
        *await _agreement_moments(unit, community),
    ]
    for moment in moments:
        due = moment.nominal - offset
        if due <= unit.now and moment.kind is not Kind.WEEKLY:
            continue
        key = reminder_key(moment.kind, moment.contribution_id or moment.meeting_id, moment.nominal)
        if key not in existing:
            existing.add(key)
            await repository.add(_row(community_id, moment, key, due, unit.now))
    await unit.session.flush()


def _row(community_id: int, moment: _Moment, key: str, due: datetime, now: datetime) -> Reminder:
    """A planned outbox row; a weekly question due in the past goes out now."""
    return Reminder(
        community_id=community_id,
        meeting_id=moment.meeting_id,
        contribution_id=moment.contribution_id,
        kind=moment.kind.value,
        key=key,
        due_at=max(due, now) if moment.kind is Kind.WEEKLY else due,
        status="planned",
        attempts=0,
        note="",
        created_at=now,
    )


def _meeting_moments(meetings: list[Meeting], settings: Rhythm) -> Iterable[_Moment]:
    """Around each meeting: reminders, the agenda, the nudge, and what follows it."""
    last_number = max((m.number for m in meetings), default=0)
    for meeting in meetings:
        at = meeting.id
        end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
        for lead in sorted(set(settings.leads_minutes), reverse=True):
            yield _Moment(Kind.BEFORE, meeting.starts_at - timedelta(minutes=lead), at)
        day_before = meeting.starts_at - timedelta(days=1)
        yield _Moment(Kind.AGENDA, day_before, at)
        yield _Moment(Kind.NUDGE, day_before + timedelta(minutes=5), at)
        yield _Moment(Kind.AFTER, end + timedelta(minutes=15), at)
        yield _Moment(Kind.HEALTH, end + timedelta(days=1), at)
        yield _Moment(Kind.DECISIONS, end + timedelta(minutes=5), at)
        if meeting.number == 1:
            yield _Moment(Kind.ROUND, day_before + timedelta(minutes=10), at)
        if meeting.number == 3 or (meeting.number > 3 and meeting.number == last_number):
            yield _Moment(Kind.LITERATURE, day_before - timedelta(days=6), at)
            yield _Moment(Kind.USING, day_before - timedelta(days=6, minutes=-5), at)


def _weekly_moments(after: datetime, settings: Rhythm, tz: ZoneInfo) -> list[_Moment]:
    if not settings.weekly:
        return []
    at = next_weekly(after, settings.weekly_weekday, settings.weekly_at, tz)
    return [_Moment(Kind.WEEKLY, at)]


async def _agreement_moments(unit: Unit, community: Community) -> list[_Moment]:
    """Owner reminders for due agreements and the follow-up of new practices."""
    tz = ZoneInfo(community.timezone)
    weeks = int(community.settings.get("decisions", {}).get("followup_weeks", 3))
    moments: list[_Moment] = []
    for row in await ContributionRepository(unit.session, community.id).of_kinds(["decision"]):
        data = row.data
        if data.get("status") != "adopted":
            continue
        if data.get("due") and data.get("owner") and not data.get("done"):
            due_day = datetime.fromisoformat(data["due"]).date()
            at_nine = datetime.combine(due_day, time(9, 0), tzinfo=tz).astimezone(UTC)
            moments.append(
                _Moment(Kind.DUE_SOON, at_nine - timedelta(days=2), contribution_id=row.id)
            )
            moments.append(_Moment(Kind.DUE, at_nine, contribution_id=row.id))
        if data.get("practice") and data.get("adopted_at"):
            adopted = datetime.fromisoformat(data["adopted_at"]).astimezone(tz)
            ask = datetime.combine(
                (adopted + timedelta(weeks=weeks)).date(), time(10, 0), tzinfo=tz
            ).astimezone(UTC)
            moments.append(_Moment(Kind.FOLLOWUP, ask, contribution_id=row.id))
    return moments


def reminder_key(kind: Kind, meeting_id: int | None, nominal: datetime) -> str:
    """(kind, meeting, due time): the identity that makes a reminder exactly-once."""
    return f"{kind.value}:{meeting_id or 0}:{nominal.strftime('%Y%m%dT%H%MZ')}"


# --- at send time --------------------------------------------------------------------------

MEETING_BOUND = (Kind.BEFORE, Kind.AGENDA, Kind.NUDGE, Kind.ROUND, Kind.LITERATURE, Kind.USING)


class OutboxRow(BaseModel):
    """One row of the outbox, as the outbox reads it."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    community_id: int
    meeting_id: int | None
    contribution_id: int | None
    kind: Kind
    due_at: datetime
    status: str
    attempts: int


@dataclass(frozen=True)
class MeetingSlot:
    """When a reminder's meeting starts, and whether it was cancelled."""

    starts_at: datetime
    cancelled: bool


@dataclass(frozen=True)
class Due:
    """A claimed reminder with what its fate depends on."""

    row: OutboxRow
    community: CommunityView
    rhythm: Rhythm
    meeting: MeetingSlot | None  # None: no meeting, or its meeting is gone


def decide(due: Due, now: datetime, calendar: HolidayCalendar) -> tuple[Fate, str]:
    """Whether a due reminder goes out now; late ones only while they still make sense."""
    kind, meeting = due.row.kind, due.meeting
    if due.community.status != "active":
        return Fate.CANCELLED, "community not active"
    if due.rhythm.paused:
        return Fate.SKIPPED, "paused"
    if meeting is not None and meeting.cancelled:
        return Fate.CANCELLED, "meeting cancelled"
    if kind in MEETING_BOUND:
        if meeting is None or now >= meeting.starts_at:
            return Fate.MISSED, "the meeting had started"
    elif now - due.row.due_at > GRACE[kind]:
        return Fate.MISSED, "too late"
    if due.rhythm.holidays and _in_holiday(due, calendar, now):
        return Fate.SKIPPED, "holiday"
    return Fate.SEND, ""


def _in_holiday(due: Due, calendar: HolidayCalendar, now: datetime) -> bool:
    """A reminder landing in a holiday is skipped, unless its meeting itself is in one
    (the facilitator planned it there, after a warning)."""
    tz = ZoneInfo(due.community.timezone)
    region = cast("Region | None", due.community.region)
    if calendar.on(now.astimezone(tz).date(), region) is None:
        return False
    if due.meeting is not None and due.row.kind in (Kind.BEFORE, Kind.AGENDA, Kind.NUDGE):
        return calendar.on(due.meeting.starts_at.astimezone(tz).date(), region) is None
    return True


# --- the outbox's row states: planned -> sending -> sent | missed | skipped | failed -------


async def recover(unit: Unit) -> int:
    """Rows caught mid-send by a crash are recorded as missed, never sent twice."""
    rows = await ReminderRepository(unit.session).interrupted()
    for row in rows:
        row.status = "missed"
        row.note = "interrupted by a restart"
    return len(rows)


async def due_ids(unit: Unit, limit: int) -> list[int]:
    return await ReminderRepository(unit.session).due_ids(unit.now, limit)


async def claim(unit: Unit, reminder_id: int) -> Due | None:
    """Compare-and-set planned -> sending: of two timers, exactly one gets the row."""
    row = await ReminderRepository(unit.session).claim(reminder_id)
    if row is None:
        return None
    community = await CommunityRepository(unit.session).get(row.community_id)
    assert community is not None
    meeting = (
        await MeetingRepository(unit.session, community.id).get(row.meeting_id)
        if row.meeting_id
        else None
    )
    slot = MeetingSlot(meeting.starts_at, meeting.status == "cancelled") if meeting else None
    return Due(
        OutboxRow.model_validate(row),
        CommunityView.model_validate(community),
        rhythm_of(community),
        slot,
    )


async def row(unit: Unit, reminder_id: int) -> OutboxRow:
    return OutboxRow.model_validate(await _stored(unit, reminder_id))


async def close(unit: Unit, reminder_id: int, fate: Fate, note: str) -> None:
    """A claimed reminder that is not sent (missed, skipped, cancelled)."""
    reminder = await _stored(unit, reminder_id)
    reminder.status = fate.value
    reminder.note = note
    await _after(unit, reminder)


async def sending(unit: Unit, reminder_id: int) -> None:
    """The claim holds while the messages go out (a crash now is recorded, not retried)."""
    reminder = await _stored(unit, reminder_id)
    reminder.status = "sending"
    reminder.attempts += 1


async def sent(unit: Unit, reminder_id: int, chat_id: int, message_id: int) -> None:
    reminder = await _stored(unit, reminder_id)
    reminder.status = "sent"
    reminder.sent_at = unit.now
    reminder.chat_id, reminder.message_id = chat_id, message_id
    await _after(unit, reminder)


async def retry(unit: Unit, reminder_id: int, at: datetime | None = None) -> None:
    """Back to planned, due again at `at` (or when it was due)."""
    reminder = await _stored(unit, reminder_id)
    reminder.status = "planned"
    if at is not None:
        reminder.due_at = at


async def fail(unit: Unit, reminder_id: int, note: str) -> None:
    reminder = await _stored(unit, reminder_id)
    reminder.status = "failed"
    reminder.note = note


async def _stored(unit: Unit, reminder_id: int) -> Reminder:
    reminder = await ReminderRepository(unit.session).get(reminder_id)
    assert reminder is not None
    return reminder


async def _after(unit: Unit, reminder: Reminder) -> None:
    """A weekly question, once handled, makes room for next week's."""
    if reminder.kind == Kind.WEEKLY.value:
        await unit.session.flush()
        await replan(unit, reminder.community_id)
