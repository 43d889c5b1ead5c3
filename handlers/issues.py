"""Practice issues: rounds, answers (guarded), /mine, coding, development, shared issue."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import ForceReply, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest

from bot.errors import NotAllowed, StaleAction
from bot.render.callbacks import Button, as_int
from bot.render.charts import stacked_shares_png
from bot.services import (
    coding,
    development,
    flows,
    issues,
    membership,
    mine,
    prompts,
    shared_issue,
)
from bot.services.flows import FlowKind
from bot.services.intake import Release
from bot.services.meeting_args import parse_moment
from bot.services.prompts import PromptKind, PromptView
from bot.services.values import CommunityView, MemberView
from bot.texts import common as texts
from bot.texts import issues as issue_texts
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
        closed = await issues.close_round(turn.unit, community.id)
        state = await issues.progress(turn.unit, community.id, closed)
        await turn.reply(issue_texts.round_closed(turn.tr, state))
        return
    if len(args) == 2 and args[0] in ("nudge", "guard") and args[1] in ("on", "off"):
        await issues.set_switch(turn.unit, community.id, args[0], args[1] == "on")
        await turn.reply(issue_texts.switch_set(turn.tr, args[0], args[1] == "on"))
        return
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
    round_ = await issues.round_by_prompt(turn.unit, community.id, int(data["prompt_id"]))
    mode = data.get("mode")
    if mode is None and await issues.existing_answer(turn.unit, community.id, round_, member):
        person = turn.require_person()
        state = await flows.start(
            turn.unit,
            kind=FlowKind.DUPLICATE,
            chat_id=turn.chat.id,
            user_id=person.user_id,
            step="choose",
            community_id=community.id,
            data={"text": text, "data": data},
        )
        labels = issue_texts.duplicate_labels(turn.tr)
        markup = keyboard([(labels[key], (Button.DUPLICATE, state.flow_id, key)) for key in "rac"])
        await turn.reply(issue_texts.duplicate_question(turn.tr), markup)
        return
    saved = await issues.save_answer(
        turn.unit, community.id, round_, member, text, replace=mode == "r"
    )
    state = await issues.progress(turn.unit, community.id, round_)
    await turn.reply(
        issue_texts.answer_saved(
            turn.tr, member.name, state, replaced=saved.replaced, has_shared=saved.has_shared
        )
    )
    if (await issues.switches(turn.unit, community.id))["nudge"]:
        question = await turn.reply(
            issue_texts.reflection_question(turn.tr, member.name), ForceReply(selective=True)
        )
        await prompts.remember(
            turn.unit,
            community.id,
            question.chat_id,
            question.message_id,
            issues.REFLECTION_PROMPT,
            data={"issue_id": saved.contribution_id, "member_id": member.id},
        )


@button(Button.DUPLICATE)
async def duplicate_pressed(turn: Turn) -> None:
    """Replace the earlier answer, add this one next to it, or cancel."""
    _, flow_ref, choice = turn.button(3)
    state = await _flow(turn, flow_ref, FlowKind.DUPLICATE)
    community, member = await turn.pair_for(state.community_id)
    await flows.end(turn.unit, state)
    await turn.answer()
    await turn.remove_buttons()
    if choice not in ("r", "a"):
        await turn.reply(texts.cancelled(turn.tr, True), quote=False)
        return
    await _save_answer(
        turn, community, member, state.data["text"], {**state.data["data"], "mode": choice}
    )


@answers(PromptKind.ISSUE_REFLECTION)
async def reflection_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    community = turn.require_community() if turn.in_group else await _prompt_community(turn, prompt)
    member = await _member_for(turn, community)
    if prompt.data.get("member_id") != member.id:
        raise NotAllowed("not_your_flow")
    await submit(
        turn,
        community,
        member,
        text,
        Release.REFLECTION,
        {"issue_id": int(prompt.data["issue_id"])},
    )


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
    await turn.reply(issue_texts.edited(turn.tr))


# ----------------------------------------------------------------------- /mine


@command("mine")
async def mine_command(turn: Turn) -> None:
    """A member's own contributions in this CoP, with edit and delete."""
    community, member = await turn.here()
    items = (await mine.own(turn.unit, community.id, member))[-20:]
    labels = [issue_texts.mine_labels(turn.tr, n) for n in range(1, len(items) + 1)]
    markup = (
        keyboard(
            *[
                [(edit, (Button.MINE, item.id, "e")), (delete, (Button.MINE, item.id, "d"))]
                for item, (edit, delete) in zip(items, labels, strict=True)
            ]
        )
        if items
        else None
    )
    await turn.reply(issue_texts.mine(turn.tr, community.name, items, _tz(community)), markup)


@button(Button.MINE)
async def mine_pressed(turn: Turn) -> None:
    """Edit (asks for the new text), delete (asks to confirm), confirm or keep."""
    _, ref, choice = turn.button(3)
    contribution_id = as_int(ref)
    if contribution_id is None:
        raise StaleAction("stale_button")
    community, member = await turn.here()
    items = {item.id: item for item in await mine.own(turn.unit, community.id, member)}
    item = items.get(contribution_id)
    if item is None:
        raise StaleAction("stale_button")
    await turn.answer()
    if choice == "e":
        question = await turn.reply(
            issue_texts.edit_question(turn.tr, item), ForceReply(selective=True)
        )
        await prompts.remember(
            turn.unit,
            community.id,
            question.chat_id,
            question.message_id,
            PromptKind.EDIT,
            data={"contribution_id": item.id, "member_id": member.id},
        )
    elif choice == "d":
        yes, no = issue_texts.delete_labels(turn.tr)
        await turn.reply(
            issue_texts.delete_question(turn.tr, item),
            keyboard([(yes, (Button.MINE, item.id, "y")), (no, (Button.MINE, item.id, "n"))]),
        )
    elif choice == "y":
        await mine.delete(turn.unit, community.id, member, item.id)
        await turn.remove_buttons()
        await turn.reply(issue_texts.deleted(turn.tr), quote=False)
    else:
        await turn.remove_buttons()
        await turn.reply(issue_texts.kept(turn.tr), quote=False)


@answers(PromptKind.EDIT)
async def edit_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    community = turn.require_community() if turn.in_group else await _prompt_community(turn, prompt)
    member = await _member_for(turn, community)
    if prompt.data.get("member_id") != member.id:
        raise NotAllowed("not_your_flow")
    await submit(
        turn,
        community,
        member,
        text,
        Release.EDIT,
        {"contribution_id": int(prompt.data["contribution_id"])},
    )


# ---------------------------------------------------------------- coding


@command("code")
async def code_command(turn: Turn) -> None:
    """Facilitators code contributions privately: /code (uncoded) or /code all."""
    community, member = await turn.here()
    if not member.is_facilitator:
        raise NotAllowed("facilitator_only")
    coded_too = args_of(turn)[:1] == ["all"]
    items, uncoded = await coding.items(turn.unit, community.id, member, coded_too=coded_too)
    await turn.reply(issue_texts.code_book(turn.tr), quote=False)
    for item in items:
        await turn.reply(
            issue_texts.coding_item(turn.tr, item),
            _code_keyboard(turn, item.contribution_id),
            quote=False,
        )
    await turn.reply(issue_texts.coding_summary(turn.tr, len(items), uncoded), quote=False)


def _code_keyboard(turn: Turn, contribution_id: int) -> InlineKeyboardMarkup:
    labels = issue_texts.code_labels(turn.tr)
    return keyboard(
        [
            (labels["ie"], (Button.CODE, contribution_id, "ie")),
            (labels["ii"], (Button.CODE, contribution_id, "ii")),
        ],
        [
            (labels["se"], (Button.CODE, contribution_id, "se")),
            (labels["si"], (Button.CODE, contribution_id, "si")),
        ],
        [(labels["x"], (Button.CODE, contribution_id, "x"))],
    )


@button(Button.CODE)
async def code_pressed(turn: Turn) -> None:
    """Sets or changes the code; the message shows the current code."""
    _, ref, combo = turn.button(3)
    contribution_id = as_int(ref)
    if contribution_id is None:
        raise StaleAction("stale_button")
    community, member = await turn.here()
    item = await coding.code(turn.unit, community.id, member, contribution_id, combo)
    await turn.answer(issue_texts.code_labels(turn.tr)[combo])
    message = turn.query.message if turn.query else None
    if message is not None:
        await turn.edit(
            message, issue_texts.coding_item(turn.tr, item), _code_keyboard(turn, contribution_id)
        )


# ----------------------------------------------------------- development


@command("development")
async def development_command(turn: Turn) -> None:
    """The share of each code combination per meeting, as a table and a chart."""
    community = turn.require_community()
    rows = await development.development(turn.unit, community.id)
    await turn.reply(issue_texts.development(turn.tr, rows))
    if rows:
        labels = issue_texts.chart_labels(turn.tr)
        png = stacked_shares_png(
            title=labels["title"],
            categories=[str(r.meeting_number) if r.meeting_number else "\u2013" for r in rows],
            series=[
                (labels[code], [float(r.percent[code]) for r in rows]) for code in development.ORDER
            ],
        )
        await turn.context.bot.send_photo(turn.chat.id, InputFile(png, filename="development.png"))


# ----------------------------------------------------------- shared issue


@command("shared")
async def shared_command(turn: Turn) -> None:
    """/shared <text> proposes; /shared alone lists members' suggestions to pick from;
    /shared history; /shared rule majority|all."""
    community = turn.require_community()
    member = turn.require_member()
    text = turn.message.text if turn.message and turn.message.text else ""
    body = text.split(maxsplit=1)[1].strip() if len(text.split(maxsplit=1)) > 1 else ""
    if body.lower() == "history":
        items = await shared_issue.history(turn.unit, community.id)
        await turn.reply(issue_texts.history(turn.tr, items, _tz(community)))
        return
    if body.lower().startswith("rule"):
        if not member.is_facilitator:
            raise NotAllowed("facilitator_only")
        rule = body.split()[-1].lower()
        await shared_issue.set_rule(turn.unit, community.id, rule)
        await turn.reply(issue_texts.rule_set(turn.tr, rule))
        return
    if not member.is_facilitator:
        raise NotAllowed("facilitator_only")
    if not body:
        suggestions = await shared_issue.suggestions(turn.unit, community.id)
        markup = (
            keyboard(
                *[
                    [(str(n), (Button.PICK, sid))]
                    for n, (sid, _t, _a) in enumerate(suggestions[:20], start=1)
                ]
            )
            if suggestions
            else None
        )
        await turn.reply(issue_texts.suggestions(turn.tr, suggestions[:20]), markup)
        return
    await _propose(turn, community, member, body)


@button(Button.PICK)
async def pick_pressed(turn: Turn) -> None:
    """A facilitator picks a member's suggestion as the proposal."""
    _, ref = turn.button(2)
    suggestion_id = as_int(ref)
    if suggestion_id is None:
        raise StaleAction("stale_button")
    community = turn.require_community()
    member = turn.require_member()
    text = await shared_issue.suggestion_text(turn.unit, community.id, suggestion_id)
    await turn.answer()
    await _propose(turn, community, member, text)


async def _propose(turn: Turn, community: CommunityView, member: MemberView, text: str) -> None:
    proposal = await shared_issue.propose(turn.unit, community.id, member, text)
    agree, not_yet = issue_texts.vote_labels(turn.tr)
    message = await turn.reply(
        issue_texts.proposal(turn.tr, proposal),
        keyboard(
            [
                (agree, (Button.VOTE, proposal.id, "agree")),
                (not_yet, (Button.VOTE, proposal.id, "not_yet")),
            ]
        ),
        quote=False,
    )
    await shared_issue.attach_message(
        turn.unit, community.id, proposal.id, message.chat_id, message.message_id
    )
    await prompts.remember(
        turn.unit,
        community.id,
        message.chat_id,
        message.message_id,
        PromptKind.SHARED_ISSUE,
        data={"proposal_id": proposal.id},
    )


@button(Button.VOTE)
async def vote_pressed(turn: Turn) -> None:
    """Agree / not yet; when the rule is met the issue is adopted, announced and pinned."""
    _, ref, choice = turn.button(3)
    proposal_id = as_int(ref)
    if proposal_id is None:
        raise StaleAction("stale_button")
    community = turn.require_community()
    member = turn.require_member()
    proposal, adopted_now = await shared_issue.vote(
        turn.unit, community.id, member, proposal_id, choice
    )
    await turn.answer(issue_texts.voted(turn.tr, choice))
    message = turn.query.message if turn.query else None
    if message is not None:
        agree, not_yet = issue_texts.vote_labels(turn.tr)
        markup = (
            None
            if adopted_now
            else keyboard(
                [
                    (agree, (Button.VOTE, proposal.id, "agree")),
                    (not_yet, (Button.VOTE, proposal.id, "not_yet")),
                ]
            )
        )
        await turn.edit(message, issue_texts.proposal(turn.tr, proposal), markup)
    if adopted_now:
        announcement = await turn.reply(
            issue_texts.adopted(turn.tr, proposal, _tz(community)), quote=False
        )
        try:
            await turn.context.bot.pin_chat_message(
                turn.chat.id, announcement.message_id, disable_notification=True
            )
        except BadRequest:
            await turn.reply(issue_texts.pin_failed(turn.tr), quote=False)


@answers(PromptKind.SHARED_ISSUE)
async def shared_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to a proposal is a comment on that version."""
    community = turn.require_community()
    member = turn.require_member()
    await shared_issue.comment(
        turn.unit, community.id, member, int(prompt.data["proposal_id"]), text
    )
    await turn.reply(issue_texts.comment_saved(turn.tr))


# ------------------------------------------------------------------ helpers


async def _flow(turn: Turn, flow_ref: str, kind: str) -> flows.FlowState:
    flow_id = as_int(flow_ref)
    if flow_id is None:
        raise StaleAction("stale_button")
    person = turn.require_person()
    return await flows.current(
        turn.unit, flow_id, person.user_id, kind, "confirm" if kind == "intake" else "choose"
    )


async def _prompt_community(turn: Turn, prompt: PromptView) -> CommunityView:
    community, _member = await turn.pair_for(prompt.community_id)
    return community


async def _member_for(turn: Turn, community: CommunityView) -> MemberView:
    person = turn.require_person()
    return await membership.require_member(turn.unit, community.id, person.user_id)
