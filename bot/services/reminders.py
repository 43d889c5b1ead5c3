"""Planning what the bot sends on its own, and deciding each reminder's fate.

The plan is derived from the schedule and the CoP's rhythm settings and written
to the `reminders` outbox; `replan` rebuilds the future part whenever either
changes. At send time `decide` looks at the clock, holidays and pauses. The
outbox (`bot.outbox`) moves each row, and each of its messages (one per recipient),
through their states only with the functions at the end (`claim`, `make_room`, `close`,
`deliver`, `claim_message`, `delivered`, `undelivered`, `finish`, `recover`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import cast
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from bot.errors import InvalidInput
from bot.services.holidays import HolidayCalendar, Region
from bot.services.prompts import PromptKind
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.services.when import localize, next_weekly
from storage.models import Community, Delivery, Meeting, Prompt, Reminder
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.deliveries import DeliveryRepository
from storage.repositories.flows import PromptRepository
from storage.repositories.meetings import MeetingRepository
from storage.repositories.members import MemberRepository
from storage.repositories.reminders import ReminderRepository

SPREAD_SECONDS = 240


class Kind(StrEnum):
    BEFORE = "before"  # n minutes before a meeting (the first one also asks who comes)
    AGENDA = "agenda"  # a day before: the agenda, built from what is open
    NUDGE = "nudge"  # a day before: those who did not say whether they come
    AFTER = "after"  # after a meeting: the facilitator ticks who was there, notes what was agreed
    HEALTH = "health"  # a day after a meeting: private note on participation and rhythm
    WEEKLY = "weekly"  # between meetings: "what did you try this week?"
    ROUND = "round"  # the day before the meeting with the issue round (its step)
    LITERATURE = "literature"  # a week before meetings with literature insights (3, last)
    USING = "using"  # a week before meetings with "using qualities" (3, the last)
    DECISIONS = "decisions"  # at a meeting's end: agreements nobody objected to are adopted
    DUE_SOON = "due_soon"  # two days before an agreement is due: remind its owner
    DUE = "due"  # on the due date: ask the owner whether it is done
    FOLLOWUP = "followup"  # weeks after a new practice: do you use it?
    SERIES = "series"  # the morning after the last meeting: propose the next series
    CHASE = "chase"  # privately, once: an open question a member has not answered yet
    EARLY = "qualities_early"  # days before the qualities meeting: no quality round yet?


class Rhythm(BaseModel):
    """A CoP's rhythm settings, kept in `communities.settings["rhythm"]`."""

    leads_minutes: list[int] = Field(default_factory=lambda: [2880, 60])
    weekly: bool = True
    weekly_weekday: int = 3  # Thursday (Monday = 0)
    weekly_time: str = "16:00"
    paused: bool = False
    holidays: bool = True  # skip reminders that would land in a holiday
    interval_weeks: int | None = None  # the planned rhythm, for the health check
    series_count: int | None = None  # the last series' length, to propose the next one
    checkin: bool = False  # a member absent twice in a row gets a warm private message

    @property
    def weekly_at(self) -> time:
        hours, minutes = self.weekly_time.split(":")
        return time(int(hours), int(minutes))


class Fate(StrEnum):
    SEND = "send"
    MISSED = "missed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    LATER = "later"  # a private reminder found at night: moved to the morning, not dropped


GRACE = {
    Kind.WEEKLY: timedelta(hours=6),
    Kind.DECISIONS: timedelta(days=2),
    Kind.DUE_SOON: timedelta(days=1),
    Kind.DUE: timedelta(days=2),
    Kind.FOLLOWUP: timedelta(days=7),
    Kind.AFTER: timedelta(hours=12),
    Kind.HEALTH: timedelta(days=2),
    Kind.SERIES: timedelta(days=7),
    Kind.CHASE: timedelta(days=1),
}

#: Chasing an open question (`Kind.CHASE`): the rounds' quality round (its prompt kind is
#: `bot.services.qualities.ROUND`) is named here as a string, so this module imports no
#: feature service.
QUALITY_ROUND = "quality_round"
CHASED_ROUNDS = (PromptKind.ISSUE_ROUND.value, QUALITY_ROUND)
CHASED_LATER = (PromptKind.WEEKLY.value, PromptKind.FOLLOWUP.value)
#: A question is never chased sooner than this after it was asked: people had their chance.
CHASE_AFTER = timedelta(hours=6)
#: The weekly question, a follow-up, or a round with no meeting ahead: chased this much later.
CHASE_LATER = timedelta(days=2)
#: For a round: the day before the meeting it is for, at this local time.
CHASE_AT = time(16, 0)
#: The weekly question is not chased this close to a meeting (the meeting will ask anyway).
CHASE_QUIET = timedelta(hours=36)
#: Questions older than this are not chased any more (and a chase is never pruned before
#: its question stops being chased, so its unique key keeps it once).
ROUND_AGE = timedelta(days=60)
RECENT = timedelta(days=14)
#: Private reminders go out by day only, local time: moved into this window, never dropped.
DAYTIME = (time(8, 0), time(20, 0))
#: The facilitator's "qualities early" prompt: this many days before the qualities meeting.
EARLY_DAYS = 3


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
    key: str | None = None  # a key of its own (a chase: its question, whenever it is due)


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
    tz = ZoneInfo(community.timezone)
    questions = await _questions(unit, community)
    chased = questions if await _reachable(unit, community_id) else []
    if not settings.weekly:  # switched off: last week's question is not chased either
        chased = [q for q in chased if q.kind != PromptKind.WEEKLY.value]
    moments = [
        *_meeting_moments(meetings, settings, tz),
        *_weekly_moments(unit.now + offset, settings, tz),
        *await _agreement_moments(unit, community),
        *_chase_moments(chased, meetings, unit.now, tz),
        *_early_moments(questions, meetings, tz),
    ]
    starts = {m.id: m.starts_at for m in meetings}
    ahead_days: dict[int, set[date]] = {}  # the days a meeting's first reminders fall on
    for moment in moments:
        due = moment.nominal - offset
        if moment.kind in BY_DAY:
            if due <= unit.now - GRACE[Kind.CHASE]:
                continue  # long past: a question from before chasing existed
            due = by_day(max(due, unit.now), tz, offset)  # late (postponed): the next morning
            due = off_weekend(due, tz, earliest=unit.now)
        else:
            starts_at = starts.get(moment.meeting_id or 0)
            if _ahead(moment, starts_at):
                assert starts_at is not None
                due = off_weekend(due, tz, before=starts_at)
                day = due.astimezone(tz).date()
                if moment.kind in SAME_DAY_AS_FIRST and day in ahead_days.get(
                    moment.meeting_id or 0, ()
                ):
                    continue  # moved onto the day of the first reminder: it asks and shows all
                if moment.kind is Kind.BEFORE:
                    ahead_days.setdefault(moment.meeting_id or 0, set()).add(day)
            if due <= unit.now and moment.kind is not Kind.WEEKLY:
                continue
        key = moment.key or reminder_key(
            moment.kind, moment.contribution_id or moment.meeting_id, moment.nominal
        )
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


def _meeting_moments(meetings: list[Meeting], settings: Rhythm, tz: ZoneInfo) -> Iterable[_Moment]:
    """Around each meeting: reminders, the agenda, the nudge, and what follows it; after
    the last one, the proposal of a next series."""
    kept = [m for m in meetings if m.status != "cancelled"]
    if kept:
        last = max(kept, key=lambda m: m.starts_at)
        end = last.starts_at + timedelta(minutes=last.duration_minutes)
        morning = datetime.combine(end.astimezone(tz).date() + timedelta(days=1), time(10, 0), tz)
        yield _Moment(Kind.SERIES, morning.astimezone(UTC), last.id)
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
        steps = meeting.steps or []
        if "issues" in steps:
            yield _Moment(Kind.ROUND, day_before + timedelta(minutes=10), at)
        if "literature" in steps:
            yield _Moment(Kind.LITERATURE, day_before - timedelta(days=6), at)
        if "using" in steps:
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


async def plan_chase(unit: Unit, community_id: int) -> None:
    """A question was just asked in the group: its private reminder is planned now (by a
    replan), unless nobody could receive one (then the replan would change nothing)."""
    if await _reachable(unit, community_id):
        await replan(unit, community_id)


async def _reachable(unit: Unit, community_id: int) -> bool:
    """Whether a private reminder could reach anyone (a counted member with a private chat;
    `bot.services.membership.started` replans when someone opens one)."""
    for row in await MemberRepository(unit.session, community_id).active():
        member = MemberView.model_validate(row)
        if member.counted and member.private_chat and member.telegram_user_id:
            return True
    return False


async def _questions(unit: Unit, community: Community) -> list[Prompt]:
    """The questions asked in the group that a chase may follow up (newest first)."""
    prompts = PromptRepository(unit.session)
    found: list[Prompt] = []
    for kind in (*CHASED_ROUNDS, *CHASED_LATER):
        found += [
            p for p in await prompts.of_kind(community.id, kind) if p.chat_id == community.chat_id
        ]
    return found


def _chase_moments(
    questions: list[Prompt], meetings: list[Meeting], now: datetime, tz: ZoneInfo
) -> list[_Moment]:
    """One private reminder per open question, "before it matters": a round the day before
    the meeting it is for (at 16:00), the weekly question and a follow-up two days after
    they were asked (a follow-up sooner when a meeting comes first); never sooner than
    `CHASE_AFTER` after the question. Its key is its question's, so a chase sent once is
    never planned again, however the schedule changes."""
    moments: list[_Moment] = []
    for prompt in questions:
        asked = prompt.created_at
        ahead = [m for m in meetings if m.starts_at > max(now, asked)]
        meeting = ahead[0] if ahead else None
        later = asked + CHASE_LATER
        key = f"{Kind.CHASE.value}:{prompt.id}"
        if prompt.kind in CHASED_ROUNDS:
            if prompt.closed_at is not None or asked < now - ROUND_AGE:
                continue
            closes = prompt.closes_at
            if closes is not None and closes <= now:
                continue
            if closes is not None and (meeting is None or closes < meeting.starts_at):
                nominal, meeting_id = _day_before(closes, tz), None
                if max(nominal, asked + CHASE_AFTER) >= closes:
                    continue
            elif meeting is not None:
                nominal, meeting_id = _day_before(meeting.starts_at, tz), meeting.id
            else:
                nominal, meeting_id = later, None
            moments.append(
                _Moment(Kind.CHASE, max(nominal, asked + CHASE_AFTER), meeting_id, key=key)
            )
        elif asked >= now - RECENT:
            if prompt.kind == PromptKind.WEEKLY.value:
                if any(abs(m.starts_at - later) < CHASE_QUIET for m in meetings):
                    continue  # the meeting is near: it asks anyway
                moments.append(_Moment(Kind.CHASE, later, key=key))
                continue
            sooner = _day_before(meeting.starts_at, tz) if meeting else later
            if meeting is not None and asked + CHASE_AFTER <= sooner < later:
                moments.append(_Moment(Kind.CHASE, sooner, meeting.id, key=key))
            else:
                moments.append(_Moment(Kind.CHASE, later, key=key))
    return moments


def _early_moments(questions: list[Prompt], meetings: list[Meeting], tz: ZoneInfo) -> list[_Moment]:
    """ "Name qualities early" (the study's recommendation): a few days before the meeting
    that carries the qualities step (meeting 2 when no meeting carries steps), unless a
    quality round has run."""
    if any(p.kind == QUALITY_ROUND for p in questions):
        return []
    target = qualities_meeting(meetings)
    if target is None or target.number == 1:
        return []  # a series of one or two names them at its first meeting: no "early"
    day = target.starts_at.astimezone(tz).date() - timedelta(days=EARLY_DAYS)
    nominal = datetime.combine(day, CHASE_AT, tzinfo=tz).astimezone(UTC)
    return [_Moment(Kind.EARLY, nominal, target.id, key=f"{Kind.EARLY.value}:{target.id}")]


def qualities_meeting(meetings: list[Meeting]) -> Meeting | None:
    """The planned meeting the quality round belongs to: the one whose steps hold
    "qualities"; when no meeting carries steps (meetings added one by one, or a series from
    before the cycle plan), meeting 2."""
    planned = [m for m in meetings if m.status == "planned"]
    if any(m.steps for m in planned):
        return next((m for m in planned if "qualities" in (m.steps or [])), None)
    return next((m for m in planned if m.number == 2), None)


def _day_before(moment: datetime, tz: ZoneInfo) -> datetime:
    day = moment.astimezone(tz).date() - timedelta(days=1)
    return datetime.combine(day, CHASE_AT, tzinfo=tz).astimezone(UTC)


#: Kinds that go out by day only (`DAYTIME`): moved out of the night, never dropped.
BY_DAY = (Kind.CHASE, Kind.EARLY)


def by_day(moment: datetime, tz: ZoneInfo, offset: timedelta = timedelta(0)) -> datetime:
    """`moment`, or the next morning's 08:00 local (plus the CoP's spread) when it is night."""
    local = moment.astimezone(tz)
    start, end = DAYTIME
    if start <= local.time() < end:
        return moment
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return datetime.combine(day, start, tzinfo=tz).astimezone(UTC) + offset


#: Dropped when moved onto the day of the first reminder (which shows the agenda and asks
#: who comes): the agenda would come twice, the nudge before anyone could answer.
SAME_DAY_AS_FIRST = (Kind.AGENDA, Kind.NUDGE)
#: What goes out days ahead of a meeting: moved off a weekend to the Friday before.
AHEAD = (Kind.AGENDA, Kind.NUDGE, Kind.ROUND, Kind.LITERATURE, Kind.USING)


def _ahead(moment: _Moment, starts_at: datetime | None) -> bool:
    """A message about a meeting due a day or more ahead of it (the first reminders, the
    agenda, the nudge, the prompts for the meeting's steps)."""
    if starts_at is None:
        return False
    if moment.kind is Kind.BEFORE:
        return starts_at - moment.nominal >= timedelta(hours=20)
    return moment.kind in AHEAD


def off_weekend(
    moment: datetime,
    tz: ZoneInfo,
    *,
    before: datetime | None = None,
    earliest: datetime | None = None,
) -> datetime:
    """Teachers are not written to at the weekend: a message due on a Saturday or Sunday
    comes on the Friday before, at the same time (never on or after the meeting it is
    about, `before`), or when Friday is past (`earliest`), on the Monday after."""
    local = moment.astimezone(tz)
    if local.weekday() < 5:
        return moment
    if before is not None and before.astimezone(tz).weekday() >= 5:
        return moment  # a meeting at the weekend: its reminders may be too
    try:
        friday = localize(local.date() - timedelta(days=local.weekday() - 4), local.time(), tz)
        if earliest is None or friday > earliest:
            return friday
        return localize(local.date() + timedelta(days=7 - local.weekday()), local.time(), tz)
    except InvalidInput:  # a time the clocks skip on that day: leave it where it was
        return moment


async def agenda_posted(unit: Unit, community_id: int, meeting_id: int) -> bool:
    """Whether the meeting has its own agenda message (the day before, to come or sent):
    then the first reminder need not show the agenda too (the group would read it twice)."""
    repository = ReminderRepository(unit.session)
    return await repository.goes_out(community_id, meeting_id, Kind.AGENDA.value)


def reminder_key(kind: Kind, meeting_id: int | None, nominal: datetime) -> str:
    """(kind, meeting, due time): the identity that makes a reminder exactly-once."""
    return f"{kind.value}:{meeting_id or 0}:{nominal.strftime('%Y%m%dT%H%MZ')}"


# --- at send time --------------------------------------------------------------------------

MEETING_BOUND = (
    Kind.BEFORE,
    Kind.AGENDA,
    Kind.NUDGE,
    Kind.ROUND,
    Kind.LITERATURE,
    Kind.USING,
    Kind.EARLY,
)


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
    key: str = ""

    @property
    def question_id(self) -> int | None:
        """A chase's question: the prompt it follows up (its key is `chase:<prompt id>`)."""
        kind, _, rest = self.key.partition(":")
        return int(rest) if kind == Kind.CHASE.value and rest.isdigit() else None


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
    if kind in MEETING_BOUND or (kind is Kind.CHASE and due.row.meeting_id is not None):
        if meeting is None or now >= meeting.starts_at:
            return Fate.MISSED, "the meeting had started"
        if kind in DAY_BEFORE and _taken_over(due.rhythm, meeting, now):
            return Fate.MISSED, "the reminder just before the meeting takes over"
    elif now - due.row.due_at > GRACE[kind]:
        return Fate.MISSED, "too late"
    if kind in BY_DAY and by_day(now, ZoneInfo(due.community.timezone)) != now:
        return Fate.LATER, "night: moved to the morning"
    if due.rhythm.holidays and _in_holiday(due, calendar, now):
        return Fate.SKIPPED, "holiday"
    return Fate.SEND, ""


async def postpone(unit: Unit, due: Due) -> None:
    """A private reminder found at night (the bot was down by day) waits for the morning."""
    reminder = await _stored(unit, due.row.id)
    tz = ZoneInfo(due.community.timezone)
    reminder.status, reminder.note = "planned", "moved out of the night"
    reminder.due_at = by_day(unit.now, tz, spread(due.community.id))


#: Reminders meant for the day before: sent late (the bot was down), they would arrive
#: together with the last reminder before the meeting, which carries the agenda too.
DAY_BEFORE = (
    Kind.AGENDA,
    Kind.NUDGE,
    Kind.ROUND,
    Kind.LITERATURE,
    Kind.USING,
    Kind.CHASE,
    Kind.EARLY,
)


def _taken_over(rhythm: Rhythm, meeting: MeetingSlot, now: datetime) -> bool:
    """Whether the shortest "before" reminder is due already (two never come together)."""
    if not rhythm.leads_minutes:
        return False
    return now >= meeting.starts_at - timedelta(minutes=min(rhythm.leads_minutes))


def _in_holiday(due: Due, calendar: HolidayCalendar, now: datetime) -> bool:
    """A reminder landing in a holiday is skipped, unless its meeting itself is in one
    (the facilitator planned it there, after a warning)."""
    tz = ZoneInfo(due.community.timezone)
    region = cast("Region | None", due.community.region)
    if calendar.on(now.astimezone(tz).date(), region) is None:
        return False
    if due.meeting is not None and due.row.kind in (
        Kind.BEFORE,
        Kind.AGENDA,
        Kind.NUDGE,
        Kind.CHASE,
        Kind.EARLY,
    ):
        return calendar.on(due.meeting.starts_at.astimezone(tz).date(), region) is None
    return True


# --- the outbox's row states -------------------------------------------------------------
#
# A reminder: planned -> (claimed) -> delivering -> sent | failed | missed, or planned ->
# missed | skipped | cancelled when it is not sent. Its messages, one per recipient:
# planned -> sending -> sent | failed | cancelled | missed, each claimed and settled on its
# own; a reminder is settled when none of its messages is still planned or sending.

#: How long a claim may be held by a live sender: one Telegram request and two short
#: transactions take seconds. Recovery leaves younger claims alone, so a new leader never
#: labels a send that is still under way somewhere else as interrupted.
SEND_TIMEOUT = timedelta(minutes=5)
INTERRUPTED = "interrupted: its sender stopped mid-send"

#: Settled reminders (and their messages) are kept this long after they were due.
#: /reminders shows a CoP's last eight, which a CoP that meets makes within weeks (some
#: eight per meeting, one a week between), and `replan` never recreates a row this old: it
#: plans only what is still to come, so the unique key needs no old row to stay exactly-once.
KEEP_SETTLED = timedelta(days=90)
#: At most this many reminders go per housekeeping pass (every tick), so the first pass over
#: a long history holds SQLite's write lock briefly and the backlog goes within hours.
PRUNE_BATCH = 2_000


@dataclass(frozen=True)
class Message:
    """One message a reminder sends, as it waits in the outbox."""

    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]] | None = None
    prompt_kind: str | None = None
    prompt_data: dict[str, object] | None = None


class DeliveryRow(BaseModel):
    """One message of a reminder, as the outbox reads it after claiming it."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    reminder_id: int
    community_id: int
    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]] | None
    prompt_kind: str | None
    prompt_data: dict[str, object] | None
    attempts: int


async def recover(unit: Unit, stale_after: timedelta = SEND_TIMEOUT) -> int:
    """Claims older than `stale_after` were held by a sender that died (a crash, a killed
    leader): recorded as interrupted, never sent again. Younger ones may be live."""
    before = unit.now - stale_after
    rows = await ReminderRepository(unit.session).stale(before)
    for row in rows:
        row.status = "missed"
        row.note = INTERRUPTED
    deliveries = await DeliveryRepository(unit.session).stale(before)
    for delivery in deliveries:
        _settle(delivery, "missed", INTERRUPTED)
    await unit.session.flush()
    for reminder in rows:
        await _after(unit, reminder)
    for reminder_id in sorted({d.reminder_id for d in deliveries}):
        if await finish(unit, reminder_id) is not None:  # replanning twice changes nothing
            await _after(unit, await _stored(unit, reminder_id))
    return len(rows) + len(deliveries)


async def prune(unit: Unit, keep: timedelta = KEEP_SETTLED, batch: int = PRUNE_BATCH) -> int:
    """Drops settled reminders (sent, missed, skipped, cancelled, failed) due more than
    `keep` ago, with their messages, at most `batch` per call; returns how many reminders
    went. Planned, claimed and delivering rows stay, however old."""
    return await ReminderRepository(unit.session).drop_settled(unit.now - keep, batch)


async def due_ids(unit: Unit, limit: int) -> list[int]:
    return await ReminderRepository(unit.session).due_ids(unit.now, limit)


async def claim(unit: Unit, reminder_id: int) -> Due | None:
    """Compare-and-set planned -> sending: of two timers, exactly one gets the row."""
    row = await ReminderRepository(unit.session).claim(reminder_id, unit.now)
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


async def make_room(unit: Unit, due: Due) -> None:
    """A weekly question, once claimed, makes room for next week's: replanned in the claim's
    transaction (no Bot API call in it), so the settle of each message stays short and a
    crash mid-send cannot leave the CoP without its next weekly question."""
    if due.row.kind is Kind.WEEKLY:
        await unit.session.flush()
        await replan(unit, due.community.id)


async def deliver(unit: Unit, reminder_id: int, messages: list[Message]) -> list[int]:
    """A claimed reminder's messages, one outbox row per recipient, all due now."""
    reminder = await _stored(unit, reminder_id)
    reminder.status = "delivering"
    reminder.attempts += 1
    repository = DeliveryRepository(unit.session)
    rows = []
    for position, message in enumerate(messages):
        delivery = Delivery(
            reminder_id=reminder_id,
            community_id=reminder.community_id,
            chat_id=message.chat_id,
            position=position,
            text=message.text,
            buttons=[[list(button) for button in line] for line in message.buttons or []] or None,
            prompt_kind=message.prompt_kind,
            prompt_data=message.prompt_data,
            status="planned",
            attempts=0,
            due_at=unit.now,
            note="",
        )
        await repository.add(delivery)
        rows.append(delivery)
    await unit.session.flush()
    return [delivery.id for delivery in rows]


async def delivering_due(unit: Unit, limit: int) -> list[int]:
    """Reminders part-way through delivery whose next message is due (after a 429, a
    network error or a chat that moved)."""
    return await DeliveryRepository(unit.session).reminders_due(unit.now, limit)


async def due_messages(unit: Unit, reminder_id: int) -> list[int]:
    return await DeliveryRepository(unit.session).due_ids(reminder_id, unit.now)


async def claim_message(unit: Unit, delivery_id: int) -> DeliveryRow | None:
    """Compare-and-set planned -> sending for one message; None when someone else has it."""
    delivery = await DeliveryRepository(unit.session).claim(delivery_id, unit.now)
    return None if delivery is None else DeliveryRow.model_validate(delivery)


async def delivered(unit: Unit, delivery_id: int, message_id: int) -> None:
    """The message went out. (A claim recovered meanwhile as interrupted is corrected:
    the message did arrive.)"""
    delivery = await _message(unit, delivery_id)
    _settle(delivery, "sent", "")
    delivery.message_id, delivery.sent_at = message_id, unit.now


async def undelivered(unit: Unit, delivery_id: int, note: str, *, again: datetime | None) -> None:
    """The message did not go out: due again at `again`, or failed for good."""
    delivery = await _message(unit, delivery_id)
    if again is None:
        _settle(delivery, "failed", note)
        return
    delivery.status, delivery.note, delivery.due_at = "planned", note, again


async def cancel_rest(unit: Unit, reminder_id: int, note: str) -> None:
    """Messages of a reminder still waiting, not sent after all (the bot left the group)."""
    for delivery in await DeliveryRepository(unit.session).of_reminder(reminder_id):
        if delivery.status == "planned":
            _settle(delivery, "cancelled", note)


async def move_chat(unit: Unit, community_id: int, old: int, new: int) -> None:
    await DeliveryRepository(unit.session).move_chat(community_id, old, new)


async def finish(unit: Unit, reminder_id: int) -> str | None:
    """Settles a reminder whose messages are all settled; None while one is still due.

    Sent when at least one message went out (the note counts those that did not), else
    missed when its sends were interrupted, else failed with the first message's reason.
    """
    await unit.session.flush()
    deliveries = await DeliveryRepository(unit.session).of_reminder(reminder_id)
    if any(d.status in ("planned", "sending") for d in deliveries):
        return None
    reminder = await _stored(unit, reminder_id)
    sent = [d for d in deliveries if d.status == "sent"]
    if sent:
        first = sent[0]
        reminder.status, reminder.sent_at = "sent", first.sent_at or unit.now
        reminder.chat_id, reminder.message_id = first.chat_id, first.message_id
        missing = len(deliveries) - len(sent)
        reminder.note = f"{missing} of {len(deliveries)} messages not delivered" if missing else ""
    elif deliveries and all(d.status == "missed" for d in deliveries):
        reminder.status, reminder.note = "missed", INTERRUPTED
    else:
        reminder.status = "failed"
        reminder.note = next((d.note for d in deliveries if d.note), "not delivered")[:200]
    return reminder.status


def _settle(delivery: Delivery, status: str, note: str) -> None:
    """A settled message keeps who got it and when, no longer what it said."""
    delivery.status, delivery.note = status, note[:200]
    delivery.text, delivery.buttons, delivery.prompt_data = "", None, None


async def _message(unit: Unit, delivery_id: int) -> Delivery:
    delivery = await DeliveryRepository(unit.session).get(delivery_id)
    assert delivery is not None
    return delivery


async def _stored(unit: Unit, reminder_id: int) -> Reminder:
    reminder = await ReminderRepository(unit.session).get(reminder_id)
    assert reminder is not None
    return reminder


async def _after(unit: Unit, reminder: Reminder) -> None:
    """A weekly question, once handled, makes room for next week's (`make_room` did this
    at claim time already, unless the claim was made by an older version)."""
    if reminder.kind == Kind.WEEKLY.value:
        await unit.session.flush()
        await replan(unit, reminder.community_id)
