"""The meeting schedule: the database is its truth, timers are derived from it.

Numbers follow the calendar (meeting 1 is the first), times are stored in UTC
and read and shown in the CoP's time zone. What facilitators type to change it
(/meeting's arguments, the /plan dialogue) is read in `bot.services.meeting_args`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from bot.errors import InvalidInput, NotFound
from bot.services import cycle, reminders
from bot.services.cycle import Moved
from bot.services.holidays import Holiday, HolidayCalendar, Region
from bot.services.unit import Unit
from bot.services.values import CommunityView
from bot.services.when import localize
from storage.models import Meeting
from storage.repositories.communities import CommunityRepository
from storage.repositories.meetings import MeetingRepository

SERIES_LIMIT = 20
INTERVAL_LIMIT = 8
LOCATION_LIMIT = 200


class MeetingView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    community_id: int
    number: int
    starts_at: datetime
    duration_minutes: int
    location: str
    status: str
    agenda: dict[str, Any]
    steps: list[str] | None = None  # the cycle's steps it carries (`bot.services.cycle`)
    sequence: int
    updated_at: datetime

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def state(self, now: datetime) -> str:
        """planned, held or cancelled: "held" is derived from the clock, not stored."""
        if self.status == "cancelled":
            return "cancelled"
        return "held" if self.ends_at <= now else "planned"


class Preview(BaseModel):
    """A series not yet stored: what the facilitator confirms."""

    starts: list[datetime]
    duration_minutes: int
    location: str
    warnings: list[tuple[int, Holiday]]


class Planned(BaseModel):
    """What a planning action did, with holiday warnings to show and the cycle's steps
    that changed meeting because of it."""

    meetings: list[MeetingView]
    warnings: list[tuple[int, Holiday]]
    moved: list[Moved] = []


class Cancelled(BaseModel):
    """A cancelled meeting, and where its steps went."""

    meeting: MeetingView
    moved: Moved | None


class Shortened(BaseModel):
    """The series cut to `count` meetings: which were cancelled, which steps moved."""

    count: int
    cancelled: list[int]
    moved: list[Moved]


class Stepped(BaseModel):
    """The steps a meeting now carries, after the facilitator changed them."""

    meeting: MeetingView


# --- reading the schedule ------------------------------------------------------------------


async def schedule(unit: Unit, community_id: int) -> list[MeetingView]:
    return [
        MeetingView.model_validate(m)
        for m in await MeetingRepository(unit.session, community_id).all()
    ]


async def get(unit: Unit, community_id: int, number: int) -> MeetingView:
    return MeetingView.model_validate(await _numbered(unit, community_id, number))


async def by_id(unit: Unit, community_id: int, meeting_id: int) -> MeetingView:
    meeting = await MeetingRepository(unit.session, community_id).get(meeting_id)
    if meeting is None:
        raise NotFound("stale_button")
    return MeetingView.model_validate(meeting)


async def period_of(unit: Unit, community_id: int, moment: datetime) -> int | None:
    """The meeting period a contribution belongs to: the last meeting that had started,
    or the first one if none has (what is said before meeting 1 belongs to meeting 1)."""
    meetings = await _held_or_planned(unit, community_id)
    started = [m for m in meetings if m.starts_at <= moment]
    if started:
        return started[-1].id
    return meetings[0].id if meetings else None


async def next_meeting(unit: Unit, community_id: int) -> MeetingView | None:
    upcoming = await MeetingRepository(unit.session, community_id).upcoming(unit.now)
    return MeetingView.model_validate(upcoming[0]) if upcoming else None


async def near(unit: Unit, community_id: int, window: timedelta) -> bool:
    """Whether a meeting (not cancelled) starts within `window` of now, before or after."""
    return any(
        abs(m.starts_at - unit.now) < window for m in await _held_or_planned(unit, community_id)
    )


# --- changing it ---------------------------------------------------------------------------


async def plan_series(
    unit: Unit,
    community: CommunityView,
    calendar: HolidayCalendar,
    *,
    first: datetime,
    count: int,
    interval_weeks: int,
    duration_minutes: int,
    location: str,
) -> Planned:
    """Adds `count` meetings every `interval_weeks` weeks at the same local time."""
    starts, location = await _series(
        unit, community, first, count, interval_weeks, duration_minutes, location
    )
    repository = MeetingRepository(unit.session, community.id)
    added = [
        await repository.add(
            Meeting(
                number=-(index + 1) - 10_000,
                starts_at=start,
                duration_minutes=duration_minutes,
                location=location,
                status="planned",
                agenda={},
                steps=[],
                sequence=0,
                created_at=unit.now,
                updated_at=unit.now,
            )
        )
        for index, start in enumerate(starts)
    ]
    await repository.renumber()
    moved = cycle.respread(await repository.all(), unit.now)  # type: ignore[arg-type]
    await unit.session.flush()
    if count > 1:
        await _remember_interval(unit, community.id, interval_weeks, count)
    await reminders.replan(unit, community.id)
    views = [MeetingView.model_validate(m) for m in added]
    warnings = _holiday_warnings(views, community, calendar)
    return Planned(meetings=views, warnings=warnings, moved=moved)


async def move(
    unit: Unit,
    community: CommunityView,
    calendar: HolidayCalendar,
    number: int,
    *,
    starts_at: datetime,
    duration_minutes: int | None = None,
) -> Planned:
    repository = MeetingRepository(unit.session, community.id)
    meeting = await _numbered(unit, community.id, number)
    if meeting.status == "cancelled":
        raise InvalidInput("meeting_cancelled", number=number)
    if meeting.starts_at + timedelta(minutes=meeting.duration_minutes) <= unit.now:
        raise InvalidInput("meeting_held", number=number)
    duration = duration_minutes or meeting.duration_minutes
    series = await repository.all()
    others = [m for m in series if m.status != "cancelled"]
    _refuse_overlap(others, starts_at, duration, exclude=meeting.id)
    steps = cycle.positions(series, unit.now)  # type: ignore[arg-type]
    meeting.starts_at = starts_at
    meeting.duration_minutes = duration
    meeting.sequence += 1
    meeting.updated_at = unit.now
    await repository.renumber()
    cycle.keep_order(await repository.all(), steps, unit.now)  # type: ignore[arg-type]
    await unit.session.flush()
    await reminders.replan(unit, community.id)
    view = MeetingView.model_validate(meeting)
    return Planned(meetings=[view], warnings=_holiday_warnings([view], community, calendar))


async def cancel(unit: Unit, community: CommunityView, number: int) -> Cancelled:
    """Cancels a meeting still to come; its steps of the cycle go to the next one."""
    meeting = await _numbered(unit, community.id, number)
    _refuse_closed(meeting, unit.now)
    meeting.status = "cancelled"
    meeting.sequence += 1
    meeting.updated_at = unit.now
    series = await MeetingRepository(unit.session, community.id).all()
    moved = cycle.hand_over(series, meeting, unit.now)  # type: ignore[arg-type]
    await unit.session.flush()
    await reminders.replan(unit, community.id)
    return Cancelled(meeting=MeetingView.model_validate(meeting), moved=moved)


async def shorten(unit: Unit, community: CommunityView, count: int) -> Shortened:
    """Cuts the series to its first `count` meetings (those not cancelled): the later ones
    are cancelled and the steps still to come are spread over what is left."""
    repository = MeetingRepository(unit.session, community.id)
    series = await repository.all()
    kept = [m for m in series if m.status != "cancelled"]
    started = [m for m in kept if m.starts_at <= unit.now]
    if count < max(len(started), 1):
        raise InvalidInput("shorten_below_held", held=len(started), count=count)
    if count >= len(kept):
        raise InvalidInput("shorten_nothing", count=len(kept))
    dropped = kept[count:]
    for meeting in dropped:
        meeting.status = "cancelled"
        meeting.sequence += 1
        meeting.updated_at = unit.now
    moved = cycle.respread(series, unit.now)  # type: ignore[arg-type]
    await _remember_interval(unit, community.id, None, count)
    await unit.session.flush()
    await reminders.replan(unit, community.id)
    return Shortened(count=count, cancelled=[m.number for m in dropped], moved=moved)


async def set_steps(unit: Unit, community: CommunityView, number: int, steps: list[str]) -> Stepped:
    """The facilitator's own choice of steps for a meeting still to come."""
    meeting = await _numbered(unit, community.id, number)
    _refuse_closed(meeting, unit.now)
    meeting.steps = cycle.ordered(steps)
    meeting.sequence += 1
    meeting.updated_at = unit.now
    await unit.session.flush()
    await reminders.replan(unit, community.id)
    return Stepped(meeting=MeetingView.model_validate(meeting))


async def preview_series(
    unit: Unit,
    community: CommunityView,
    calendar: HolidayCalendar,
    *,
    first: datetime,
    count: int,
    interval_weeks: int,
    duration_minutes: int,
    location: str,
) -> Preview:
    """What `plan_series` would add, with holiday warnings, before anything is stored."""
    starts, location = await _series(
        unit, community, first, count, interval_weeks, duration_minutes, location
    )
    warnings = _holidays_on(list(enumerate(starts, start=1)), community, calendar)
    return Preview(
        starts=starts, duration_minutes=duration_minutes, location=location, warnings=warnings
    )


# --- rules ---------------------------------------------------------------------------------


async def _series(
    unit: Unit,
    community: CommunityView,
    first: datetime,
    count: int,
    interval_weeks: int,
    duration_minutes: int,
    location: str,
) -> tuple[list[datetime], str]:
    if not 1 <= count <= SERIES_LIMIT:
        raise InvalidInput("series_too_long", limit=SERIES_LIMIT)
    if not 1 <= interval_weeks <= INTERVAL_LIMIT:
        raise InvalidInput("interval_out_of_range")
    location = " ".join(location.split())
    if len(location) > LOCATION_LIMIT:
        raise InvalidInput("location_too_long", limit=LOCATION_LIMIT)
    tz = community_tz(community)
    local_first = first.astimezone(tz)
    starts = [
        localize((local_first + timedelta(weeks=interval_weeks * i)).date(), local_first.time(), tz)
        for i in range(count)
    ]
    if starts[-1] - unit.now > timedelta(days=730):
        raise InvalidInput("too_far_ahead")
    existing = await _held_or_planned(unit, community.id)
    for start in starts:
        _refuse_overlap(existing, start, duration_minutes, exclude=None)
    return starts, location


async def _remember_interval(
    unit: Unit, community_id: int, interval_weeks: int | None, count: int
) -> None:
    """The planned pace, so the rhythm check can tell too fast from too slow, and the
    series' length, so the next series can be proposed alike."""
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    rhythm = dict(community.settings.get("rhythm", {}))
    if interval_weeks is not None:
        rhythm["interval_weeks"] = interval_weeks
    rhythm["series_count"] = count
    community.settings = {**community.settings, "rhythm": rhythm}


async def _numbered(unit: Unit, community_id: int, number: int) -> Meeting:
    meeting = await MeetingRepository(unit.session, community_id).by_number(number)
    if meeting is None:
        raise NotFound("no_such_meeting", number=number)
    return meeting


async def _held_or_planned(unit: Unit, community_id: int) -> list[Meeting]:
    return [
        m
        for m in await MeetingRepository(unit.session, community_id).all()
        if m.status != "cancelled"
    ]


def _refuse_closed(meeting: Meeting, now: datetime) -> None:
    if meeting.status == "cancelled":
        raise InvalidInput("meeting_already_cancelled", number=meeting.number)
    if meeting.starts_at <= now:
        raise InvalidInput("meeting_started", number=meeting.number)


def community_tz(community: CommunityView) -> ZoneInfo:
    return ZoneInfo(community.timezone)


def _refuse_overlap(
    meetings: list[Meeting], start: datetime, duration: int, *, exclude: int | None
) -> None:
    end = start + timedelta(minutes=duration)
    for other in meetings:
        if other.id == exclude:
            continue
        other_end = other.starts_at + timedelta(minutes=other.duration_minutes)
        if start < other_end and other.starts_at < end:
            raise InvalidInput("meeting_overlap", number=other.number)


def _holiday_warnings(
    meetings: list[MeetingView], community: CommunityView, calendar: HolidayCalendar
) -> list[tuple[int, Holiday]]:
    return _holidays_on([(m.number, m.starts_at) for m in meetings], community, calendar)


def _holidays_on(
    moments: list[tuple[int, datetime]], community: CommunityView, calendar: HolidayCalendar
) -> list[tuple[int, Holiday]]:
    """(number, holiday) for each numbered moment that falls in a holiday of the CoP."""
    tz = community_tz(community)
    region: Region | None = community.region  # type: ignore[assignment]
    warnings = []
    for number, moment in moments:
        holiday = calendar.on(moment.astimezone(tz).date(), region)
        if holiday is not None:
            warnings.append((number, holiday))
    return warnings
