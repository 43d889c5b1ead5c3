"""Keeping the rhythm: reminder settings, pause/resume, holidays, attendance buttons."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.errors import InvalidInput, StaleAction
from bot.i18n import N_
from bot.render.callbacks import Button, as_int
from bot.services import agenda, attendance, communities, contributions_log, meetings, reminders
from bot.services.holidays import REGIONS
from bot.services.prompts import PromptKind, PromptView
from bot.services.when import parse_lead, parse_time, parse_weekday
from bot.texts import rhythm as rhythm_texts
from handlers.base import Turn, answers, args_of, button, command
from handlers.keyboards import keyboard


@command("reminders")
async def reminders_(turn: Turn) -> None:
    """Shows the reminder settings and what was sent or missed; `2d 1h` or `off` sets them."""
    community = turn.require_community()
    args = args_of(turn)
    if not args:
        settings = await reminders.rhythm(turn.unit, community.id)
        recent = await reminders.recent(turn.unit, community.id)
        await turn.reply(
            rhythm_texts.rhythm_overview(turn.tr, settings, ZoneInfo(community.timezone), recent)
        )
        return
    if len(args) > 3:
        raise InvalidInput(N_("Give at most three times, for example: /reminders 2d 1h"))
    leads = [] if args == ["off"] else [int(parse_lead(a).total_seconds() // 60) for a in args]
    settings = await reminders.update_rhythm(turn.unit, community.id, leads_minutes=leads)
    await turn.reply(rhythm_texts.reminders_set(turn.tr, settings))


@command("weekly")
async def weekly(turn: Turn) -> None:
    """Moves the weekly question (`thu 16:00`) or switches it off (`off`) or on (`on`)."""
    community = turn.require_community()
    args = args_of(turn)
    if args in (["off"], ["uit"]):
        changes: dict[str, object] = {"weekly": False}
    elif args in (["on"], ["aan"]):
        changes = {"weekly": True}
    elif len(args) == 2:
        at = parse_time(args[1])
        changes = {
            "weekly": True,
            "weekly_weekday": parse_weekday(args[0]),
            "weekly_time": at.strftime("%H:%M"),
        }
    else:
        raise InvalidInput(N_("Use /weekly thu 16:00, /weekly off or /weekly on."))
    settings = await reminders.update_rhythm(turn.unit, community.id, **changes)
    await turn.reply(rhythm_texts.weekly_set(turn.tr, settings))


@command("holidays")
async def holidays(turn: Turn) -> None:
    """Sets the school region (north, middle, south), or sends reminders in holidays too."""
    community = turn.require_community()
    args = [a.lower() for a in args_of(turn)]
    names = {"noord": "north", "midden": "middle", "zuid": "south"}
    choice = names.get(args[0], args[0]) if len(args) == 1 else ""
    if choice in REGIONS:
        await communities.set_region(turn.unit, community.id, choice)
        settings = await reminders.update_rhythm(turn.unit, community.id, holidays=True)
        region: str | None = choice
    elif choice in ("off", "uit", "on", "aan"):
        settings = await reminders.update_rhythm(
            turn.unit, community.id, holidays=choice in ("on", "aan")
        )
        region = community.region
    else:
        raise InvalidInput(
            N_("Use /holidays north, /holidays middle, /holidays south or /holidays off.")
        )
    await turn.reply(rhythm_texts.holidays_set(turn.tr, region, settings.holidays))


@command("pause")
async def pause(turn: Turn) -> None:
    """Stops all reminders of the CoP until /resume."""
    community = turn.require_community()
    await reminders.update_rhythm(turn.unit, community.id, paused=True)
    await turn.reply(rhythm_texts.paused(turn.tr))


@command("resume")
async def resume(turn: Turn) -> None:
    """Starts the reminders again (those due during the pause are not sent late)."""
    community = turn.require_community()
    await reminders.update_rhythm(turn.unit, community.id, paused=False)
    await turn.reply(rhythm_texts.resumed(turn.tr))


@button(Button.ATTENDANCE)
async def attendance_pressed(turn: Turn) -> None:
    """Yes / maybe / no on the attendance question; the message shows the new count."""
    _, meeting_ref, answer = turn.button(3)
    meeting_id = as_int(meeting_ref)
    community = turn.require_community()
    member = turn.require_member()
    if meeting_id is None:
        raise StaleAction("stale_button")
    meeting = await attendance.record(turn.unit, community.id, member, meeting_id, answer)
    await turn.answer(rhythm_texts.attendance_noted(turn.tr, answer))
    message = turn.query.message if turn.query else None
    if message is not None:
        items = await agenda.build(turn.unit, meeting)
        counts = await attendance.counts(turn.unit, community.id, meeting.id)
        text = rhythm_texts.before(
            turn.tr, community.name, meeting, items, ZoneInfo(community.timezone), counts, ask=True
        )
        await turn.edit(message, text, attendance_keyboard(turn, meeting.id))


def attendance_keyboard(turn: Turn, meeting_id: int) -> InlineKeyboardMarkup:
    labels = rhythm_texts.attendance_labels(turn.tr)
    return keyboard(
        [(labels[key], (Button.ATTENDANCE, meeting_id, key)) for key in ("y", "m", "n")]
    )


@answers(PromptKind.WEEKLY)
async def weekly_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the weekly question: an experience shared for the next meeting."""
    community = turn.require_community()
    member = turn.require_member()
    await contributions_log.add(
        turn.unit,
        community.id,
        member.id,
        "weekly_share",
        text,
        meeting=await meetings.next_meeting(turn.unit, community.id),
    )
    await turn.reply(rhythm_texts.weekly_noted(turn.tr, member.name))


@answers(PromptKind.MEETING_LOG)
async def log_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the after-meeting question: what was agreed goes into the meeting log."""
    community = turn.require_community()
    member = turn.require_member()
    assert prompt.meeting_id is not None
    meeting = await meetings.by_id(turn.unit, community.id, prompt.meeting_id)
    await contributions_log.add(
        turn.unit, community.id, member.id, "meeting_note", text, meeting=meeting
    )
    await turn.reply(rhythm_texts.note_saved(turn.tr, meeting.number))


@answers(PromptKind.ATTENDANCE)
async def attendance_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the attendance question counts as apologies with a reason."""
    community = turn.require_community()
    member = turn.require_member()
    assert prompt.meeting_id is not None
    meeting = await attendance.record(turn.unit, community.id, member, prompt.meeting_id, "n", text)
    await turn.reply(rhythm_texts.absent_noted(turn.tr, meeting.number))
