"""The schedule: /plan, /meeting, /meetings, /calendar, /agenda, /absent."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from telegram import ForceReply, InputFile

from bot.errors import InvalidInput
from bot.i18n import N_
from bot.render.calendar import CalendarEvent, event_uid, render_calendar
from bot.render.callbacks import Button, as_int
from bot.services import agenda, attendance, flows, meetings, prompts
from bot.services.flows import FlowKind, FlowState
from bot.services.meeting_args import DEFAULT_DURATION, parse_meeting, parse_moment
from bot.services.prompts import PromptKind, PromptView
from bot.services.when import parse_duration_minutes
from bot.texts import common as texts
from bot.texts import rhythm as rhythm_texts
from handlers.base import Turn, answers, args_of, button, command, continues
from handlers.keyboards import keyboard

PLAN_STEPS = ("first", "count", "interval", "duration", "location", "confirm")


def _tz(turn: Turn) -> ZoneInfo:
    return ZoneInfo(turn.require_community().timezone)


@command("meetings")
async def schedule(turn: Turn) -> None:
    """Lists every meeting with its state, and the agenda of those still to come."""
    community = turn.require_community()
    rows = []
    for meeting in await meetings.schedule(turn.unit, community.id):
        items = await agenda.build(turn.unit, meeting)
        counts = await attendance.counts(turn.unit, community.id, meeting.id)
        rows.append((meeting, items, counts))
    await turn.reply(rhythm_texts.schedule(turn.tr, community.name, rows, _tz(turn), turn.unit.now))


@command("calendar")
async def calendar(turn: Turn) -> None:
    """Sends the schedule as an .ics file; event ids stay, so a re-import updates."""
    community = turn.require_community()
    events = []
    for meeting in await meetings.schedule(turn.unit, community.id):
        items = await agenda.build(turn.unit, meeting)
        description = "\n".join(
            texts.plain(line) for line in rhythm_texts.agenda_lines(turn.tr, items)
        )
        events.append(
            CalendarEvent(
                uid=event_uid(community.id, meeting.id),
                sequence=meeting.sequence,
                start=meeting.starts_at,
                end=meeting.ends_at,
                summary=texts.plain(
                    rhythm_texts.event_title(turn.tr, community.name, meeting.number)
                ),
                description=description,
                location=meeting.location,
                cancelled=meeting.status == "cancelled",
                last_modified=meeting.updated_at,
            )
        )
    data = render_calendar(
        name=community.name,
        timezone=community.timezone,
        events=events,
        stamp=turn.unit.now.astimezone(UTC),
    )
    await turn.context.bot.send_document(
        turn.chat.id,
        InputFile(BytesIO(data), filename="copbot-meetings.ics"),
        caption=rhythm_texts.calendar_caption(turn.tr, len(events)),
    )


@command("agenda")
async def show_agenda(turn: Turn) -> None:
    """Shows an agenda (reply to add a point); facilitators can replace its items."""
    community = turn.require_community()
    text = turn.message.text if turn.message and turn.message.text else ""
    first_line, _, rest = text.partition("\n")
    args = first_line.split()[1:]
    number = as_int(args[0]) if args else None
    if args and number is None:
        raise InvalidInput(N_("Use /agenda or /agenda N (the meeting's number)."))
    meeting = (
        await meetings.get(turn.unit, community.id, number)
        if number is not None
        else await meetings.next_meeting(turn.unit, community.id)
    )
    if meeting is None:
        await turn.reply(rhythm_texts.no_next_meeting(turn.tr))
        return
    can_edit = bool(turn.member and turn.member.is_facilitator)
    if rest.strip():
        if not can_edit:
            raise InvalidInput("facilitator_only")
        meeting = await meetings.set_agenda(
            turn.unit, community.id, meeting.number, rest.splitlines()
        )
        await turn.reply(rhythm_texts.agenda_set(turn.tr, meeting))
    items = await agenda.build(turn.unit, meeting)
    message = await turn.reply(
        rhythm_texts.agenda(turn.tr, meeting, items, _tz(turn), can_edit=can_edit)
    )
    await prompts.remember(
        turn.unit,
        community.id,
        message.chat_id,
        message.message_id,
        PromptKind.AGENDA,
        meeting_id=meeting.id,
    )


@command("absent")
async def absent(turn: Turn) -> None:
    """Apologies for a meeting, with an optional reason."""
    community = turn.require_community()
    member = turn.require_member()
    args = args_of(turn)
    number = as_int(args[0]) if args else None
    reason = " ".join(args[1:] if number is not None else args)
    meeting = await attendance.answer(
        turn.unit, community.id, member, number=number, answer="n", note=reason
    )
    await turn.reply(rhythm_texts.absent_noted(turn.tr, meeting.number))


@command("meeting")
async def meeting(turn: Turn) -> None:
    """/meeting add|move|cancel: one meeting at a time."""
    community = turn.require_community()
    args = args_of(turn)
    action = args[0].lower() if args else ""
    tz = _tz(turn)
    if action == "add" and len(args) >= 3:
        parsed = parse_meeting(args[1:], tz=tz, now=turn.unit.now)
        result = await meetings.add(
            turn.unit,
            community,
            turn.context.services.holidays,
            starts_at=parsed.starts_at,
            duration_minutes=parsed.duration_minutes or DEFAULT_DURATION,
            location=parsed.location,
        )
        await turn.reply(rhythm_texts.planned(turn.tr, result, tz, turn.unit.now))
    elif action == "move" and len(args) >= 4 and as_int(args[1]) is not None:
        parsed = parse_meeting(args[2:], tz=tz, now=turn.unit.now, allow_rest=False)
        result = await meetings.move(
            turn.unit,
            community,
            turn.context.services.holidays,
            int(args[1]),
            starts_at=parsed.starts_at,
            duration_minutes=parsed.duration_minutes,
        )
        await turn.reply(rhythm_texts.moved(turn.tr, result, tz, turn.unit.now))
    elif action == "cancel" and len(args) == 2 and as_int(args[1]) is not None:
        cancelled = await meetings.cancel(turn.unit, community, int(args[1]))
        await turn.reply(rhythm_texts.cancelled(turn.tr, cancelled, tz))
    else:
        raise InvalidInput(
            N_(
                "Use /meeting add 2026-12-02 15:00 60 Room 4, /meeting move 2 2026-12-09 15:00, "
                "or /meeting cancel 2."
            )
        )


@command("plan")
async def plan(turn: Turn) -> None:
    """Starts the planning dialogue: first date, how many, how often, how long, where."""
    community = turn.require_community()
    person = turn.require_person()
    state = await flows.start(
        turn.unit,
        kind=FlowKind.PLAN,
        chat_id=turn.chat.id,
        user_id=person.user_id,
        step="first",
        data={},
        community_id=community.id,
    )
    await ask(turn, state)


async def ask(turn: Turn, state: FlowState) -> None:
    tr, step, flow = turn.tr, state.step, state.flow_id
    text = rhythm_texts.plan_question(tr, step) if step != "confirm" else ""
    markup = None
    if step == "count":
        markup = keyboard([(str(n), (Button.PLAN, flow, step, n)) for n in (3, 4, 5, 6, 8)])
    elif step == "interval":
        markup = keyboard(
            [(rhythm_texts.weeks(tr, n), (Button.PLAN, flow, step, n)) for n in (1, 2, 3, 4)]
        )
    elif step == "duration":
        markup = keyboard([(f"{n} min", (Button.PLAN, flow, step, n)) for n in (45, 60, 90)])
    elif step == "location":
        markup = keyboard([(texts.setup_labels(tr)["skip"], (Button.PLAN, flow, step, "-"))])
    elif step == "confirm":
        labels = texts.setup_labels(tr)
        preview = await meetings.preview_series(
            turn.unit, turn.require_community(), turn.context.services.holidays, **state.data
        )
        text = rhythm_texts.plan_summary(tr, preview, _tz(turn))
        markup = keyboard(
            [(labels["save"], (Button.PLAN, flow, step, "save"))],
            [(labels["cancel"], (Button.PLAN, flow, step, "cancel"))],
        )
    message = await turn.reply(text, markup or ForceReply(selective=True))
    await flows.attach_prompt(turn.unit, state, message.chat_id, message.message_id)


@continues(FlowKind.PLAN)
async def plan_replied(turn: Turn, state: FlowState, text: str) -> None:
    await _plan_answer(turn, state, text)


@button(Button.PLAN)
async def plan_pressed(turn: Turn) -> None:
    """A button of the planning dialogue."""
    _, flow_ref, step, value = turn.button(4)
    flow_id = as_int(flow_ref)
    if flow_id is None:
        raise InvalidInput("stale_button")
    person = turn.require_person()
    state = await flows.current(turn.unit, flow_id, person.user_id, "plan", step)
    await turn.answer()
    if turn.query and turn.query.message:
        await turn.query.message.edit_reply_markup(None)
    if step == "confirm":
        await flows.end(turn.unit, state)
        if value != "save":
            await turn.reply(texts.cancelled(turn.tr, True), quote=False)
            return
        community = turn.require_community()
        result = await meetings.plan_series(
            turn.unit,
            community,
            turn.context.services.holidays,
            first=datetime.fromisoformat(state.data["first"]),
            count=state.data["count"],
            interval_weeks=state.data["interval"],
            duration_minutes=state.data["duration"],
            location=state.data.get("location", ""),
        )
        await turn.reply(
            rhythm_texts.planned(turn.tr, result, _tz(turn), turn.unit.now), quote=False
        )
        return
    await _plan_answer(turn, state, value)


async def _plan_answer(turn: Turn, state: FlowState, value: str) -> None:
    """Validates one answer and asks the next question (nothing is planned until Save)."""
    data = dict(state.data)
    step = state.step
    if step == "first":
        data["first"] = parse_moment(value, tz=_tz(turn), now=turn.unit.now).isoformat()
    elif step in ("count", "interval"):
        number = as_int(value.strip())
        limit = 20 if step == "count" else 8
        if number is None or not 1 <= number <= limit:
            raise InvalidInput(N_("Please answer with a number from 1 to {limit}."), limit=limit)
        data[step] = number
    elif step == "duration":
        data["duration"] = parse_duration_minutes(value)
    elif step == "location":
        data["location"] = "" if value == "-" else " ".join(value.split())[:200]
    next_step = PLAN_STEPS[PLAN_STEPS.index(step) + 1]
    await ask(turn, await flows.advance(turn.unit, state, next_step, data))


@answers(PromptKind.AGENDA)
async def agenda_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to an agenda message adds a member's point to that meeting."""
    community = turn.require_community()
    member = turn.require_member()
    assert prompt.meeting_id is not None
    meeting = await meetings.by_id(turn.unit, community.id, prompt.meeting_id)
    await agenda.add_point(turn.unit, community.id, member.id, meeting, text)
    await turn.reply(rhythm_texts.point_added(turn.tr, meeting))
