"""Qualities: the private quality round, /nominate, /profile, /used, /qualities."""

from __future__ import annotations

from typing import Any

from telegram import ForceReply, InputFile

from bot.errors import InvalidInput, NotAllowed, NotFound, StaleAction
from bot.render.callbacks import Button, as_int
from bot.render.charts import grouped_bars_png
from bot.services import flows, membership, prompts, qualities
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.values import CommunityView, MemberView
from bot.texts import qualities as quality_texts
from handlers.base import (
    Turn,
    answers,
    args_of,
    button,
    command,
    continues,
    released,
    submit,
)
from handlers.keyboards import keyboard

KIND = FlowKind.QUALITIES


@command("qualities")
async def qualities_command(turn: Turn) -> None:
    """Group: start (/qualities), close, stats, merge. Private: do your part of the round."""
    community, member = await turn.here()
    args = args_of(turn)
    action = args[0].lower() if args else ""
    if not turn.in_group:
        await _my_part(turn, community, member)
        return
    if action == "stats":
        await _stats(turn, community)
        return
    if not member.is_facilitator:
        raise NotAllowed("facilitator_only")
    if action == "close":
        await qualities.close_round(turn.unit, community.id)
        views = [
            await qualities.profile(turn.unit, community.id, member, m.id)
            for m in await membership.list_members(turn.unit, community.id)
        ]
        await turn.reply(quality_texts.round_closed(turn.tr, views))
    elif action == "merge":
        old, _, new = " ".join(args[1:]).partition("=")
        if not old.strip() or not new.strip():
            raise InvalidInput(quality_texts.qualities_usage(turn.tr))
        count = await qualities.merge(turn.unit, community.id, old, new)
        await turn.reply(quality_texts.merged(turn.tr, count))
    elif not action:
        await qualities.require_no_round(turn.unit, community.id)
        message = await turn.reply(
            quality_texts.round_posted(turn.tr, turn.context.bot.username or ""), quote=False
        )
        await qualities.start_round(turn.unit, community.id, message.chat_id, message.message_id)
    else:
        raise InvalidInput(quality_texts.qualities_usage(turn.tr))


async def _stats(turn: Turn, community: CommunityView) -> None:
    rows = await qualities.stats(turn.unit, community.id)
    await turn.reply(quality_texts.stats(turn.tr, rows))
    if rows:
        labels = quality_texts.chart_labels(turn.tr)
        png = grouped_bars_png(
            title=labels["title"],
            labels=[f"{r.member}: {r.quality}" for r in rows[:60]],
            series=[
                (labels["named"], [r.named for r in rows[:60]]),
                (labels["used"], [r.used for r in rows[:60]]),
            ],
        )
        await turn.context.bot.send_photo(turn.chat.id, InputFile(png, filename="qualities.png"))


# ------------------------------------------------------------ the private round


async def _my_part(turn: Turn, community: CommunityView, member: MemberView) -> None:
    round_id = await qualities.open_round(turn.unit, community.id)
    if round_id is None:
        await turn.reply(quality_texts.no_round(turn.tr))
        return
    done = await qualities.done_in_round(turn.unit, community.id, member, round_id)
    others = [
        m.id
        for m in await membership.list_members(turn.unit, community.id)
        if m.id != member.id and m.id not in done
    ]
    if not others:
        await turn.reply(
            quality_texts.round_finished(turn.tr) if done else quality_texts.nobody_else(turn.tr)
        )
        return
    person = turn.require_person()
    state = await flows.start(
        turn.unit,
        kind=KIND,
        chat_id=turn.chat.id,
        user_id=person.user_id,
        step="quality",
        community_id=community.id,
        data={
            "round": round_id,
            "queue": others,
            "index": 0,
            "total": len(others) + len(done),
            "done": len(done),
            "again": False,
        },
    )
    await _ask(turn, state)


async def _ask(turn: Turn, state: FlowState) -> None:
    community, _member = await turn.pair_for(state.community_id)
    data = state.data
    if data["index"] >= len(data["queue"]):
        await flows.end(turn.unit, state)
        await turn.reply(quality_texts.round_finished(turn.tr), quote=False)
        return
    nominee = await membership.member_by_id(turn.unit, community.id, data["queue"][data["index"]])
    labels = quality_texts.round_labels(turn.tr)
    flow, step = state.flow_id, state.step
    stop = (labels["stop"], (Button.QUALITY_ROUND, flow, step, "stop"))
    if step == "quality":
        suggestions = (await qualities.suggestions(turn.unit, community.id))[:4]
        state = await flows.advance(turn.unit, state, step, {**data, "suggestions": suggestions})
        progress = quality_texts.progress(turn.tr, data["done"] + data["index"] + 1, data["total"])
        text = quality_texts.ask_quality(
            turn.tr, nominee.name, again=data["again"], progress=progress
        )
        markup = keyboard(
            *[
                [(s[:40], (Button.QUALITY_ROUND, flow, step, f"s{i}"))]
                for i, s in enumerate(suggestions)
            ],
            [(labels["title"], (Button.QUALITY_ROUND, flow, step, "next")), stop],
        )
    elif step == "example":
        text = quality_texts.ask_example(turn.tr, data["pending"], nominee.name)
        markup = keyboard([stop])
    else:
        text = quality_texts.ask_title(turn.tr, nominee.name)
        markup = keyboard([(labels["skip"], (Button.QUALITY_ROUND, flow, step, "skip")), stop])
    message = await turn.reply(text, markup, quote=False)
    await flows.attach_prompt(turn.unit, state, message.chat_id, message.message_id)


@button(Button.QUALITY_ROUND)
async def round_pressed(turn: Turn) -> None:
    """Suggestion, title, skip or stop in the private quality round."""
    _, flow_ref, step, action = turn.button(4)
    flow_id = as_int(flow_ref)
    if flow_id is None:
        raise StaleAction("stale_button")
    person = turn.require_person()
    state = await flows.current(turn.unit, flow_id, person.user_id, KIND, step)
    await turn.answer()
    if turn.query and turn.query.message:
        await turn.query.message.edit_reply_markup(None)
    data = state.data
    if action == "stop":
        await flows.end(turn.unit, state)
        await turn.reply(quality_texts.round_paused(turn.tr), quote=False)
    elif action.startswith("s") and as_int(action[1:]) is not None:
        suggestions = data.get("suggestions", [])
        index = int(action[1:])
        if index >= len(suggestions):
            raise StaleAction("stale_button")
        await _ask(
            turn,
            await flows.advance(
                turn.unit, state, "example", {**data, "pending": suggestions[index]}
            ),
        )
    elif action == "next":
        await _ask(turn, await flows.advance(turn.unit, state, "title", data))
    elif action == "skip":
        await _ask(
            turn,
            await flows.advance(
                turn.unit, state, "quality", {**data, "index": data["index"] + 1, "again": False}
            ),
        )
    else:
        raise StaleAction("stale_button")


@continues(FlowKind.QUALITIES)
async def round_replied(turn: Turn, state: FlowState, text: str) -> None:
    """A reply in the round: a quality (with example), an example, or a title."""
    community, member = await turn.pair_for(state.community_id)
    data = state.data
    nominee_id = data["queue"][data["index"]]
    if state.step == "title":
        await qualities.propose_title(turn.unit, community.id, member, nominee_id, text)
        await _ask(
            turn,
            await flows.advance(
                turn.unit, state, "quality", {**data, "index": data["index"] + 1, "again": False}
            ),
        )
        return
    if state.step == "example":
        quality, example = data["pending"], text
    else:
        quality, example = qualities.split_quality(text)
        qualities.check_quality(quality)
        if not example:
            await _ask(
                turn, await flows.advance(turn.unit, state, "example", {**data, "pending": quality})
            )
            return
    await submit(
        turn,
        community,
        member,
        example,
        Release.NOMINATION,
        {"nominee": nominee_id, "quality": quality, "round": data["round"], "flow": state.flow_id},
    )


@released(Release.NOMINATION)
async def save_nomination(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """Stores a nomination (after the intake guard); in the round, asks the next question."""
    nomination_id, new = await qualities.nominate(
        turn.unit,
        community.id,
        member,
        int(data["nominee"]),
        str(data["quality"]),
        text,
        round_id=data.get("round"),
    )
    nominee = await membership.member_by_id(turn.unit, community.id, int(data["nominee"]))
    del nomination_id
    await turn.reply(
        quality_texts.quality_saved(turn.tr, str(data["quality"]), nominee.name, new), quote=False
    )
    if nominee.id == member.id:
        await turn.reply(quality_texts.self_noted(turn.tr), quote=False)
    flow_id = data.get("flow")
    if flow_id:
        person = turn.require_person()
        flow = await flows.find(turn.unit, int(flow_id), person.user_id, KIND)
        if flow is not None:
            await _ask(
                turn, await flows.advance(turn.unit, flow, "quality", {**flow.data, "again": True})
            )


# ------------------------------------------------------------------ /nominate


@command("nominate")
async def nominate_command(turn: Turn) -> None:
    """Name a colleague's quality any time: as a reply to their message, or pick them."""
    community, member = await turn.here()
    replied = turn.message.reply_to_message if turn.message else None
    if turn.in_group and replied is not None and replied.from_user and not replied.from_user.is_bot:
        nominee = await membership.member_of(turn.unit, community.id, replied.from_user.id)
        if nominee is None:
            raise NotFound(quality_texts_not_member())
        await _ask_nomination(turn, community, member, nominee)
        return
    others = await membership.list_members(turn.unit, community.id)
    await turn.reply(
        quality_texts.choose_member(turn.tr),
        keyboard(*[[(m.name[:40], (Button.NOMINATE, m.id))] for m in others]),
    )


def quality_texts_not_member() -> str:
    from bot.i18n import N_

    return N_("That person is not a member of this CoP (any more).")


@button(Button.NOMINATE)
async def nominate_pressed(turn: Turn) -> None:
    _, ref = turn.button(2)
    nominee_id = as_int(ref)
    if nominee_id is None:
        raise StaleAction("stale_button")
    community, member = await turn.here()
    nominee = await membership.member_by_id(turn.unit, community.id, nominee_id)
    await turn.answer()
    await _ask_nomination(turn, community, member, nominee)


async def _ask_nomination(
    turn: Turn, community: CommunityView, member: MemberView, nominee: MemberView
) -> None:
    question = await turn.reply(
        quality_texts.ask_nomination(turn.tr, nominee.name), ForceReply(selective=True)
    )
    await prompts.remember(
        turn.unit,
        community.id,
        question.chat_id,
        question.message_id,
        PromptKind.NOMINATE,
        data={"nominee": nominee.id, "member_id": member.id},
    )


@answers(PromptKind.NOMINATE)
async def nomination_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    community, member = await turn.here()
    if prompt.data.get("member_id") != member.id:
        raise NotAllowed("not_your_flow")
    quality, example = qualities.split_quality(text)
    qualities.check_quality(quality)
    await submit(
        turn,
        community,
        member,
        example,
        Release.NOMINATION,
        {"nominee": int(prompt.data["nominee"]), "quality": quality},
    )


# ------------------------------------------------------------------ /profile


@command("profile")
async def profile_command(turn: Turn) -> None:
    """Your own profile (with hide buttons), or a member's: /profile @name."""
    community, member = await turn.here()
    args = args_of(turn)
    target = member
    if args:
        found = await membership.member_by_username(turn.unit, community.id, args[0])
        if found is None:
            raise NotFound(quality_texts_not_member())
        target = found
    view = await qualities.profile(turn.unit, community.id, member, target.id)
    own = target.id == member.id
    markup = (
        keyboard(
            *[
                [
                    (
                        quality_texts.hide_label(turn.tr, n, hidden),
                        (Button.HIDE, nid, "s" if hidden else "h"),
                    )
                ]
                for n, (nid, _q, _e, hidden, _s) in enumerate(view.nominations, start=1)
            ]
        )
        if own and view.nominations
        else None
    )
    await turn.reply(quality_texts.profile(turn.tr, view, own=own), markup)


@button(Button.HIDE)
async def hide_pressed(turn: Turn) -> None:
    _, ref, choice = turn.button(3)
    nomination_id = as_int(ref)
    if nomination_id is None or choice not in ("h", "s"):
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
        await log_use(turn, community, member, body)
        return
    question = await turn.reply(quality_texts.ask_use(turn.tr), ForceReply(selective=True))
    await prompts.remember(
        turn.unit,
        community.id,
        question.chat_id,
        question.message_id,
        PromptKind.USED,
        data={"member_id": member.id},
    )


@answers(PromptKind.USED, PromptKind.USING)
async def used_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    community, member = await turn.here()
    if prompt.kind == PromptKind.USED and prompt.data.get("member_id") != member.id:
        raise NotAllowed("not_your_flow")
    await log_use(turn, community, member, text)


async def log_use(turn: Turn, community: CommunityView, member: MemberView, text: str) -> None:
    whose = member
    words = text.split(maxsplit=1)
    if words and words[0].startswith("@"):
        found = await membership.member_by_username(turn.unit, community.id, words[0])
        if found is None:
            raise NotFound(quality_texts_not_member())
        whose = found
        text = words[1] if len(words) > 1 else ""
    quality, situation = qualities.split_quality(text)
    qualities.check_quality(quality)
    await submit(
        turn,
        community,
        member,
        situation or quality,
        Release.USE,
        {"whose": whose.id, "quality": quality},
    )


@released(Release.USE)
async def save_use(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    await qualities.log_use(
        turn.unit, community.id, member, int(data["whose"]), str(data["quality"]), text
    )
    whose = await membership.member_by_id(turn.unit, community.id, int(data["whose"]))
    await turn.reply(quality_texts.use_saved(turn.tr, str(data["quality"]), whose.name))
