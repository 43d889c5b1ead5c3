"""Agreements: /decide, reactions, new practices, done, follow-up, /decisions."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.errors import InvalidInput, NotFound, StaleAction
from bot.render.callbacks import Button, as_int
from bot.services import decisions, membership
from bot.services.prompts import PromptKind, PromptView
from bot.services.values import CommunityView, MemberView
from bot.texts import decisions as decision_texts
from handlers.base import Turn, answers, button, command
from handlers.keyboards import keyboard


def _tz(community: CommunityView) -> ZoneInfo:
    return ZoneInfo(community.timezone)


def decision_keyboard(turn: Turn, item: decisions.DecisionView) -> InlineKeyboardMarkup:
    labels = decision_texts.decision_labels(turn.tr)
    rows = []
    if item.status != "adopted":
        rows.append(
            [
                (labels["agree"], (Button.REACT, item.id, "agree")),
                (labels["object"], (Button.REACT, item.id, "object")),
            ]
        )
    rows.append([(labels["practice"], (Button.REACT, item.id, "practice"))])
    return keyboard(*rows)


@command("decide")
async def decide(turn: Turn) -> None:
    """Records an agreement: /decide <text> [@owner] [by <date>], or as a reply to a message."""
    community = turn.require_community()
    member = turn.require_member()
    message = turn.message
    text = message.text if message and message.text else ""
    body = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    if not body.strip() and message and message.reply_to_message is not None:
        body = message.reply_to_message.text or ""
    if not body.strip():
        raise InvalidInput(decision_texts.decide_usage(turn.tr))
    today = turn.unit.now.astimezone(_tz(community)).date()
    agreement, owner, due = decisions.parse(body, today)
    item = await decisions.propose(
        turn.unit, community.id, member, agreement, owner_username=owner, due=due, today=today
    )
    sent = await turn.reply(
        decision_texts.decision(turn.tr, item, _tz(community)),
        decision_keyboard(turn, item),
        quote=False,
    )
    await decisions.attach_message(turn.unit, community.id, item.id, sent.chat_id, sent.message_id)


@button(Button.REACT)
async def react_pressed(turn: Turn) -> None:
    """Agree / object / mark as new practice."""
    _, ref, choice = turn.button(3)
    decision_id = as_int(ref)
    if decision_id is None:
        raise StaleAction("stale_button")
    community = turn.require_community()
    member = turn.require_member()
    adopted_now = False
    if choice == "practice":
        item = await decisions.set_practice(turn.unit, community.id, member, decision_id)
        await turn.answer(decision_texts.practice_set(turn.tr, item))
    else:
        item, adopted_now = await decisions.vote(
            turn.unit, community.id, member, decision_id, choice
        )
        await turn.answer(decision_texts.voted(turn.tr, choice))
    message = turn.query.message if turn.query else None
    if message is not None:
        await turn.edit(
            message,
            decision_texts.decision(turn.tr, item, _tz(community)),
            decision_keyboard(turn, item),
        )
    if adopted_now:
        await turn.reply(decision_texts.adopted(turn.tr, item), quote=False)


@button(Button.DONE)
async def done_pressed(turn: Turn) -> None:
    """The owner says whether the agreement is done."""
    _, ref, choice = turn.button(3)
    decision_id = as_int(ref)
    if decision_id is None or choice not in ("y", "n"):
        raise StaleAction("stale_button")
    community, member = await _here_for(turn, decision_id)
    await decisions.mark_done(turn.unit, community.id, member, decision_id, choice == "y")
    await turn.answer(decision_texts.done_set(turn.tr, choice == "y"))
    if turn.query and turn.query.message:
        await turn.query.message.edit_reply_markup(None)


@button(Button.FOLLOW_UP)
async def followup_pressed(turn: Turn) -> None:
    """Yes / sometimes / not yet: does the member use the new practice?"""
    _, ref, answer = turn.button(3)
    decision_id = as_int(ref)
    if decision_id is None:
        raise StaleAction("stale_button")
    community = turn.require_community()
    member = turn.require_member()
    item = await decisions.answer_followup(turn.unit, community.id, member, decision_id, answer)
    await turn.answer(decision_texts.followup_noted(turn.tr))
    message = turn.query.message if turn.query else None
    if message is not None:
        labels = decision_texts.followup_labels(turn.tr)
        text = (
            decision_texts.followup(turn.tr, item)
            + "\n"
            + decision_texts.followup_counts(turn.tr, item)
        )
        await turn.edit(
            message,
            text,
            keyboard(
                [(labels[key], (Button.FOLLOW_UP, item.id, key)) for key in decisions.ANSWERS]
            ),
        )


@answers(PromptKind.FOLLOWUP)
async def followup_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    community = turn.require_community()
    member = turn.require_member()
    await decisions.remark_followup(
        turn.unit, community.id, member, int(prompt.data["decision_id"]), text
    )
    await turn.reply(decision_texts.remark_saved(turn.tr))


@command("decisions")
async def decisions_command(turn: Turn) -> None:
    """Open and done agreements, with owners, dates and follow-up."""
    community = turn.require_community()
    items = await decisions.listing(turn.unit, community.id)
    await turn.reply(decision_texts.listing(turn.tr, items, _tz(community)))


async def _here_for(turn: Turn, decision_id: int) -> tuple[CommunityView, MemberView]:
    """The owner may answer privately; find the CoP the agreement belongs to."""
    if turn.in_group:
        return turn.require_community(), turn.require_member()
    person = turn.require_person()
    for community, member in await membership.memberships(turn.unit, person.user_id):
        try:
            await decisions.view(turn.unit, community.id, decision_id)
        except NotFound:  # not this CoP's agreement
            continue
        return community, member
    raise StaleAction("stale_button")
