"""Planning what the bot sends on its own, and deciding each reminder's fate.

The plan is derived from the schedule and the CoP's rhythm settings and written
to the `reminders` outbox; `replan` rebuilds the future part whenever either
changes. At send time `decide` looks at the clock, holidays and pauses.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from bot.services.holidays import HolidayCalendar
from bot.services.unit import Unit
from storage.models import Community, Meeting, Reminder
from storage.repositories.communities import CommunityRepository
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


async def rhythm(unit: Unit, community_id: int) -> Rhythm:
    community = await CommunityRepository(unit.session).get(community_id)
    return rhythm_of(community) if community else Rhythm()


async def update_rhythm(unit: Unit, community_id: int, **changes: object) -> Rhythm:
    """Changes rhythm settings and replans, in the caller's unit of work."""
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    updated = rhythm_of(community).model_copy(update=changes)
    Rhythm.model_validate(updated.model_dump())
    community.settings = {**community.settings, "rhythm": updated.model_dump()}
    community.updated_at = unit.now
    await unit.session.flush()
    await replan(unit, community_id)
    return updated


def spread(community_id: int) -> timedelta:
    """A stable per-CoP offset, so thousands of CoPs do not all send in the same second.

    Reminders go out *earlier* by this offset, never later than promised.
    """
    return timedelta(seconds=(community_id * 2_654_435_761) % SPREAD_SECONDS)


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
    last_number = max((m.number for m in meetings), default=0)
    wanted: list[tuple[Kind, Meeting | None, datetime]] = []
    for meeting in meetings:
        end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
        for lead in sorted(set(settings.leads_minutes), reverse=True):
            wanted.append((Kind.BEFORE, meeting, meeting.starts_at - timedelta(minutes=lead)))
        day_before = meeting.starts_at - timedelta(days=1)
        wanted.append((Kind.AGENDA, meeting, day_before))
        wanted.append((Kind.NUDGE, meeting, day_before + timedelta(minutes=5)))
        wanted.append((Kind.AFTER, meeting, end + timedelta(minutes=15)))
        wanted.append((Kind.HEALTH, meeting, end + timedelta(days=1)))
        wanted.append((Kind.DECISIONS, meeting, end + timedelta(minutes=5)))
        if meeting.number == 1:
            wanted.append((Kind.ROUND, meeting, day_before + timedelta(minutes=10)))
        if meeting.number == 3 or (meeting.number > 3 and meeting.number == last_number):
            wanted.append((Kind.LITERATURE, meeting, day_before - timedelta(days=6)))
            wanted.append((Kind.USING, meeting, day_before - timedelta(days=6, minutes=-5)))
    if settings.weekly:
        from bot.services.when import next_weekly

        tz = ZoneInfo(community.timezone)
        wanted.append(
            (
                Kind.WEEKLY,
                None,
                next_weekly(unit.now + offset, settings.weekly_weekday, settings.weekly_at, tz),
            )
        )
    agreements = await _agreement_moments(unit, community)
    for kind, meeting, nominal, *rest in [*wanted, *agreements]:
        contribution_id = rest[0] if rest else None
        due = nominal - offset
        if due <= unit.now and kind is not Kind.WEEKLY:
            continue
        key = reminder_key(kind, contribution_id or (meeting.id if meeting else None), nominal)
        if key in existing:
            continue
        existing.add(key)
        await repository.add(
            Reminder(
                community_id=community_id,
                meeting_id=meeting.id if meeting else None,
                contribution_id=contribution_id,
                kind=kind.value,
                key=key,
                due_at=max(due, unit.now) if kind is Kind.WEEKLY else due,
                status="planned",
                attempts=0,
                note="",
                created_at=unit.now,
            )
        )
    await unit.session.flush()


async def _agreement_moments(
    unit: Unit, community: Community
) -> list[tuple[Kind, None, datetime, int]]:
    """Owner reminders for due agreements and the follow-up of new practices."""
    from storage.repositories.contributions import ContributionRepository

    tz = ZoneInfo(community.timezone)
    weeks = int(community.settings.get("decisions", {}).get("followup_weeks", 3))
    moments: list[tuple[Kind, None, datetime, int]] = []
    for row in await ContributionRepository(unit.session, community.id).of_kinds(["decision"]):
        data = row.data
        if data.get("status") != "adopted":
            continue
        if data.get("due") and data.get("owner") and not data.get("done"):
            due_day = datetime.fromisoformat(data["due"]).date()
            at_nine = datetime.combine(due_day, time(9, 0), tzinfo=tz).astimezone(UTC)
            moments.append((Kind.DUE_SOON, None, at_nine - timedelta(days=2), row.id))
            moments.append((Kind.DUE, None, at_nine, row.id))
        if data.get("practice") and data.get("adopted_at"):
            adopted = datetime.fromisoformat(data["adopted_at"]).astimezone(tz)
            ask = datetime.combine(
                (adopted + timedelta(weeks=weeks)).date(), time(10, 0), tzinfo=tz
            ).astimezone(UTC)
            moments.append((Kind.FOLLOWUP, None, ask, row.id))
    return moments


def reminder_key(kind: Kind, meeting_id: int | None, nominal: datetime) -> str:
    """(kind, meeting, due time): the identity that makes a reminder exactly-once."""
    return f"{kind.value}:{meeting_id or 0}:{nominal.strftime('%Y%m%dT%H%MZ')}"


def decide(
    reminder: Reminder,
    community: Community,
    meeting: Meeting | None,
    now: datetime,
    calendar: HolidayCalendar,
) -> tuple[Fate, str]:
    """Whether a due reminder goes out now; late ones only while they still make sense."""
    settings = rhythm_of(community)
    kind = Kind(reminder.kind)
    if community.status != "active":
        return Fate.CANCELLED, "community not active"
    if settings.paused:
        return Fate.SKIPPED, "paused"
    if meeting is not None and meeting.status == "cancelled":
        return Fate.CANCELLED, "meeting cancelled"
    if kind in (Kind.BEFORE, Kind.AGENDA, Kind.NUDGE, Kind.ROUND, Kind.LITERATURE, Kind.USING):
        if meeting is None or now >= meeting.starts_at:
            return Fate.MISSED, "the meeting had started"
    elif now - reminder.due_at > GRACE[kind]:
        return Fate.MISSED, "too late"
    if settings.holidays and _in_holiday(reminder, community, meeting, calendar, now):
        return Fate.SKIPPED, "holiday"
    return Fate.SEND, ""


def _in_holiday(
    reminder: Reminder,
    community: Community,
    meeting: Meeting | None,
    calendar: HolidayCalendar,
    now: datetime,
) -> bool:
    """A reminder landing in a holiday is skipped, unless its meeting itself is in one
    (the facilitator planned it there, after a warning)."""
    tz = ZoneInfo(community.timezone)
    region = community.region  # type: ignore[assignment]
    if calendar.on(now.astimezone(tz).date(), region) is None:  # type: ignore[arg-type]
        return False
    if meeting is not None and Kind(reminder.kind) in (Kind.BEFORE, Kind.AGENDA, Kind.NUDGE):
        return calendar.on(meeting.starts_at.astimezone(tz).date(), region) is None  # type: ignore[arg-type]
    return True


async def recent(unit: Unit, community_id: int, limit: int = 8) -> list[tuple[str, str, datetime]]:
    """What was sent, missed or skipped lately, and what comes next (for /reminders)."""
    rows = await ReminderRepository(unit.session).of_community(community_id, limit=200)
    past = [r for r in rows if r.status != "planned"][:limit]
    upcoming = sorted((r for r in rows if r.status == "planned"), key=lambda r: r.due_at)[:3]
    return [(r.kind, r.status, r.due_at) for r in sorted(past + upcoming, key=lambda r: r.due_at)]
