"""The CoP's rhythm: its reminder settings, and the check on participation and pace.

Settings (`reminders.Rhythm`, kept in `communities.settings["rhythm"]`) change with
/reminders, /weekly, /holidays, /pause and /resume; every change replans the outbox.

The study found rhythm decisive: too slow and nothing happens, too fast and
members drop out. After each meeting the facilitator gets a private note when
something needs attention (and nothing when all is well). The check returns
what it found (`Note`s); `bot.texts.rhythm` says them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.errors import InvalidInput
from bot.services import (
    attendance,
    communities,
    contributions_log,
    meetings,
    membership,
    prompts,
    reminders,
)
from bot.services.attendance import ANSWERS
from bot.services.holidays import REGIONS
from bot.services.meetings import MeetingView
from bot.services.prompts import PromptKind
from bot.services.reminders import Rhythm, rhythm_of
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.services.when import parse_lead, parse_time, parse_weekday
from storage.models import Reminder
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.meetings import AttendanceRepository, MeetingRepository
from storage.repositories.reminders import ReminderRepository

LOW_SHARE = 0.5
MAX_LEADS = 3
#: The canonical keywords; the handler reads what was typed in either language into them.
OFF, ON = ("off",), ("on",)
WEEKLY_SHARE = "weekly_share"  # an answer to the weekly question


@dataclass(frozen=True)
class Listed:
    """One reminder as /reminders lists it. `at` is the time the plan promised (a 16:00
    question at 16:00), not the moment the outbox sends it, which is a few minutes
    earlier by the CoP's spread (`reminders.spread`)."""

    kind: str
    status: str
    at: datetime


@dataclass(frozen=True)
class Overview:
    """/reminders: the settings, what comes next (soonest first) and what was sent,
    missed or skipped lately (latest first)."""

    rhythm: Rhythm
    upcoming: list[Listed]
    recent: list[Listed]


@dataclass(frozen=True)
class HolidayRule:
    """/holidays: the school region (None: public holidays only) and whether to skip."""

    region: str | None
    skip: bool


async def rhythm(unit: Unit, community_id: int) -> Rhythm:
    community = await CommunityRepository(unit.session).get(community_id)
    return rhythm_of(community) if community else Rhythm()


async def overview(unit: Unit, community_id: int, limit: int = 8) -> Overview:
    rows = await ReminderRepository(unit.session).of_community(community_id, limit=200)
    offset = reminders.spread(community_id)

    def listed(row: Reminder) -> Listed:
        promised = (row.due_at + offset).replace(second=0, microsecond=0)
        return Listed(row.kind, row.status, promised)

    planned = sorted((r for r in rows if r.status == "planned"), key=lambda r: r.due_at)
    past = [r for r in rows if r.status != "planned"]  # latest first
    return Overview(
        await rhythm(unit, community_id),
        [listed(r) for r in planned[:limit]],
        [listed(r) for r in past[:limit]],
    )


async def set_leads(unit: Unit, community_id: int, args: list[str]) -> Rhythm:
    """/reminders 2d 1h: up to three reminders before each meeting; `off` for none."""
    if len(args) > MAX_LEADS:
        raise InvalidInput("reminders_usage")
    leads = [] if args == ["off"] else [int(parse_lead(a).total_seconds() // 60) for a in args]
    return await update(unit, community_id, leads_minutes=leads)


async def set_weekly(unit: Unit, community_id: int, args: list[str]) -> Rhythm:
    """/weekly thu 16:00 moves the weekly question; `off` and `on` switch it."""
    if len(args) == 1 and args[0] in OFF + ON:
        return await update(unit, community_id, weekly=args[0] in ON)
    if len(args) != 2:
        raise InvalidInput("weekly_usage")
    at = parse_time(args[1])
    return await update(
        unit,
        community_id,
        weekly=True,
        weekly_weekday=parse_weekday(args[0]),
        weekly_time=at.strftime("%H:%M"),
    )


async def set_holidays(unit: Unit, community: CommunityView, args: list[str]) -> HolidayRule:
    """/holidays north|middle|south (skips that region's school holidays too), on or off."""
    words = [a.lower() for a in args]
    choice = words[0] if len(words) == 1 else ""
    if choice in REGIONS:
        await communities.set_region(unit, community.id, choice)
        await update(unit, community.id, holidays=True)
        return HolidayRule(choice, skip=True)
    if choice in OFF + ON:
        settings = await update(unit, community.id, holidays=choice in ON)
        return HolidayRule(community.region, settings.holidays)
    raise InvalidInput("holidays_usage")


async def update(unit: Unit, community_id: int, **changes: object) -> Rhythm:
    """Changes rhythm settings (/pause: `paused=True`) and replans, in the caller's unit."""
    community = await CommunityRepository(unit.session).get(community_id)
    assert community is not None
    updated = rhythm_of(community).model_copy(update=changes)
    Rhythm.model_validate(updated.model_dump())
    community.settings = {**community.settings, "rhythm": updated.model_dump()}
    community.updated_at = unit.now
    await unit.session.flush()
    await reminders.replan(unit, community_id)
    return updated


async def share_weekly(unit: Unit, community_id: int, member_id: int, text: str) -> None:
    """A reply to the weekly question: an experience shared for the next meeting."""
    upcoming = await meetings.next_meeting(unit, community_id)
    await contributions_log.add(unit, community_id, member_id, WEEKLY_SHARE, text, meeting=upcoming)


async def weekly_chase(unit: Unit, community_id: int, prompt_id: int) -> list[MemberView]:
    """At send time, for the weekly question's one private reminder: the counted members we
    may write to privately who shared nothing since it was asked; nobody when a meeting is
    near (it asks anyway)."""
    prompt = await prompts.get(unit, prompt_id)
    if prompt is None or prompt.community_id != community_id or prompt.kind != PromptKind.WEEKLY:
        return []
    if await meetings.near(unit, community_id, reminders.CHASE_QUIET):
        return []
    asked = prompt.created_at or unit.now
    shares = await ContributionRepository(unit.session, community_id).of_kinds([WEEKLY_SHARE])
    shared = {row.member_id for row in shares if row.created_at >= asked}
    return [m for m in await membership.reachable(unit, community_id) if m.id not in shared]


async def log_note(
    unit: Unit, community_id: int, member_id: int, meeting_id: int, text: str
) -> MeetingView:
    """A reply to the after-meeting question: what was agreed goes into the meeting log."""
    meeting = await meetings.by_id(unit, community_id, meeting_id)
    await contributions_log.add(
        unit, community_id, member_id, "meeting_note", text, meeting=meeting
    )
    return meeting


# --- the rhythm check ----------------------------------------------------------------------


class Finding(StrEnum):
    LOW_RESPONSE = "low_response"  # `number`: the share (%) that answered
    SILENT = "silent"  # `names`: who did not take part since meeting 1
    DRIFT = "drift"  # `names`: who was absent at the last two meetings
    NOTHING_PLANNED = "nothing_planned"
    TOO_FAST = "too_fast"  # `number`: days to the next meeting
    TOO_SLOW = "too_slow"  # `number`: days to the next meeting


@dataclass(frozen=True)
class Note:
    finding: Finding
    number: int = 0
    names: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Drift:
    """A counted member absent at the last `streak` meetings in a row (two or more)."""

    member: MemberView
    streak: int


@dataclass(frozen=True)
class CheckIn:
    """The warm private message to a member who just drifted (the CoP's /checkin is on):
    the last posted recap, and the next meeting."""

    member: MemberView
    recap: str | None
    following: MeetingView | None


async def check(
    unit: Unit, community_id: int, meeting: MeetingView, members: Sequence[MemberView]
) -> list[Note]:
    """The findings after `meeting`, about the counted members among `members`.

    Taking part at a meeting is presence where a facilitator ticked it, and the answer
    "I'll come" or "maybe" where not: "I can't come" is no taking part. The response to the
    attendance question is any answer.
    """
    members = [m for m in members if m.counted]
    series = await _held_until(unit, community_id, meeting)
    attendance = AttendanceRepository(unit.session, community_id)
    answered: dict[int, set[int]] = {}
    took_part: dict[int, set[int]] = {}
    for past in series:
        rows = await attendance.for_meeting(past.id)
        answered[past.id] = {a.member_id for a in rows if a.answer in ANSWERS}
        if any(a.present is not None for a in rows):
            took_part[past.id] = {a.member_id for a in rows if a.present}
        else:
            took_part[past.id] = {a.member_id for a in rows if a.answer in ("y", "m")}
    held = [m.id for m in series]
    notes: list[Note] = []
    if members and len(held) >= 2:
        ids = {m.id for m in members}
        shares = [len(answered[past] & ids) / len(members) for past in held[-2:]]
        if all(share < LOW_SHARE for share in shares):
            notes.append(Note(Finding.LOW_RESPONSE, round(100 * sum(shares) / 2)))
    drifting = await drifts(unit, community_id, meeting, members)
    if drifting:
        notes.append(Note(Finding.DRIFT, names=tuple(d.member.name for d in drifting)))
    if len(held) >= 3:
        reacted = set().union(*(took_part[past] for past in held[1:]))
        since = series[0].starts_at
        contributions = ContributionRepository(unit.session, community_id)
        named = {d.member.id for d in drifting}
        silent = [
            m.name
            for m in members
            if m.id not in reacted
            and m.id not in named
            and not await contributions.since(m.id, since)
        ]
        if silent:
            notes.append(Note(Finding.SILENT, names=tuple(silent)))
    everything = await MeetingRepository(unit.session, community_id).all()
    upcoming = [
        m for m in everything if m.status != "cancelled" and m.starts_at > meeting.starts_at
    ]
    pace = await _pace(unit, community_id, meeting, upcoming[0].starts_at if upcoming else None)
    return [*notes, *pace]


async def drifts(
    unit: Unit, community_id: int, meeting: MeetingView, members: Sequence[MemberView]
) -> list[Drift]:
    """Counted members absent (not present, or declined) at `meeting` and the one before.

    Absent where presence was ticked means not ticked present; where it was not ticked,
    only an "I can't come" counts (no answer is no evidence). A member who joined after
    the earlier meeting was not expected there.
    """
    series = await _held_until(unit, community_id, meeting)
    if len(series) < 2:
        return []
    absent = {m.id: await _absent(unit, community_id, m) for m in series}
    result = []
    for member in members:
        if not member.counted:
            continue
        streak = 0
        for past in reversed(series):
            if member.id not in absent[past.id] or member.joined_at > past.ends_at:
                break
            streak += 1
        if streak >= 2:
            result.append(Drift(member, streak))
    return result


async def checkins(
    unit: Unit, community_id: int, meeting: MeetingView, members: Sequence[MemberView]
) -> list[CheckIn]:
    """With /checkin on: the members who drifted just now (absent exactly twice in a row,
    so once per drift) and can be written to privately, with the last posted recap."""
    if not (await rhythm(unit, community_id)).checkin:
        return []
    fresh = [
        d.member
        for d in await drifts(unit, community_id, meeting, members)
        if d.streak == 2 and d.member.private_chat and d.member.telegram_user_id
    ]
    if not fresh:
        return []
    recap = None
    for past in reversed(await _held_until(unit, community_id, meeting)):
        posted = past.agenda.get("recap", {}).get("posted")
        if posted:
            recap = str(posted)
            break
    following = await meetings.next_meeting(unit, community_id)
    return [CheckIn(member, recap, following) for member in fresh]


async def set_checkin(unit: Unit, community_id: int, args: list[str]) -> Rhythm:
    """/checkin on|off: whether a drifting member gets a warm private message."""
    if len(args) != 1 or args[0].lower() not in OFF + ON:
        raise InvalidInput("checkin_usage")
    return await update(unit, community_id, checkin=args[0].lower() in ON)


async def _held_until(unit: Unit, community_id: int, meeting: MeetingView) -> list[MeetingView]:
    """The meetings not cancelled up to and including `meeting`, in order."""
    return [
        MeetingView.model_validate(m)
        for m in await MeetingRepository(unit.session, community_id).all()
        if m.status != "cancelled" and m.starts_at <= meeting.starts_at
    ]


async def _absent(unit: Unit, community_id: int, meeting: MeetingView) -> set[int]:
    rows = await AttendanceRepository(unit.session, community_id).for_meeting(meeting.id)
    if any(row.present is not None for row in rows):
        sheet = await attendance.presence_of(unit, community_id, meeting)
        return {member.id for member in sheet.absent()}
    return {row.member_id for row in rows if row.answer == "n"}


async def _pace(
    unit: Unit, community_id: int, meeting: MeetingView, following: datetime | None
) -> list[Note]:
    """Whether the next meeting follows at about the planned interval."""
    interval = (await rhythm(unit, community_id)).interval_weeks
    if not interval:
        return []
    if following is None:
        return [Note(Finding.NOTHING_PLANNED)]
    days = (following - meeting.starts_at).days
    if days < interval * 7 / 2:
        return [Note(Finding.TOO_FAST, days)]
    if days > interval * 7 * 2:
        return [Note(Finding.TOO_SLOW, days)]
    return []
