"""Issue rounds: the round's prompt, answers (screened by the guard), the second-answer
choice and the reflection question. The practice issue's other features have their own
modules, named as their services: `mine`, `coding`, `development`, `shared_issue`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from telegram import ForceReply, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.app.context import CopContext
from bot.i18n import Translator
from bot.render.callbacks import Button, Start
from bot.services import issues
from bot.services.intake import Release
from bot.services.meeting_args import parse_moment
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.texts import common as texts
from bot.texts import issues as issue_texts
from bot.texts import keywords
from handlers.base import (
    Turn,
    answers,
    button,
    command,
    keyword_args,
    opens,
    released,
    remembers,
    submit,
)
from handlers.keyboards import keyboard, private_link

log = logging.getLogger(__name__)
_GATHER = "round_status_edits"
_PACE = "round_status_pace"
EDITS_PER_SECOND = 3


def _tz(community: CommunityView) -> ZoneInfo:
    return ZoneInfo(community.timezone)


# --------------------------------------------------------------------------- rounds


@command("issues")
async def issues_command(turn: Turn) -> None:
    """/issues starts a round; /issues close; /issues 5 december 17:00 (closing time);
    /issues nudge on|off; /issues guard on|off (keywords in either language)."""
    community = turn.require_community()
    args = keyword_args(turn, "close", "nudge", "guard", *keywords.SWITCH)
    if args == ["close"]:
        state = await issues.close(turn.unit, community.id)
        await turn.reply(issue_texts.round_closed(turn.tr, state))
    elif len(args) == 2 and args[0] in ("nudge", "guard") and args[1] in ("on", "off"):
        await issues.set_switch(turn.unit, community.id, args[0], args[1] == "on")
        await turn.reply(issue_texts.switch_set(turn.tr, args[0], args[1] == "on"))
    else:
        await _start_round(turn, community, args)


async def _start_round(turn: Turn, community: CommunityView, args: list[str]) -> None:
    """Posts the round's prompt (only when none is open) and registers it."""
    closes_at = parse_moment(" ".join(args), tz=_tz(community), now=turn.unit.now) if args else None
    await issues.require_no_open_round(turn.unit, community.id)

    async def record(unit: Unit, sent: Message) -> None:
        await issues.start_round(unit, community.id, sent.chat_id, sent.message_id, closes_at)

    await turn.reply(
        issue_texts.round_prompt(turn.tr, closes_at, _tz(community)),
        _round_link(turn.context, turn.tr, community.id),
        quote=False,
        record=record,
    )


def _round_link(
    context: CopContext, tr: Translator, community_id: int
) -> InlineKeyboardMarkup | None:
    """The round's prompt keeps its one-tap link to answer privately through every edit."""
    return private_link(tr, context.bot.username, Start.ISSUE, community_id)


@opens(Start.ISSUE)
async def _open_round(turn: Turn, community: CommunityView, member: MemberView) -> None:
    """The round's link was tapped: the question, privately; a reply (or any message
    here) is the answer."""
    round_ = await issues.open_round(turn.unit, community.id)
    if round_ is None or round_.closed:
        await turn.reply(texts.nothing_open(turn.tr, community.name), quote=False)
        return
    data = {"prompt_id": round_.prompt_id}
    await turn.reply(
        issue_texts.private_prompt(turn.tr, community.name),
        ForceReply(selective=True),
        quote=False,
        record=remembers(community.id, PromptKind.ISSUE_REMINDER, data=data),
    )


@answers(PromptKind.ISSUE_ROUND, PromptKind.ISSUE_REMINDER)
async def round_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the round's prompt in the group, or to its private reminder, is an answer."""
    community, member = await turn.asked_in(prompt)
    prompt_id = int(prompt.data.get("prompt_id", prompt.id))  # a reminder names its round
    round_ = await issues.round_by_prompt(turn.unit, community.id, prompt_id)
    await submit(
        turn, community, member, text, Release.ISSUE_ANSWER, {"prompt_id": round_.prompt_id}
    )


# ------------------------------------------------------------ saving answers


@released(Release.ISSUE_ANSWER)
async def _save_answer(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """A screened answer: stored, or (a second one in the round) replace, add or cancel."""
    person = turn.require_person()
    outcome = await issues.answer(
        turn.unit, community.id, member, text, data, user_id=person.user_id, chat_id=turn.chat.id
    )
    await _answered(turn, outcome)


@button(Button.DUPLICATE)
async def duplicate_pressed(turn: Turn) -> None:
    """Replace the earlier answer, add this one next to it, or cancel."""
    flow_id, choice = turn.pressed(int, str)
    person = turn.require_person()
    outcome = await issues.settle_duplicate(turn.unit, flow_id, person.user_id, choice)
    await turn.answer()
    await turn.remove_buttons()
    await _answered(turn, outcome)


async def _answered(turn: Turn, outcome: issues.AnswerOutcome) -> None:
    """Renders what became of an answer; asks the reflection question when the CoP wants it."""
    if isinstance(outcome, issues.NeedsChoice):
        markup = _duplicate_keyboard(turn, outcome.flow_id)
        await turn.reply(issue_texts.duplicate_question(turn.tr), markup)
        return
    if isinstance(outcome, issues.AnswerCancelled):
        await turn.reply(texts.cancelled(turn.tr, True), quote=False)
        return
    if not outcome.nudge:
        await turn.reply(issue_texts.answer_saved(turn.tr, outcome))
    else:
        saved = outcome

        async def record(unit: Unit, sent: Message) -> None:
            await issues.remember_reflection(unit, saved, sent.chat_id, sent.message_id)

        # One message, not two: the confirmation carries the reflection question, so a
        # round in the group costs one bot message per answer (and half the rate budget).
        # A member who opened the private chat gets it there, and a 👍 in the group: the
        # bot does not out-talk the teachers (issue 15).
        text = issue_texts.saved_and_asked(turn.tr, outcome)
        member, person = turn.member, turn.person
        if turn.in_group and member is not None and member.private_chat and person is not None:
            if turn.query is None:  # after a button (the guard's), the private message says it
                await turn.acknowledge(issue_texts.answer_saved(turn.tr, outcome))
            await turn.tell_privately(
                person.user_id, text, ForceReply(selective=True), record=record
            )
        else:
            await turn.reply(text, ForceReply(selective=True), record=record)
    await _show_progress(turn, outcome)


# ------------------------------------------------------------ the round's status message


@dataclass
class _Gathered:
    """Status edits of one round: when the last went out, and a gathered one on its way."""

    last: float = -math.inf
    task: asyncio.Task[None] | None = None


def _gathered(context: CopContext) -> dict[int, _Gathered]:
    table = context.bot_data.get(_GATHER)
    if not isinstance(table, dict):
        table = context.bot_data[_GATHER] = {}
    return table


async def _show_progress(turn: Turn, outcome: issues.AnswerSaved) -> None:
    """The round's prompt is its one status message, edited in place (no "not yet" list
    under every answer). The edits are gathered: at most one per round every
    `status_edit_seconds`, trailing the answers (each Bot API call counts towards
    Telegram's 30 a second, and the weekly peak has 20 answers a second); a gathered
    edit reads the progress afresh when it goes out."""
    every = turn.context.services.settings.status_edit_seconds
    if every <= 0:  # no gathering: the turn edits the status itself
        status = issues.RoundStatus(outcome.round_, outcome.progress)
        text = _status_text(turn.context, outcome, status)
        markup = _round_link(turn.context, _group_tr(turn.context, outcome), outcome.community_id)
        await turn.edit_at(outcome.round_.chat_id, outcome.round_.message_id, text, markup)
        return
    entry = _gathered(turn.context).setdefault(outcome.round_.prompt_id, _Gathered())
    if entry.task is not None:
        return  # the gathered edit on its way will show this answer too
    # The edit trails the answers: after `every`, or `every` after the round's last edit.
    now = time.monotonic()
    wait = every if entry.last == -math.inf else max(entry.last + every - now, every / 4)
    entry.task = asyncio.create_task(_gathered_edit(turn.context, outcome, entry, wait))


@dataclass
class _Pace:
    """All rounds' gathered edits share `EDITS_PER_SECOND` of Telegram's 30 a second, so at a
    peak (200 rounds' edits due together) the answers' replies keep the rest."""

    lock: asyncio.Lock
    next_at: float = 0.0

    async def turn(self) -> None:
        async with self.lock:
            now = time.monotonic()
            if self.next_at > now:
                await asyncio.sleep(self.next_at - now)
            self.next_at = max(now, self.next_at) + 1 / EDITS_PER_SECOND


def _pace(context: CopContext) -> _Pace:
    pace = context.bot_data.get(_PACE)
    if not isinstance(pace, _Pace):
        pace = context.bot_data[_PACE] = _Pace(asyncio.Lock())
    return pace


async def _gathered_edit(
    context: CopContext, outcome: issues.AnswerSaved, entry: _Gathered, wait: float
) -> None:
    services = context.services
    try:
        await asyncio.sleep(wait)
        await _pace(context).turn()
        async with services.sessions.begin() as session:
            status = await issues.status(
                Unit(session, services.clock()), outcome.community_id, outcome.round_.prompt_id
            )
        text = _status_text(context, outcome, status)  # sent after the read committed
        with contextlib.suppress(BadRequest):  # unchanged, or the prompt was deleted
            await context.bot.edit_message_text(
                text,
                chat_id=status.round_.chat_id,
                message_id=status.round_.message_id,
                reply_markup=_round_link(
                    context, _group_tr(context, outcome), outcome.community_id
                ),
            )
    except Exception as exc:  # a cosmetic edit in the background: logged, never raised
        log.info("round status not updated: %s", type(exc).__name__)
    finally:
        entry.task = None
        entry.last = time.monotonic()


def _status_text(
    context: CopContext, outcome: issues.AnswerSaved, status: issues.RoundStatus
) -> str:
    return issue_texts.round_status(_group_tr(context, outcome), status, ZoneInfo(outcome.timezone))


def _group_tr(context: CopContext, outcome: issues.AnswerSaved) -> Translator:
    return context.services.catalogs.get(outcome.language)  # the prompt's language


def _duplicate_keyboard(turn: Turn, flow_id: int) -> InlineKeyboardMarkup:
    labels = issue_texts.duplicate_labels(turn.tr)
    return keyboard(
        [(labels[c], (Button.DUPLICATE, flow_id, c.value)) for c in issues.DuplicateChoice]
    )


@answers(PromptKind.ISSUE_REFLECTION)
async def reflection_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the reflection question is kept with the practice issue it asked about."""
    community, member = await turn.asked_in(prompt)
    issue_id = issues.reflection_target(prompt, member)
    await submit(turn, community, member, text, Release.REFLECTION, {"issue_id": issue_id})


@released(Release.REFLECTION)
async def _save_reflection(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    await issues.save_reflection(turn.unit, community.id, member, int(data["issue_id"]), text)
    await turn.acknowledge(issue_texts.reflection_saved(turn.tr))
