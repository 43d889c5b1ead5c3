"""The schedule: /plan, /meeting, /meetings, /calendar, /agenda, /absent."""

from __future__ import annotations

from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

from telegram import ForceReply, InlineKeyboardMarkup

from bot.errors import InvalidInput, StaleAction
from bot.i18n import Translator
from bot.render.calendar import render_calendar
from bot.render.callbacks import Button, as_int
from bot.render.html import split_message
from bot.render.pages import clamp
from bot.services import agenda, meeting_args
from bot.services import calendar as calendar_service
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Release
from bot.services.meeting_args import PlanStep
from bot.services.prompts import PromptKind, PromptView
from bot.services.values import CommunityView, MemberView
from bot.texts import calendar as calendar_texts
from bot.texts import chair as chair_texts
from bot.texts import common as texts
from bot.texts import keywords
from bot.texts import meetings as meeting_texts
from bot.texts import outbox as outbox_texts
from handlers.base import (
    Turn,
    answers,
    args_of,
    attach,
    button,
    command,
    continues,
    keyword_args,
    released,
    remembers,
    submit,
)
from handlers.keyboards import attendance_keyboard, carries, keyboard, pager


def _tz(turn: Turn) -> ZoneInfo:
    return ZoneInfo(turn.require_community().timezone)


@command("meetings")
async def schedule(turn: Turn) -> None:
    """Lists every meeting with its state, and the agenda of those still to come: one
    phone-sized page from the next meeting on, with buttons for the rest."""
    community = turn.require_community()
    rows = await agenda.schedule(turn.unit, community.id)
    shown = meeting_texts.schedule_pages(turn.tr, community.name, rows, _tz(turn), turn.unit.now)
    await turn.reply(
        shown.pages[shown.start],
        pager(turn.tr, Button.MEETINGS_PAGE, shown.start, len(shown.pages)),
    )


@button(Button.MEETINGS_PAGE)
async def schedule_page(turn: Turn) -> None:
    """Back / more under /meetings: the same message shows another page."""
    (page,) = turn.pressed(int)
    if not carries(turn.query.message if turn.query else None, Button.MEETINGS_PAGE):
        raise StaleAction("stale_button")
    community = turn.require_community()
    rows = await agenda.schedule(turn.unit, community.id)
    shown = meeting_texts.schedule_pages(turn.tr, community.name, rows, _tz(turn), turn.unit.now)
    await turn.answer()
    await turn.edit_pressed(
        shown.pages[clamp(page, len(shown.pages))],
        pager(turn.tr, Button.MEETINGS_PAGE, clamp(page, len(shown.pages)), len(shown.pages)),
    )


@command("calendar")
async def calendar(turn: Turn) -> None:
    """Sends the schedule as an .ics file; event ids stay, so a re-import updates."""
    community = turn.require_community()
    found = await calendar_service.schedule(turn.unit, community.id)
    events = calendar_texts.calendar_events(
        turn.tr, found.installation, community.id, community.name, found.meetings
    )
    data = render_calendar(
        name=community.name,
        timezone=community.timezone,
        events=events,
        stamp=turn.unit.now.astimezone(UTC),
    )
    await turn.send_file(
        data, "copbot-meetings.ics", meeting_texts.calendar_caption(turn.tr, len(events))
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
        raise InvalidInput("agenda_usage")
    if agenda.replaces_items(turn.member, rest.splitlines()):
        member = turn.require_member()
        await submit(turn, community, member, rest, Release.AGENDA_ITEMS, {"number": number})
        return
    await _show(turn, community, turn.member, number, [])


@released(Release.AGENDA_ITEMS)
async def _set_items(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """The facilitator's own items (once screened) replace the template, then the agenda."""
    await _show(turn, community, member, data.get("number"), text.splitlines())


async def _show(
    turn: Turn,
    community: CommunityView,
    member: MemberView | None,
    number: int | None,
    items: list[str],
) -> None:
    shown = await agenda.show(turn.unit, community, member, number, items)
    if shown is None:
        await turn.reply(meeting_texts.no_next_meeting(turn.tr))
        return
    if shown.updated:
        await turn.reply(meeting_texts.agenda_set(turn.tr, shown.meeting))
    tz = ZoneInfo(community.timezone)
    record = remembers(community.id, PromptKind.AGENDA, meeting_id=shown.meeting.id)
    await turn.reply(meeting_texts.agenda(turn.tr, shown, tz), record=record)


@answers(PromptKind.AGENDA)
async def agenda_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to an agenda message adds a member's point to that meeting (once screened)."""
    community = turn.require_community()
    member = turn.require_member()
    assert prompt.meeting_id is not None
    await agenda.admit_point(turn.unit, community.id, member.id, prompt.meeting_id, text)
    data = {"meeting_id": prompt.meeting_id}
    await submit(turn, community, member, text, Release.AGENDA_POINT, data)


@released(Release.AGENDA_POINT)
async def _add_point(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    meeting_id = int(data["meeting_id"])
    meeting = await agenda.add_point(turn.unit, community.id, member.id, meeting_id, text)
    await turn.acknowledge(meeting_texts.point_added(turn.tr, meeting))


@command("absent")
async def absent(turn: Turn) -> None:
    """Apologies for a meeting, with an optional reason (screened by the guard)."""
    community = turn.require_community()
    member = turn.require_member()
    args = args_of(turn)
    number = as_int(args[0]) if args else None
    reason = " ".join(args[1:] if number is not None else args)
    await submit(turn, community, member, reason, Release.ABSENCE, {"number": number})


@released(Release.ABSENCE)
async def _absence(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """Apologies with their reason: by /absent (a number or the next meeting), or as a
    reply to the attendance question (that question's meeting)."""
    noted = await agenda.absent(turn.unit, community.id, member, data, text)
    await turn.acknowledge(meeting_texts.absent_noted(turn.tr, noted.shown.meeting.number))
    if noted.asked_at is not None:  # the group's question shows the same count as the log
        tz = ZoneInfo(community.timezone)
        full = outbox_texts.before(turn.tr, community.name, noted.shown, tz, ask=True)
        chat_id, message_id = noted.asked_at
        await turn.edit_at(
            chat_id,
            message_id,
            split_message(full)[-1],  # a long reminder came in parts: the buttons' last
            attendance_keyboard(turn.tr, noted.shown.meeting.id),
        )


@command("meeting")
async def meeting(turn: Turn) -> None:
    """/meeting add|move|cancel: one meeting at a time."""
    community = turn.require_community()
    holidays = turn.context.services.holidays
    change = await meeting_args.change(turn.unit, community, holidays, _meeting_args(turn))
    await turn.reply(meeting_texts.changed(turn.tr, change, _tz(turn), turn.unit.now))


def _meeting_args(turn: Turn) -> list[str]:
    """/meeting's words with its action, and the steps of `steps`, read in either language;
    dates, times and places stay as typed."""
    catalogs = turn.context.services.catalogs
    args = args_of(turn)
    if args:
        args[0] = keywords.canonical(catalogs, args[0], keywords.MEETING_ACTIONS) or args[0]
    if args[:1] == ["steps"]:
        steps = [word.strip(",;") for word in args[2:]]
        args[2:] = keywords.read(catalogs, steps, (*keywords.STEPS, "none"))
    return args


@command("plan")
async def plan(turn: Turn) -> None:
    """Starts the planning dialogue: first date, how many, how often, how long, where;
    `/plan next` opens it at its end, with a series like the last one."""
    community = turn.require_community()
    person = turn.require_person()
    args = keyword_args(turn, "next")
    if args[:1] == ["next"]:
        holidays = turn.context.services.holidays
        step = await meeting_args.start_next_plan(
            turn.unit, community, holidays, person.user_id, turn.chat.id
        )
        await ask(turn, step)
        return
    await ask(
        turn, await meeting_args.start_plan(turn.unit, community, person.user_id, turn.chat.id)
    )


@button(Button.NEXT_SERIES)
async def next_series_pressed(turn: Turn) -> None:
    """The proposal after the last meeting: plan a series like the last, or rotate the chair."""
    (choice,) = turn.pressed(str)
    community = turn.require_community()
    member = turn.require_member()
    step = await meeting_args.continue_series(
        turn.unit, community, turn.context.services.holidays, member, choice, turn.chat.id
    )
    await turn.answer()
    if isinstance(step, PlanStep):
        await ask(turn, step)
    else:
        await turn.reply(chair_texts.rota(turn.tr, step, _tz(turn)), quote=False)


@continues(FlowKind.PLAN)
async def plan_replied(turn: Turn, state: FlowState, text: str) -> None:
    """A typed answer to the planning dialogue's question."""
    community = turn.require_community()
    holidays = turn.context.services.holidays
    await ask(turn, await meeting_args.answer_plan(turn.unit, community, holidays, state, text))


@button(Button.PLAN)
async def plan_pressed(turn: Turn) -> None:
    """A button of the planning dialogue: an answer, or Save / Cancel at the end."""
    flow_id, step, value = turn.pressed(int, str, str)
    community = turn.require_community()
    outcome = await meeting_args.press_plan(
        turn.unit,
        community,
        turn.context.services.holidays,
        turn.require_person().user_id,
        flow_id,
        step,
        value,
    )
    await turn.answer()
    await turn.remove_buttons()
    if isinstance(outcome, PlanStep):
        await ask(turn, outcome)
    elif outcome is None:
        await turn.reply(texts.cancelled(turn.tr, True), quote=False)
    else:
        await turn.reply(
            meeting_texts.planned(turn.tr, outcome, _tz(turn), turn.unit.now), quote=False
        )


async def ask(turn: Turn, step: PlanStep) -> None:
    """Asks the dialogue's next question (at the end: the summary with Save / Cancel)."""
    state = step.state
    if step.preview is not None:
        text = meeting_texts.plan_summary(turn.tr, step.preview, _tz(turn))
    else:
        text = meeting_texts.plan_question(turn.tr, state.step, turn.unit.now.date())
    markup = _plan_keyboard(turn.tr, state.flow_id, state.step)
    await turn.reply(text, markup or ForceReply(selective=True), record=attach(state))


def _plan_keyboard(tr: Translator, flow: int, step: str) -> InlineKeyboardMarkup | None:
    labels = texts.setup_labels(tr)
    choices: dict[str, list[tuple[str, str | int]]] = {
        "count": [(str(n), n) for n in (3, 4, 5, 6, 8)],
        "interval": [(meeting_texts.weeks(tr, n), n) for n in (1, 2, 3, 4)],
        "duration": [(meeting_texts.minutes_choice(n), n) for n in (45, 60, 90)],
        "location": [(labels["skip"], "-")],
    }
    if step == "confirm":
        return keyboard(
            [(labels["save"], (Button.PLAN, flow, step, "save"))],
            [(labels["cancel"], (Button.PLAN, flow, step, "cancel"))],
        )
    if step not in choices:
        return None
    return keyboard([(label, (Button.PLAN, flow, step, value)) for label, value in choices[step]])
