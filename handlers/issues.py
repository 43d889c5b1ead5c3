"""Practice issues: rounds, answers (guarded), /mine, coding, development, shared issue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from telegram import ForceReply, InlineKeyboardMarkup, InputFile, Message
from telegram.error import BadRequest

from bot.render.callbacks import Button
from bot.render.charts import stacked_shares_png
from bot.services import coding, development, issues, mine, shared_issue
from bot.services.coding import CodingItem
from bot.services.development import PeriodShares
from bot.services.intake import Release
from bot.services.meeting_args import parse_moment
from bot.services.mine import OwnItem
from bot.services.prompts import PromptKind, PromptView
from bot.services.shared_issue import Proposal, Suggestion
from bot.services.values import CommunityView, MemberView
from bot.texts import coding as coding_texts
from bot.texts import common as texts
from bot.texts import development as development_texts
from bot.texts import issues as issue_texts
from bot.texts import mine as mine_texts
from bot.texts import shared_issue as shared_texts
from handlers.base import Turn, answers, args_of, button, command, released, submit
from handlers.keyboards import keyboard


def _tz(community: CommunityView) -> ZoneInfo:
    return ZoneInfo(community.timezone)


# --------------------------------------------------------------------------- rounds


@command("issues")
async def issues_command(turn: Turn) -> None:
    """/issues starts a round; /issues close; /issues 2026-12-05 17:00 (closing time);
    /issues nudge on|off; /issues guard on|off."""
    community = turn.require_community()
    args = [a.lower() for a in args_of(turn)]
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
    message = await turn.reply(
        issue_texts.round_prompt(turn.tr, closes_at, _tz(community)), quote=False
    )
    await issues.start_round(
        turn.unit, community.id, message.chat_id, message.message_id, closes_at
    )


@answers(PromptKind.ISSUE_ROUND)
async def round_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the round's prompt in the group is an answer."""
    community = turn.require_community()
    member = turn.require_member()
    round_ = await issues.round_by_prompt(turn.unit, community.id, prompt.id)
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
    await turn.reply(issue_texts.answer_saved(turn.tr, outcome))
    if outcome.nudge:
        question = await turn.reply(
            issue_texts.reflection_question(turn.tr, outcome.name), ForceReply(selective=True)
        )
        await issues.remember_reflection(turn.unit, outcome, question.chat_id, question.message_id)


def _duplicate_keyboard(turn: Turn, flow_id: int) -> InlineKeyboardMarkup:
    labels = issue_texts.duplicate_labels(turn.tr)
    return keyboard(
        [(labels[c], (Button.DUPLICATE, flow_id, c.value)) for c in issues.DuplicateChoice]
    )


@answers(PromptKind.ISSUE_REFLECTION)
async def reflection_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the reflection question is kept with the practice issue it asked about."""
    community, member = await _asked(turn, prompt)
    issue_id = issues.reflection_target(prompt, member)
    await submit(turn, community, member, text, Release.REFLECTION, {"issue_id": issue_id})


@released(Release.REFLECTION)
async def _save_reflection(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    await issues.save_reflection(turn.unit, community.id, member, int(data["issue_id"]), text)
    await turn.reply(issue_texts.reflection_saved(turn.tr))


@released(Release.EDIT)
async def _save_edit(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    await mine.edit(turn.unit, community.id, member, int(data["contribution_id"]), text)
    await turn.reply(mine_texts.edited(turn.tr))


# ----------------------------------------------------------------------- /mine


@command("mine")
async def mine_command(turn: Turn) -> None:
    """A member's own contributions in this CoP, with edit and delete."""
    community, member = await turn.here()
    items = await mine.recent(turn.unit, community.id, member)
    await turn.reply(
        mine_texts.mine(turn.tr, community.name, items, _tz(community)),
        _mine_keyboard(turn, items),
    )


def _mine_keyboard(turn: Turn, items: Sequence[OwnItem]) -> InlineKeyboardMarkup | None:
    if not items:
        return None
    labels = [mine_texts.mine_labels(turn.tr, n) for n in range(1, len(items) + 1)]
    return keyboard(
        *[
            [(edit, (Button.MINE, item.id, "e")), (delete, (Button.MINE, item.id, "d"))]
            for item, (edit, delete) in zip(items, labels, strict=True)
        ]
    )


@button(Button.MINE)
async def mine_pressed(turn: Turn) -> None:
    """Edit (asks for the new text), delete (asks to confirm), confirm or keep."""
    contribution_id, choice = turn.pressed(int, str)
    community, member = await turn.here()
    if choice == "y":
        await mine.delete(turn.unit, community.id, member, contribution_id)
        await turn.answer()
        await turn.remove_buttons()
        await turn.reply(mine_texts.deleted(turn.tr), quote=False)
        return
    item = await mine.own_item(turn.unit, community.id, member, contribution_id)
    await turn.answer()
    if choice == "e":
        await _ask_edit(turn, community, member, item)
    elif choice == "d":
        yes, no = mine_texts.delete_labels(turn.tr)
        await turn.reply(
            mine_texts.delete_question(turn.tr, item),
            keyboard([(yes, (Button.MINE, item.id, "y")), (no, (Button.MINE, item.id, "n"))]),
        )
    else:
        await turn.remove_buttons()
        await turn.reply(mine_texts.kept(turn.tr), quote=False)


async def _ask_edit(
    turn: Turn, community: CommunityView, member: MemberView, item: OwnItem
) -> None:
    question = await turn.reply(mine_texts.edit_question(turn.tr, item), ForceReply(selective=True))
    await mine.remember_edit(
        turn.unit, community.id, member, item, question.chat_id, question.message_id
    )


@answers(PromptKind.EDIT)
async def edit_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to "the new text for" replaces that contribution's text (once screened)."""
    community, member = await _asked(turn, prompt)
    contribution_id = mine.edit_target(prompt, member)
    data = {"contribution_id": contribution_id}
    await submit(turn, community, member, text, Release.EDIT, data)


# ---------------------------------------------------------------- coding


@command("code")
async def code_command(turn: Turn) -> None:
    """Facilitators code contributions privately: /code (uncoded) or /code all."""
    community, member = await turn.here()
    coded_too = args_of(turn)[:1] == ["all"]
    items, uncoded = await coding.items(turn.unit, community.id, member, coded_too=coded_too)
    await turn.reply(coding_texts.code_book(turn.tr), quote=False)
    for item in items:
        await turn.reply(
            coding_texts.coding_item(turn.tr, item),
            _code_keyboard(turn, item.contribution_id),
            quote=False,
        )
    await turn.reply(coding_texts.coding_summary(turn.tr, len(items), uncoded), quote=False)


def _code_keyboard(turn: Turn, contribution_id: int) -> InlineKeyboardMarkup:
    labels = coding_texts.code_labels(turn.tr)
    return keyboard(
        *[
            [(labels[combo], (Button.CODE, contribution_id, combo)) for combo in row]
            for row in (("ie", "ii"), ("se", "si"), ("x",))
        ]
    )


@button(Button.CODE)
async def code_pressed(turn: Turn) -> None:
    """Sets or changes the code; the message shows the current code."""
    contribution_id, combo = turn.pressed(int, str)
    community, member = await turn.here()
    item: CodingItem = await coding.code(turn.unit, community.id, member, contribution_id, combo)
    await turn.answer(coding_texts.code_labels(turn.tr)[combo])
    message = turn.query.message if turn.query else None
    if isinstance(message, Message):
        await turn.edit(
            message, coding_texts.coding_item(turn.tr, item), _code_keyboard(turn, contribution_id)
        )


# ----------------------------------------------------------- development


@command("development")
async def development_command(turn: Turn) -> None:
    """The share of each code combination per meeting, as a table and a chart."""
    community = turn.require_community()
    rows = await development.development(turn.unit, community.id)
    await turn.reply(development_texts.development(turn.tr, rows))
    if rows:
        png = _chart(turn, rows)
        await turn.context.bot.send_photo(turn.chat.id, InputFile(png, filename="development.png"))


def _chart(turn: Turn, rows: Sequence[PeriodShares]) -> bytes:
    labels = development_texts.chart_labels(turn.tr)
    return stacked_shares_png(
        title=labels["title"],
        categories=[str(r.meeting_number) if r.meeting_number else "\u2013" for r in rows],
        series=[
            (labels[code], [float(r.percent[code]) for r in rows]) for code in development.ORDER
        ],
    )


# ----------------------------------------------------------- shared issue


@command("shared")
async def shared_command(turn: Turn) -> None:
    """/shared <text> proposes; /shared alone lists members' suggestions to pick from;
    /shared history; /shared rule majority|all (rights per sub-command: bot.commands)."""
    community = turn.require_community()
    member = turn.require_member()
    text = turn.message.text if turn.message and turn.message.text else ""
    body = text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""
    if body.lower() == "history":
        items = await shared_issue.history(turn.unit, community.id)
        await turn.reply(shared_texts.history(turn.tr, items, _tz(community)))
    elif body.lower().startswith("rule"):
        rule = body.split()[-1].lower()
        await shared_issue.set_rule(turn.unit, community.id, rule)
        await turn.reply(shared_texts.rule_set(turn.tr, rule))
    elif not body:
        suggestions = await shared_issue.suggestions(turn.unit, community.id)
        await turn.reply(
            shared_texts.suggestions(turn.tr, suggestions), _pick_keyboard(suggestions)
        )
    else:
        await _propose(turn, community, member, body)


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
    message = await turn.reply(
        shared_texts.proposal(turn.tr, proposal), _vote_keyboard(turn, proposal), quote=False
    )
    await shared_issue.attach_message(
        turn.unit, community.id, proposal.id, message.chat_id, message.message_id
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
    """The adopted shared issue, pinned in the group when the bot may pin."""
    announcement = await turn.reply(
        shared_texts.adopted(turn.tr, proposal, _tz(community)), quote=False
    )
    try:
        await turn.context.bot.pin_chat_message(
            turn.chat.id, announcement.message_id, disable_notification=True
        )
    except BadRequest:
        await turn.reply(shared_texts.pin_failed(turn.tr), quote=False)


@answers(PromptKind.SHARED_ISSUE)
async def shared_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to a proposal is a comment on that version."""
    community = turn.require_community()
    member = turn.require_member()
    await shared_issue.comment(turn.unit, community.id, member, prompt, text)
    await turn.reply(shared_texts.comment_saved(turn.tr))


# ------------------------------------------------------------------ helpers


async def _asked(turn: Turn, prompt: PromptView) -> tuple[CommunityView, MemberView]:
    """The CoP and membership a reply to a prompt is about (in a group: the group's)."""
    if turn.in_group:
        return turn.require_community(), turn.require_member()
    return await turn.pair_for(prompt.community_id)
