"""What facilitators type to change the schedule: /meeting's arguments, /plan's answers.

"/meeting add 2 dec 2026 15:00 60 Room 4": the date may be several words, so the time
is found first; what stands before it is the date, what follows is an optional duration
and then the location. The /plan dialogue asks the same things one at a time and keeps
its answers in a typed state (`PlanAnswers`); nothing is planned until Save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.errors import InvalidInput, NotAllowed, StaleAction
from bot.services import chair, cycle, flows, meetings
from bot.services.chair import Rota
from bot.services.flows import FlowKind, FlowState
from bot.services.holidays import HolidayCalendar, Region
from bot.services.meetings import (
    INTERVAL_LIMIT,
    LOCATION_LIMIT,
    SERIES_LIMIT,
    Cancelled,
    Planned,
    Preview,
    Shortened,
    Stepped,
    community_tz,
)
from bot.services.rhythm import rhythm as rhythm_settings
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.services.when import localize, parse_duration_minutes, parse_when

TIME_TOKEN = re.compile(
    r"^\d{1,2}([:.]\d{2})?(u|uur|h)?$|^\d{1,2}([:.]\d{2})?(am|pm)$", re.IGNORECASE
)
DURATION_TOKEN = re.compile(r"^\d+([.,]\d+)?(m|min|h|u|uur)?$|^\d+u\d{2}$", re.IGNORECASE)
DEFAULT_DURATION = 60
PLAN_STEPS = ("first", "count", "interval", "duration", "location", "confirm")


@dataclass(frozen=True)
class MeetingArgs:
    starts_at: datetime
    duration_minutes: int | None
    location: str


def parse_moment(text: str, *, tz: ZoneInfo, now: datetime) -> datetime:
    """A date and time typed as one answer ("wednesday 15:00", "2026-12-02 15.00")."""
    return parse_meeting(text.split(), tz=tz, now=now, allow_rest=False).starts_at


def parse_meeting(
    tokens: list[str], *, tz: ZoneInfo, now: datetime, allow_rest: bool = True
) -> MeetingArgs:
    index = next(
        (
            i
            for i, token in enumerate(tokens)
            if (i > 0 and ":" in token) or ("." in token[1:3] and TIME_TOKEN.match(token))
        ),
        None,
    )
    if index is None:
        index = next((i for i, t in enumerate(tokens) if i > 0 and TIME_TOKEN.match(t)), None)
    if index is None:
        raise InvalidInput("date_and_time_needed")
    starts_at = parse_when(" ".join(tokens[:index]), tokens[index], tz=tz, now=now)
    rest = tokens[index + 1 :]
    duration = None
    if rest and DURATION_TOKEN.match(rest[0]):
        duration = parse_duration_minutes(rest[0])
        rest = rest[1:]
    if rest and not allow_rest:
        raise InvalidInput("only_date_and_time")
    location = " ".join(rest).strip().strip("\"'\u201c\u201d")
    return MeetingArgs(starts_at=starts_at, duration_minutes=duration, location=location)


# --- /meeting add|move|cancel --------------------------------------------------------------


#: /meeting's first word: canonical keywords (the handler reads Dutch ones into them).
ACTIONS = ("add", "move", "cancel", "shorten", "steps")


@dataclass(frozen=True)
class Change:
    """What `/meeting` did: planned (add, move), cancelled, shortened or re-stepped."""

    action: Literal["add", "move", "cancel", "shorten", "steps"]
    planned: Planned | None = None
    cancelled: Cancelled | None = None
    shortened: Shortened | None = None
    stepped: Stepped | None = None


async def change(
    unit: Unit, community: CommunityView, calendar: HolidayCalendar, args: list[str]
) -> Change:
    """`/meeting add <when> [duration] [place]`, `move N <when> [duration]`, `cancel N`,
    `shorten N` (the series keeps its first N meetings), `steps N <step> ...`."""
    action = args[0].lower() if args and args[0].lower() in ACTIONS else ""
    number = _number(args[1]) if len(args) > 1 else None
    tz, now = community_tz(community), unit.now
    if action == "add" and len(args) >= 3:
        parsed = parse_meeting(args[1:], tz=tz, now=now)
        planned = await meetings.plan_series(
            unit,
            community,
            calendar,
            first=parsed.starts_at,
            count=1,
            interval_weeks=1,
            duration_minutes=parsed.duration_minutes or DEFAULT_DURATION,
            location=parsed.location,
        )
        return Change("add", planned=planned)
    if action == "move" and len(args) >= 4 and number is not None:
        parsed = parse_meeting(args[2:], tz=tz, now=now, allow_rest=False)
        moved = await meetings.move(
            unit,
            community,
            calendar,
            number,
            starts_at=parsed.starts_at,
            duration_minutes=parsed.duration_minutes,
        )
        return Change("move", planned=moved)
    if action == "cancel" and len(args) == 2 and number is not None:
        return Change("cancel", cancelled=await meetings.cancel(unit, community, number))
    if action == "shorten" and len(args) == 2 and number is not None:
        return Change("shorten", shortened=await meetings.shorten(unit, community, number))
    if action == "steps" and len(args) >= 3 and number is not None:
        steps = cycle.parse_steps(args[2:])
        return Change("steps", stepped=await meetings.set_steps(unit, community, number, steps))
    raise InvalidInput("meeting_usage")


# --- /plan ---------------------------------------------------------------------------------


class PlanAnswers(BaseModel):
    """What /plan has collected so far, kept in the dialogue's data under these keys."""

    first: str | None = None  # the first meeting's moment, ISO
    count: int | None = None
    interval: int | None = None
    duration: int | None = None
    location: str | None = None


@dataclass(frozen=True)
class PlanStep:
    """The question the dialogue asks next; at "confirm", the series it would add."""

    state: FlowState
    preview: Preview | None = None


async def start_plan(
    unit: Unit,
    community: CommunityView,
    user_id: int,
    chat_id: int,
    answers: PlanAnswers | None = None,
) -> PlanStep:
    """Opens the dialogue at its first question, or (with all `answers`) at its end."""
    state = await flows.start(
        unit,
        kind=FlowKind.PLAN,
        chat_id=chat_id,
        user_id=user_id,
        step="confirm" if answers else "first",
        data=answers.model_dump(exclude_none=True) if answers else {},
        community_id=community.id,
    )
    return PlanStep(state)


async def start_next_plan(
    unit: Unit, community: CommunityView, calendar: HolidayCalendar, user_id: int, chat_id: int
) -> PlanStep:
    """`/plan next` (or the button after the last meeting): the dialogue opens at its end,
    prefilled with a series like the last one, to save as it is or cancel."""
    answers = await next_series(unit, community, calendar)
    state = (await start_plan(unit, community, user_id, chat_id, answers)).state
    series = _Series.of(answers)
    return PlanStep(state, await meetings.preview_series(unit, community, calendar, **vars(series)))


async def continue_series(
    unit: Unit,
    community: CommunityView,
    calendar: HolidayCalendar,
    member: MemberView,
    choice: str,
    chat_id: int,
) -> PlanStep | Rota:
    """A press on the proposal after the last meeting: "plan" opens the prefilled /plan
    (for a facilitator or the chair), "chair" starts the rotating chair (facilitators)."""
    may_plan = member.is_facilitator or await chair.is_chair(unit, community.id, member.id)
    if choice == "plan" and may_plan:
        assert member.telegram_user_id is not None
        return await start_next_plan(unit, community, calendar, member.telegram_user_id, chat_id)
    if choice == "chair" and member.is_facilitator:
        return await chair.set_mode(unit, community.id, "rotate")
    if choice in ("plan", "chair"):
        raise NotAllowed("facilitator_only")
    raise StaleAction("stale_button")


async def next_series(
    unit: Unit, community: CommunityView, calendar: HolidayCalendar
) -> PlanAnswers:
    """A series like the last one, starting one interval after its last meeting (on the
    same weekday and time, out of holidays and the past)."""
    kept = [m for m in await meetings.schedule(unit, community.id) if m.status != "cancelled"]
    if not kept:
        raise InvalidInput("next_series_nothing")
    rhythm = await rhythm_settings(unit, community.id)
    interval = rhythm.interval_weeks or 2
    count = min(rhythm.series_count or len(kept), SERIES_LIMIT)
    last = kept[-1]
    tz = community_tz(community)
    region: Region | None = community.region  # type: ignore[assignment]
    local = last.starts_at.astimezone(tz)
    day = local.date() + timedelta(weeks=interval)
    while calendar.on(day, region) is not None or localize(day, local.time(), tz) <= unit.now:
        day += timedelta(weeks=1)
    return PlanAnswers(
        first=localize(day, local.time(), tz).isoformat(),
        count=count,
        interval=interval,
        duration=last.duration_minutes,
        location=last.location,
    )


async def answer_plan(
    unit: Unit, community: CommunityView, calendar: HolidayCalendar, state: FlowState, value: str
) -> PlanStep:
    """Validates one answer and moves to the next question."""
    answers = PlanAnswers.model_validate(state.data)
    step = state.step
    if step == "first":
        answers.first = parse_moment(value, tz=community_tz(community), now=unit.now).isoformat()
    elif step in ("count", "interval"):
        limit = SERIES_LIMIT if step == "count" else INTERVAL_LIMIT
        number = _number(value.strip())
        if number is None or not 1 <= number <= limit:
            raise InvalidInput("plan_number", limit=limit)
        setattr(answers, step, number)
    elif step == "duration":
        answers.duration = parse_duration_minutes(value)
    elif step == "location":
        answers.location = "" if value == "-" else " ".join(value.split())[:LOCATION_LIMIT]
    next_step = PLAN_STEPS[PLAN_STEPS.index(step) + 1]
    state = await flows.advance(unit, state, next_step, answers.model_dump(exclude_none=True))
    if next_step != "confirm":
        return PlanStep(state)
    series = _Series.of(answers)
    preview = await meetings.preview_series(unit, community, calendar, **vars(series))
    return PlanStep(state, preview)


async def press_plan(
    unit: Unit,
    community: CommunityView,
    calendar: HolidayCalendar,
    user_id: int,
    flow_id: int,
    step: str,
    value: str,
) -> PlanStep | Planned | None:
    """A button of /plan: an answer (the next step), or Save (planned) or Cancel (None)."""
    state = await flows.current(unit, flow_id, user_id, FlowKind.PLAN, step)
    if step != "confirm":
        return await answer_plan(unit, community, calendar, state, value)
    await flows.end(unit, state)
    if value != "save":
        return None
    series = _Series.of(PlanAnswers.model_validate(state.data))
    return await meetings.plan_series(unit, community, calendar, **vars(series))


@dataclass(frozen=True)
class _Series:
    first: datetime
    count: int
    interval_weeks: int
    duration_minutes: int
    location: str

    @classmethod
    def of(cls, answers: PlanAnswers) -> _Series:
        assert answers.first and answers.count and answers.interval and answers.duration
        return cls(
            datetime.fromisoformat(answers.first),
            answers.count,
            answers.interval,
            answers.duration,
            answers.location or "",
        )


def _number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
