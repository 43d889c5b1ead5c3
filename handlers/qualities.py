"""Qualities: the private quality round, /nominate, /profile, /used, /qualities.

The round's rules live in `bot.services.qualities` (its state machine); here a press
or a reply is parsed, handed to one step there, and the step's result rendered.
Who may start, close or merge a round is the command table's rule (`bot.commands`).
"""

from __future__ import annotations

from typing import Any

from telegram import ForceReply, InlineKeyboardMarkup, Message

from bot.errors import InvalidInput, NotAllowed, StaleAction
from bot.i18n import Translator
from bot.render.callbacks import Button, Start
from bot.render.charts import grouped_bars_png
from bot.render.offload import off_loop
from bot.services import membership, qualities
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Draft, Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.qualities import (
    RoundEnd,
    RoundProgress,
    RoundQuestion,
    RoundStep,
    RoundTurn,
    StatRow,
)
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.texts import qualities as quality_texts
from handlers.base import (
    Turn,
    answers,
    args_of,
    attach,
    button,
    command,
    continues,
    keyword_args,
    opens,
    released,
    remembers,
    submit,
)
from handlers.keyboards import keyboard, private_link


@command("qualities")
async def qualities_command(turn: Turn) -> None:
    """Group: start (/qualities), close, stats, merge. Private: do your part of the round."""
    community, member = await turn.here()
    if not turn.in_group:
        await _my_part(turn, community, member)
        return
    args = args_of(turn)
    action = keyword_args(turn, "stats", "close", "merge")[0] if args else ""
    if action == "stats":
        await _stats(turn, await qualities.stats(turn.unit, community.id))
    elif action == "close":
        views = await qualities.close_round(turn.unit, community.id, member)
        await turn.reply(quality_texts.round_closed(turn.tr, views))
    elif action == "merge":
        count = await qualities.merge_named(turn.unit, community.id, " ".join(args[1:]))
        await turn.reply(quality_texts.merged(turn.tr, count))
    elif not action:
        await _start_round(turn, community)
    else:
        raise InvalidInput("qualities_usage")


async def _my_part(turn: Turn, community: CommunityView, member: MemberView) -> None:
    """Private /qualities: the member's part of the open round, where they left off."""
    person = turn.require_person()
    outcome = await qualities.begin_part(
        turn.unit, community.id, member, chat_id=turn.chat.id, user_id=person.user_id
    )
    await _show(turn, outcome, quote=True)


async def _start_round(turn: Turn, community: CommunityView) -> None:
    """Posts the round's announcement in the group (from a command there, or from the
    facilitator's private "qualities early" button); refused before posting when a round
    is open."""
    await qualities.require_no_round(turn.unit, community.id)

    async def record(unit: Unit, sent: Message) -> None:
        await qualities.start_round(unit, community.id, sent.chat_id, sent.message_id)

    group_tr = turn.tr if turn.in_group else turn.context.services.catalogs.get(community.language)
    await turn.send(
        community.chat_id,
        quality_texts.round_posted(group_tr, turn.context.bot.username or ""),
        private_link(group_tr, turn.context.bot.username, Start.QUALITIES, community.id),
        record=record,
    )


@opens(Start.QUALITIES)
async def _open_part(turn: Turn, community: CommunityView, member: MemberView) -> None:
    """The round's link was tapped: the member's part begins (or goes on) privately."""
    await _my_part(turn, community, member)


@button(Button.QUALITIES_EARLY)
async def early_pressed(turn: Turn) -> None:
    """ "Name qualities early": a facilitator starts the quality round from the prompt."""
    (community_id,) = turn.pressed(int)
    if turn.in_group:
        community, member = turn.require_community(), turn.require_member()
    else:
        community, member = await turn.pair_for(community_id)
    if not member.is_facilitator:
        raise NotAllowed("facilitator_only")
    await _start_round(turn, community)
    await turn.answer()
    await turn.remove_buttons()
    if not turn.in_group:
        await turn.reply(quality_texts.round_started_in_group(turn.tr, community.name))


@button(Button.QUALITY_PART)
async def part_pressed(turn: Turn) -> None:
    """The button under a quality round's private reminder: the member's part begins."""
    (community_id,) = turn.pressed(int)
    community, member = await turn.pair_for(community_id)
    await turn.answer()
    await _my_part(turn, community, member)


async def _stats(turn: Turn, rows: list[StatRow]) -> None:
    await turn.reply(quality_texts.stats(turn.tr, rows))
    if not rows:
        return
    labels = quality_texts.chart_labels(turn.tr)
    shown = rows[:60]
    png = await off_loop(  # drawing is CPU work: off the event loop
        grouped_bars_png,
        title=labels["title"],
        labels=[f"{r.member}: {r.quality}" for r in shown],
        series=[
            (labels["named"], [r.named for r in shown]),
            (labels["used"], [r.used for r in shown]),
        ],
    )
    await turn.send_file(png, "qualities.png", photo=True)


# ------------------------------------------------------------ the private round


async def _show(turn: Turn, outcome: RoundTurn | None, *, quote: bool = False) -> None:
    """Renders a step's result: the next question (remembered as the step's prompt) or the end."""
    if outcome is None:
        return
    if isinstance(outcome, RoundEnd):
        await turn.reply(quality_texts.round_end(turn.tr, outcome), quote=quote)
        return
    text = quality_texts.round_question(turn.tr, outcome)
    await turn.reply(
        text, _round_keyboard(turn.tr, outcome), quote=False, record=attach(outcome.flow)
    )


def _round_keyboard(tr: Translator, question: RoundQuestion) -> InlineKeyboardMarkup:
    labels = quality_texts.round_labels(tr)
    flow, step = question.flow.flow_id, question.step.value

    def press(action: str) -> tuple[Button, int, str, str]:
        return (Button.QUALITY_ROUND, flow, step, action)

    stop = (labels["stop"], press(qualities.STOP))
    if question.step is RoundStep.QUALITY:
        offered = [
            [(s[:40], press(qualities.suggestion_action(i)))]
            for i, s in enumerate(question.suggestions)
        ]
        return keyboard(*offered, [(labels["title"], press(qualities.NEXT)), stop])
    if question.step is RoundStep.EXAMPLE:
        return keyboard([stop])
    return keyboard([(labels["skip"], press(qualities.SKIP)), stop])


@button(Button.QUALITY_ROUND)
async def round_pressed(turn: Turn) -> None:
    """Suggestion, title, skip or stop in the private quality round."""
    flow_id, step, action = turn.pressed(int, str, str)
    outcome = await qualities.round_pressed(
        turn.unit, flow_id, turn.require_person().user_id, step, action
    )
    await turn.answer()
    await turn.remove_buttons()
    await _show(turn, outcome)


@continues(FlowKind.QUALITIES)
async def round_replied(turn: Turn, state: FlowState, text: str) -> None:
    """A reply in the round: a quality (with example), an example, or a title."""
    community, member = await turn.pair_for(state.community_id)
    outcome = await qualities.round_replied(turn.unit, state, member, text)
    if isinstance(outcome, Draft):
        await _submit(turn, community, member, outcome)
    else:
        await _show(turn, outcome)


async def _submit(turn: Turn, community: CommunityView, member: MemberView, draft: Draft) -> None:
    await submit(turn, community, member, draft.text, draft.release, draft.data)


@released(Release.NOMINATION)
async def save_nomination(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """Stores a nomination (after the intake guard); in the round, asks the next question."""
    saved = await qualities.save_nomination(
        turn.unit, community.id, member, turn.require_person().user_id, text, data
    )
    await turn.reply(
        quality_texts.quality_saved(turn.tr, saved.quality, saved.nominee, saved.new), quote=False
    )
    if saved.own:
        await turn.reply(quality_texts.self_noted(turn.tr), quote=False)
    if saved.progress is not None:  # one more took part: the announcement says so
        await _show_progress(turn, community, saved.progress)
    await _show(turn, saved.next)


async def _show_progress(turn: Turn, community: CommunityView, progress: RoundProgress) -> None:
    """The round's announcement is its one status message, edited in place (in the
    group's language, its link kept)."""
    group_tr = turn.context.services.catalogs.get(community.language)
    username = turn.context.bot.username
    text = quality_texts.round_posted(group_tr, username or "", progress)
    link = private_link(group_tr, username, Start.QUALITIES, community.id)
    await turn.edit_at(progress.chat_id, progress.message_id, text, link)


# ------------------------------------------------------------------ /nominate


@command("nominate")
async def nominate_command(turn: Turn) -> None:
    """Name a colleague's quality any time: as a reply to their message, or pick them."""
    community, member = await turn.here()
    replied = turn.message.reply_to_message if turn.message else None
    if turn.in_group and replied is not None and replied.from_user and not replied.from_user.is_bot:
        nominee = await qualities.nominee_of_user(turn.unit, community.id, replied.from_user.id)
        await _ask_nomination(turn, community, member, nominee)
        return
    others = await membership.list_members(turn.unit, community.id)
    await turn.reply(
        quality_texts.choose_member(turn.tr),
        keyboard(*[[(m.name[:40], (Button.NOMINATE, m.id))] for m in others]),
    )


@button(Button.NOMINATE)
async def nominate_pressed(turn: Turn) -> None:
    """A colleague picked for /nominate: ask for their quality."""
    (nominee_id,) = turn.pressed(int)
    community, member = await turn.here()
    nominee = await membership.member_by_id(turn.unit, community.id, nominee_id)
    await turn.answer()
    await _ask_nomination(turn, community, member, nominee)


async def _ask_nomination(
    turn: Turn, community: CommunityView, member: MemberView, nominee: MemberView
) -> None:
    await turn.reply(
        quality_texts.ask_nomination(turn.tr, nominee.name),
        ForceReply(selective=True),
        record=remembers(
            community.id, PromptKind.NOMINATE, data={"nominee": nominee.id, "member_id": member.id}
        ),
    )


@answers(PromptKind.NOMINATE)
async def nomination_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """The quality and example, from whoever asked; screened by the guard, then saved."""
    community, member = await turn.here()
    await _submit(turn, community, member, qualities.read_nomination(prompt, member, text))


# ------------------------------------------------------------------ /profile


@command("profile")
async def profile_command(turn: Turn) -> None:
    """Your own profile (with hide buttons), or a member's: /profile @name."""
    community, member = await turn.here()
    args = args_of(turn)
    view = await qualities.profile_of(turn.unit, community.id, member, args[0] if args else None)
    own = view.member_id == member.id
    rows = [
        [(quality_texts.hide_label(turn.tr, n, hidden), (Button.HIDE, nid, "s" if hidden else "h"))]
        for n, (nid, _q, _e, hidden, _s) in enumerate(view.nominations, start=1)
    ]
    markup = keyboard(*rows) if own and rows else None
    await turn.reply(quality_texts.profile(turn.tr, view, own=own), markup)


@button(Button.HIDE)
async def hide_pressed(turn: Turn) -> None:
    """Hide ("h") or show ("s") a nomination about oneself in the group view."""
    nomination_id, choice = turn.pressed(int, str)
    if choice not in ("h", "s"):
        raise StaleAction("stale_button")
    community, member = await turn.here()
    await qualities.set_hidden(turn.unit, community.id, member, nomination_id, choice == "h")
    await turn.answer(quality_texts.hidden_set(turn.tr, choice == "h"))


# ------------------------------------------------------------------ /used


@command("used")
async def used_command(turn: Turn) -> None:
    """/used @name quality: situation, or /used alone for the "using qualities" form."""
    community, member = await turn.here()
    text = turn.message.text if turn.message and turn.message.text else ""
    body = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    if body.strip():
        draft = await qualities.read_use(turn.unit, community.id, member, body)
        await _submit(turn, community, member, draft)
        return
    await turn.reply(
        quality_texts.ask_use(turn.tr),
        ForceReply(selective=True),
        record=remembers(community.id, PromptKind.USED, data={"member_id": member.id}),
    )


@answers(PromptKind.USED, PromptKind.USING)
async def used_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the /used form (its asker only) or to the group's "using qualities" prompt."""
    community, member = await turn.here()
    draft = await qualities.read_use(turn.unit, community.id, member, text, prompt)
    await _submit(turn, community, member, draft)


@released(Release.USE)
async def save_use(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """Stores a "using qualities" situation (after the intake guard)."""
    saved = await qualities.save_use(turn.unit, community.id, member, text, data)
    await turn.acknowledge(quality_texts.use_saved(turn.tr, saved.quality, saved.whose))
