"""Agreements: /decide, reactions, new practices, done, follow-up, /decisions."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import ForceReply, InlineKeyboardMarkup, Message

from bot.errors import StaleAction
from bot.i18n import Translator
from bot.render.callbacks import Button
from bot.services import decisions
from bot.services.decisions import DecisionView
from bot.services.intake import Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.texts import decisions as decision_texts
from handlers.base import Turn, answers, button, command, released, remembers, submit
from handlers.keyboards import keyboard


def _tz(community: CommunityView) -> ZoneInfo:
    return ZoneInfo(community.timezone)


def decision_keyboard(turn: Turn, item: DecisionView) -> InlineKeyboardMarkup:
    labels = decision_texts.decision_labels(turn.tr)
    rows: list[list[tuple[str, tuple[Button | int | str, ...]]]] = []
    if item.status != "adopted":
        rows.append(
            [
                (labels["agree"], (Button.REACT, item.id, "agree")),
                (labels["object"], (Button.REACT, item.id, "object")),
            ]
        )
    rows.append([(labels["practice"], (Button.REACT, item.id, "practice"))])
    if not item.done:
        rows.append([(labels["fix"], (Button.FIX_DECISION, item.id))])
    return keyboard(*rows)


def _followup_keyboard(tr: Translator, item: DecisionView) -> InlineKeyboardMarkup:
    labels = decision_texts.followup_labels(tr)
    return keyboard([(labels[key], (Button.FOLLOW_UP, item.id, key)) for key in decisions.ANSWERS])


@command("decide")
async def decide(turn: Turn) -> None:
    """Records an agreement: /decide <text> [@owner] [by <date>], or as a reply to a message."""
    community = turn.require_community()
    message = turn.message
    text = message.text if message and message.text else ""
    body = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    if not body.strip() and message and message.reply_to_message is not None:
        body = message.reply_to_message.text or ""
    await submit(turn, community, turn.require_member(), body, Release.DECISION, {})


@released(Release.DECISION)
async def _record(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """The screened agreement, with its buttons; replies to it are about this agreement."""
    item = await decisions.decide(turn.unit, community, member, text)

    async def record(unit: Unit, sent: Message) -> None:
        await decisions.attach_message(unit, community.id, item.id, sent.chat_id, sent.message_id)

    await turn.reply(
        decision_texts.decision(turn.tr, item, _tz(community)),
        decision_keyboard(turn, item),
        quote=False,
        record=record,
    )


@button(Button.REACT)
async def react_pressed(turn: Turn) -> None:
    """Agree / object / mark as new practice."""
    decision_id, choice = turn.pressed(int, str)
    community = turn.require_community()
    reaction = await decisions.react(
        turn.unit, community.id, turn.require_member(), decision_id, choice
    )
    item = reaction.item
    await turn.answer(decision_texts.reacted(turn.tr, reaction))
    message = turn.query.message if turn.query else None
    if isinstance(message, Message):
        text = decision_texts.decision(turn.tr, item, _tz(community))
        await turn.edit(message, text, decision_keyboard(turn, item))
    if reaction.adopted_now:
        await turn.reply(decision_texts.adopted(turn.tr, item), quote=False)


@button(Button.FIX_DECISION)
async def fix_pressed(turn: Turn) -> None:
    """Asks again for the owner and date /decide understood (it shows them)."""
    (decision_id,) = turn.pressed(int)
    community = turn.require_community()
    member = turn.require_member()
    number = await decisions.may_fix(turn.unit, community.id, member, decision_id)
    await turn.answer()
    record = remembers(community.id, PromptKind.DECISION_FIX, data={"decision_id": decision_id})
    await turn.reply(
        decision_texts.fix_question(turn.tr, number, turn.unit.now.date()),
        ForceReply(selective=True),
        record=record,
    )


@answers(PromptKind.DECISION_FIX)
async def fix_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """The owner and date typed again: only a member and a date are kept of it (no free
    text is stored, so it needs no pupil-name guard)."""
    community = turn.require_community()
    member = turn.require_member()
    decision_id = int(prompt.data["decision_id"])
    item = await decisions.fix_owner_due(turn.unit, community, member, decision_id, text)
    if item.chat_id is not None and item.message_id is not None:
        full = decision_texts.decision(turn.tr, item, _tz(community))
        await turn.edit_at(item.chat_id, item.message_id, full, decision_keyboard(turn, item))
    await turn.reply(decision_texts.fixed(turn.tr, item, _tz(community)))


@button(Button.DONE)
async def done_pressed(turn: Turn) -> None:
    """The owner says whether the agreement is done (in the group, or privately)."""
    decision_id, choice = turn.pressed(int, str)
    if choice not in ("y", "n"):
        raise StaleAction("stale_button")
    community_id = turn.require_community().id if turn.in_group else None
    await decisions.answer_done(
        turn.unit,
        turn.require_person().user_id,
        decision_id,
        choice == "y",
        community_id=community_id,
    )
    await turn.answer(decision_texts.done_set(turn.tr, choice == "y"))
    await turn.remove_buttons()


@button(Button.FOLLOW_UP)
async def followup_pressed(turn: Turn) -> None:
    """Yes / sometimes / not yet: does the member use the new practice? Pressed in the group,
    or under its private reminder: the group's question shows the new counts either way."""
    decision_id, answer = turn.pressed(int, str)
    community_id = turn.require_community().id if turn.in_group else None
    answered = await decisions.answer_followup_from(
        turn.unit, turn.require_person().user_id, decision_id, answer, community_id=community_id
    )
    item = answered.item
    await turn.answer(decision_texts.followup_noted(turn.tr))
    message = turn.query.message if turn.query else None
    if turn.in_group and isinstance(message, Message):
        text = decision_texts.followup_with_counts(turn.tr, item)
        await turn.edit(message, text, _followup_keyboard(turn.tr, item))
        return
    if answered.question is not None:  # in the group's language, as it was posted
        group_tr = turn.context.services.catalogs.get(answered.community.language)
        text = decision_texts.followup_with_counts(group_tr, item)
        await turn.edit_at(*answered.question, text, _followup_keyboard(group_tr, item))
    await turn.remove_buttons()


@answers(PromptKind.FOLLOWUP)
async def followup_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A remark on a new practice's follow-up, in the group or privately (once screened)."""
    community, member = await turn.asked_in(prompt)
    data = {"decision_id": int(prompt.data["decision_id"])}
    await submit(turn, community, member, text, Release.FOLLOWUP_REMARK, data)


@released(Release.FOLLOWUP_REMARK)
async def _remark(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    decision_id = int(data["decision_id"])
    remarked = await decisions.remark_followup(turn.unit, community.id, member, decision_id, text)
    if remarked.answered:
        await turn.acknowledge(decision_texts.remark_saved(turn.tr))
        return
    await turn.reply(
        decision_texts.remark_saved_ask(turn.tr), _followup_keyboard(turn.tr, remarked.item)
    )


@command("decisions")
async def decisions_command(turn: Turn) -> None:
    """Open and done agreements, with owners, dates and follow-up."""
    community = turn.require_community()
    items = await decisions.listing(turn.unit, community.id)
    await turn.reply(decision_texts.listing(turn.tr, items, _tz(community)))
