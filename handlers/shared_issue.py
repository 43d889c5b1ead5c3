"""/shared: the shared issue proposed, reacted to, adopted and pinned, with its versions."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.render.callbacks import Button
from bot.services import shared_issue
from bot.services.intake import Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.shared_issue import Proposal, Suggestion
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.texts import keywords
from bot.texts import shared_issue as shared_texts
from handlers.base import Turn, answers, button, command, keyword_args, released, submit
from handlers.keyboards import keyboard

log = logging.getLogger(__name__)


def _tz(community: CommunityView) -> ZoneInfo:
    return ZoneInfo(community.timezone)


@command("shared")
async def shared_command(turn: Turn) -> None:
    """/shared <text> proposes; /shared alone lists members' suggestions to pick from;
    /shared history; /shared rule majority|all (rights per sub-command: bot.commands)."""
    community = turn.require_community()
    member = turn.require_member()
    text = turn.message.text if turn.message and turn.message.text else ""
    body = text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""
    words = keyword_args(turn, "history", "rule")
    if words == ["history"]:
        items = await shared_issue.history(turn.unit, community.id)
        await turn.reply(shared_texts.history(turn.tr, items, _tz(community)))
    elif words[:1] == ["rule"]:
        rule = keywords.canonical(turn.context.services.catalogs, words[-1], ("majority", "all"))
        rule = rule or words[-1].lower()
        await shared_issue.set_rule(turn.unit, community.id, rule)
        await turn.reply(shared_texts.rule_set(turn.tr, rule))
    elif not body:
        suggestions = await shared_issue.suggestions(turn.unit, community.id)
        await turn.reply(
            shared_texts.suggestions(turn.tr, suggestions), _pick_keyboard(suggestions)
        )
    else:
        await submit(turn, community, member, body, Release.SHARED_PROPOSAL, {})


@released(Release.SHARED_PROPOSAL)
async def _proposed(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """A facilitator's own proposal, once screened (a picked suggestion was screened as
    the member's answer already)."""
    await _propose(turn, community, member, text)


def _pick_keyboard(suggestions: Sequence[Suggestion]) -> InlineKeyboardMarkup | None:
    if not suggestions:
        return None
    return keyboard(*[[(str(n), (Button.PICK, s.id))] for n, s in enumerate(suggestions, start=1)])


@button(Button.PICK)
async def pick_pressed(turn: Turn) -> None:
    """A facilitator picks a member's suggestion as the proposal."""
    (suggestion_id,) = turn.pressed(int)
    community = turn.require_community()
    member = turn.require_member()
    text = await shared_issue.suggestion_text(turn.unit, community.id, suggestion_id)
    await turn.answer()
    await _propose(turn, community, member, text)


async def _propose(turn: Turn, community: CommunityView, member: MemberView, text: str) -> None:
    proposal = await shared_issue.propose(turn.unit, community.id, member, text)

    async def record(unit: Unit, sent: Message) -> None:
        await shared_issue.attach_message(
            unit, community.id, proposal.id, sent.chat_id, sent.message_id
        )

    await turn.reply(
        shared_texts.proposal(turn.tr, proposal),
        _vote_keyboard(turn, proposal),
        quote=False,
        record=record,
    )


def _vote_keyboard(turn: Turn, proposal: Proposal) -> InlineKeyboardMarkup:
    agree, not_yet = shared_texts.vote_labels(turn.tr)
    return keyboard(
        [
            (agree, (Button.VOTE, proposal.id, "agree")),
            (not_yet, (Button.VOTE, proposal.id, "not_yet")),
        ]
    )


@button(Button.VOTE)
async def vote_pressed(turn: Turn) -> None:
    """Agree / not yet; when the rule is met the issue is adopted, announced and pinned."""
    proposal_id, choice = turn.pressed(int, str)
    community = turn.require_community()
    member = turn.require_member()
    voted = await shared_issue.vote(turn.unit, community.id, member, proposal_id, choice)
    await turn.answer(shared_texts.voted(turn.tr, choice))
    message = turn.query.message if turn.query else None
    if isinstance(message, Message):
        markup = None if voted.adopted_now else _vote_keyboard(turn, voted.proposal)
        await turn.edit(message, shared_texts.proposal(turn.tr, voted.proposal), markup)
    if voted.adopted_now:
        await _announce(turn, community, voted.proposal)


async def _announce(turn: Turn, community: CommunityView, proposal: Proposal) -> None:
    """The adopted shared issue, pinned in the group when the bot may pin (where it may
    not, the announcement stands on its own: no extra message about pinning)."""
    bot = turn.context.bot

    async def pin(sent: Message) -> None:  # after the commit, like the announcement
        try:
            await bot.pin_chat_message(sent.chat_id, sent.message_id, disable_notification=True)
        except BadRequest:
            log.info("the bot may not pin in chat %s", sent.chat_id)

    await turn.reply(
        shared_texts.adopted(turn.tr, proposal, _tz(community)), quote=False, after=pin
    )


@answers(PromptKind.SHARED_ISSUE)
async def shared_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to a proposal is a comment on that version."""
    community = turn.require_community()
    member = turn.require_member()
    data = {"proposal_id": shared_issue.proposal_of(prompt)}
    await submit(turn, community, member, text, Release.SHARED_COMMENT, data)


@released(Release.SHARED_COMMENT)
async def _comment(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    await shared_issue.comment(turn.unit, community.id, member, int(data["proposal_id"]), text)
    await turn.acknowledge(shared_texts.comment_saved(turn.tr))
