"""Keeping the rhythm: reminder settings, pause/resume, holidays, attendance buttons."""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram import Message

from bot.errors import NotAllowed, StaleAction
from bot.render.callbacks import Button
from bot.render.html import Markup, split_message
from bot.render.pages import clamp
from bot.services import agenda, rhythm
from bot.services.intake import Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.values import CommunityView, MemberView
from bot.texts import keywords
from bot.texts import meetings as meeting_texts
from bot.texts import outbox as outbox_texts
from bot.texts import rhythm as rhythm_texts
from handlers.base import (
    Turn,
    answers,
    args_of,
    button,
    command,
    keyword_args,
    released,
    submit,
)
from handlers.keyboards import attendance_keyboard, carries, pager


@command("reminders")
async def reminders_(turn: Turn) -> None:
    """Shows the reminder settings and what was sent or missed; `2d 1h` or `off` sets them."""
    community = turn.require_community()
    args = args_of(turn)
    if not args:
        pages = await _reminder_pages(turn, community)
        await turn.reply(pages[0], pager(turn.tr, Button.REMINDERS_PAGE, 0, len(pages)))
        return
    settings = await rhythm.set_leads(turn.unit, community.id, keyword_args(turn, "off"))
    await turn.reply(rhythm_texts.reminders_set(turn.tr, settings))


@button(Button.REMINDERS_PAGE)
async def reminders_page(turn: Turn) -> None:
    """Back / more under /reminders: the same message shows another page."""
    (page,) = turn.pressed(int)
    if not carries(turn.query.message if turn.query else None, Button.REMINDERS_PAGE):
        raise StaleAction("stale_button")
    community, member = turn.require_community(), turn.require_member()
    if not member.is_facilitator:  # the list is the facilitators', as the command is
        raise NotAllowed("facilitator_only")
    pages = await _reminder_pages(turn, community)
    page = clamp(page, len(pages))
    await turn.answer()
    await turn.edit_pressed(pages[page], pager(turn.tr, Button.REMINDERS_PAGE, page, len(pages)))


async def _reminder_pages(turn: Turn, community: CommunityView) -> list[Markup]:
    shown = await rhythm.overview(turn.unit, community.id)
    return rhythm_texts.rhythm_overview(turn.tr, shown, ZoneInfo(community.timezone))


@command("weekly")
async def weekly(turn: Turn) -> None:
    """Moves the weekly question (`thu 16:00`) or switches it off (`off`) or on (`on`)."""
    community = turn.require_community()
    settings = await rhythm.set_weekly(
        turn.unit, community.id, keyword_args(turn, *keywords.SWITCH)
    )
    await turn.reply(rhythm_texts.weekly_set(turn.tr, settings))


@command("holidays")
async def holidays(turn: Turn) -> None:
    """Sets the school region (north, middle, south), or sends reminders in holidays too."""
    community = turn.require_community()
    rule = await rhythm.set_holidays(
        turn.unit, community, keyword_args(turn, *keywords.REGIONS, *keywords.SWITCH)
    )
    await turn.reply(rhythm_texts.holidays_set(turn.tr, rule.region, rule.skip))


@command("pause")
async def pause(turn: Turn) -> None:
    """Stops all reminders of the CoP until /resume."""
    community = turn.require_community()
    await rhythm.update(turn.unit, community.id, paused=True)
    await turn.reply(rhythm_texts.paused(turn.tr))


@command("resume")
async def resume(turn: Turn) -> None:
    """Starts the reminders again (those due during the pause are not sent late)."""
    community = turn.require_community()
    await rhythm.update(turn.unit, community.id, paused=False)
    await turn.reply(rhythm_texts.resumed(turn.tr))


@button(Button.ATTENDANCE)
async def attendance_pressed(turn: Turn) -> None:
    """Yes / maybe / no on the attendance question; the message shows the new count."""
    meeting_id, answer = turn.pressed(int, str)
    if turn.button(4)[3]:  # a nudge's buttons (they name their CoP): not the question
        await _attended_from_nudge(turn)
        return
    community = turn.require_community()
    member = turn.require_member()
    shown = await agenda.attend(turn.unit, community.id, member, meeting_id, answer)
    await turn.answer(meeting_texts.attendance_noted(turn.tr, answer))
    message = turn.query.message if turn.query else None
    if message is not None:  # an old (inaccessible) message can still be edited by its ids
        tz = ZoneInfo(community.timezone)
        full = outbox_texts.before(turn.tr, community.name, shown, tz, ask=True)
        text = split_message(full)[-1]  # a long reminder came in parts: the buttons' last
        await turn.edit(
            cast(Message, message), text, attendance_keyboard(turn.tr, shown.meeting.id)
        )


async def _attended_from_nudge(turn: Turn) -> None:
    """The buttons of a nudge (private, or the group's line to those who did not answer):
    noted, a private nudge says so, and the group's question shows the new count (in the
    CoP's language)."""
    meeting_id, answer, community_id = turn.pressed(int, str, int)
    if turn.in_group:
        community, member = turn.require_community(), turn.require_member()
        if community.id != community_id:
            raise StaleAction("stale_button")
    else:
        community, member = await turn.pair_for(community_id)
    noted = await agenda.attend_from_nudge(turn.unit, community.id, member, meeting_id, answer)
    await turn.answer(meeting_texts.attendance_noted(turn.tr, answer))
    tz, meeting = ZoneInfo(community.timezone), noted.shown.meeting
    if not turn.in_group:
        await turn.edit_pressed(
            outbox_texts.nudge_private(turn.tr, community.name, meeting, tz, answer),
            attendance_keyboard(turn.tr, meeting.id, community.id),
        )
    if noted.asked_at is not None:
        group_tr = turn.context.services.catalogs.get(community.language)
        full = outbox_texts.before(group_tr, community.name, noted.shown, tz, ask=True)
        chat_id, message_id = noted.asked_at
        await turn.edit_at(
            chat_id, message_id, split_message(full)[-1], attendance_keyboard(group_tr, meeting.id)
        )


@answers(PromptKind.WEEKLY)
async def weekly_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the weekly question (in the group, or to its private reminder): an
    experience shared for the next meeting."""
    community, member = await turn.asked_in(prompt)
    await submit(turn, community, member, text, Release.WEEKLY, {})


@released(Release.WEEKLY)
async def _share_weekly(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    await rhythm.share_weekly(turn.unit, community.id, member.id, text)
    await turn.acknowledge(rhythm_texts.weekly_noted(turn.tr, member.name))


@answers(PromptKind.MEETING_LOG)
async def log_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the after-meeting question (the presence message, in the group or in the
    facilitator's private chat): what was agreed goes into the meeting log."""
    community, member = await turn.asked_in(prompt)
    if prompt.meeting_id is None:
        raise StaleAction("stale_button")
    data = {"meeting_id": prompt.meeting_id}
    await submit(turn, community, member, text, Release.MEETING_LOG, data)


@released(Release.MEETING_LOG)
async def _log_note(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    meeting_id = int(data["meeting_id"])
    meeting = await rhythm.log_note(turn.unit, community.id, member.id, meeting_id, text)
    await turn.reply(rhythm_texts.note_saved(turn.tr, meeting.number))


@answers(PromptKind.ATTENDANCE)
async def attendance_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the attendance question counts as apologies with a reason (once screened;
    `handlers.meetings` stores apologies)."""
    community = turn.require_community()
    member = turn.require_member()
    assert prompt.meeting_id is not None
    data = {"meeting_id": prompt.meeting_id}
    await submit(turn, community, member, text, Release.ABSENCE, data)
