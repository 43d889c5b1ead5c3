"""After a meeting: ticking who was there (/presence), the recap (/recap), /checkin."""

from __future__ import annotations

from typing import Any

from telegram import ForceReply, Message

from bot.errors import InvalidInput, StaleAction
from bot.render.callbacks import Button, as_int
from bot.services import attendance, recap, rhythm
from bot.services.intake import Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.recap import Draft
from bot.services.values import CommunityView, MemberView
from bot.texts import keywords
from bot.texts import recap as texts
from handlers.base import (
    Turn,
    answers,
    args_of,
    button,
    command,
    keyword_args,
    released,
    remembers,
    submit,
)
from handlers.keyboards import packed


def _number(turn: Turn) -> int | None:
    args = args_of(turn)
    number = as_int(args[0]) if args else None
    if args and (number is None or len(args) > 1):
        raise InvalidInput("after_meeting_usage")
    return number


def _pressed_message(turn: Turn) -> Message | None:
    message = turn.query.message if turn.query else None
    return message if isinstance(message, Message) else None


def _community_id(turn: Turn) -> int | None:
    """In the group, the group's CoP; privately, the meeting on the button names it."""
    return turn.require_community().id if turn.in_group else None


@command("presence")
async def presence(turn: Turn) -> None:
    """Re-opens the presence message of meeting N (default: the last held)."""
    community, member = await turn.here()
    sheet = await attendance.reopen(turn.unit, community.id, member, _number(turn))
    record = remembers(community.id, PromptKind.MEETING_LOG, meeting_id=sheet.meeting.id)
    await turn.reply(
        texts.presence(turn.tr, community.name, sheet),
        packed(texts.presence_buttons(turn.tr, sheet)),
        record=record,
    )


@button(Button.PRESENCE)
async def presence_pressed(turn: Turn) -> None:
    """A name (present / not), Done (the summary, with Recap) or Change (the names again)."""
    meeting_id, choice = turn.pressed(int, str)
    person = turn.require_person()
    done = await attendance.tick(
        turn.unit, person.user_id, meeting_id, choice, community_id=_community_id(turn)
    )
    sheet, name = done.sheet, done.community.name
    await turn.answer(texts.ticked(turn.tr, sheet))
    message = _pressed_message(turn)
    if message is None:
        return
    if done.done:
        text = texts.presence_closed(turn.tr, name, sheet)
        await turn.edit(message, text, packed(texts.closed_buttons(turn.tr, sheet.meeting.id)))
    else:
        text = texts.presence(turn.tr, name, sheet)
        await turn.edit(message, text, packed(texts.presence_buttons(turn.tr, sheet)))


@command("recap")
async def recap_command(turn: Turn) -> None:
    """The draft recap of meeting N (default: the last held), with Post and Edit."""
    community, member = await turn.here()
    shown = await recap.draft(turn.unit, community.id, member, _number(turn))
    await _show(turn, shown)


async def _show(turn: Turn, shown: Draft) -> None:
    group = turn.context.services.catalogs.get(shown.community.language)
    await turn.reply(
        texts.draft(turn.tr, shown, group), packed(texts.draft_buttons(turn.tr, shown)), quote=False
    )


@button(Button.RECAP)
async def recap_pressed(turn: Turn) -> None:
    """Recap (show the draft), Post (to the group, once) or Edit (asks for the text)."""
    meeting_id, action = turn.pressed(int, str)
    user_id = turn.require_person().user_id
    if action == "show":
        shown = await recap.draft_of(
            turn.unit, user_id, meeting_id, community_id=_community_id(turn)
        )
        await turn.answer()
        await _show(turn, shown)
    elif action == "post":
        await _post(turn, meeting_id, user_id)
    elif action == "edit":
        shown = await recap.draft_of(
            turn.unit, user_id, meeting_id, community_id=_community_id(turn), editing=True
        )
        await turn.answer()
        record = remembers(shown.community.id, PromptKind.RECAP, meeting_id=meeting_id)
        question = texts.edit_question(turn.tr, shown.meeting.number, recap.TEXT_LIMIT)
        await turn.reply(question, ForceReply(selective=True), quote=False, record=record)
    else:
        raise StaleAction("stale_button")


async def _post(turn: Turn, meeting_id: int, user_id: int) -> None:
    """Post: ONE short message to the group, kept with the meeting; a second Post says so."""
    catalogs = turn.context.services.catalogs

    def render(draft: Draft) -> str:
        return texts.recap(catalogs.get(draft.community.language), draft)

    done = await recap.post(
        turn.unit, user_id, meeting_id, render, community_id=_community_id(turn)
    )
    if not done.first:
        await turn.answer(texts.posted_already(turn.tr), alert=True)
        await turn.remove_buttons()
        return
    await turn.answer()
    await turn.send(done.draft.community.chat_id, done.text)
    message = _pressed_message(turn)
    if message is not None and message.chat.id != done.draft.community.chat_id:
        await turn.edit(message, texts.posted(turn.tr, done.draft.meeting.number), None)
    else:
        await turn.remove_buttons()


@answers(PromptKind.RECAP)
async def recap_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """The facilitator's own recap, checked, then screened for pupils' names."""
    community, member = await turn.asked_in(prompt)
    if prompt.meeting_id is None:
        raise StaleAction("stale_button")
    recap.admit(text)
    await submit(turn, community, member, text, Release.RECAP, {"meeting_id": prompt.meeting_id})


@released(Release.RECAP)
async def _edited(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    shown = await recap.edit(turn.unit, community.id, member, int(data["meeting_id"]), text)
    await _show(turn, shown)


@command("checkin")
async def checkin(turn: Turn) -> None:
    """/checkin on|off: a warm private message to a member who misses two meetings."""
    community = turn.require_community()
    settings = await rhythm.set_checkin(
        turn.unit, community.id, keyword_args(turn, *keywords.SWITCH)
    )
    await turn.reply(texts.checkin_set(turn.tr, settings.checkin))
