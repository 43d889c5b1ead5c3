"""Literature insights: /insight, /reading, and replies to the literature prompt."""

from __future__ import annotations

from typing import Any

from telegram import ForceReply

from bot.errors import StaleAction
from bot.render.callbacks import Button, as_int
from bot.services import flows, literature
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Release
from bot.services.literature import Source
from bot.services.prompts import PromptKind, PromptView
from bot.services.values import CommunityView, MemberView
from bot.texts import qualities as quality_texts
from handlers.base import Turn, answers, button, command, continues, released, submit
from handlers.keyboards import keyboard

KIND = FlowKind.INSIGHT


@command("insight")
async def insight_command(turn: Turn) -> None:
    """/insight [source]: then your insight, then what it means for practice."""
    community, member = await turn.here()
    text = turn.message.text if turn.message and turn.message.text else ""
    body = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    await start(turn, community, member, body)


async def start(
    turn: Turn,
    community: CommunityView,
    member: MemberView,
    source_text: str,
    source_id: int | None = None,
) -> None:
    person = turn.require_person()
    data: dict[str, Any] = {"source_id": source_id}
    step = "source"
    if source_id is not None:
        data["source"] = (
            await literature.source_of(turn.unit, community.id, source_id)
        ).model_dump()
        step = "insight"
    elif source_text.strip():
        data["source"] = literature.parse_source(source_text).model_dump()
        step = "insight"
    state = await flows.start(
        turn.unit,
        kind=KIND,
        chat_id=turn.chat.id,
        user_id=person.user_id,
        step=step,
        community_id=community.id,
        data=data,
    )
    await _ask(turn, state)


async def _ask(turn: Turn, state: FlowState) -> None:
    if state.step == "source":
        text = quality_texts.ask_source(turn.tr)
    elif state.step == "insight":
        text = quality_texts.ask_insight(turn.tr, Source.model_validate(state.data["source"]))
    else:
        text = quality_texts.ask_practice(turn.tr)
    message = await turn.reply(text, ForceReply(selective=True))
    await flows.attach_prompt(turn.unit, state, message.chat_id, message.message_id)


@continues(FlowKind.INSIGHT)
async def replied(turn: Turn, state: FlowState, text: str) -> None:
    """One answer of the /insight dialogue; the last one stores everything at once."""
    community, member = await turn.pair_for(state.community_id)
    data = dict(state.data)
    if state.step == "source":
        data["source"] = literature.parse_source(text).model_dump()
        await _ask(turn, await flows.advance(turn.unit, state, "insight", data))
    elif state.step == "insight":
        data["insight"] = text
        await _ask(turn, await flows.advance(turn.unit, state, "practice", data))
    else:
        await flows.end(turn.unit, state)
        await submit(
            turn,
            community,
            member,
            f"{data['insight']}\n{text}",
            Release.INSIGHT,
            {**data, "practice": text},
        )


@released(Release.INSIGHT)
async def save_insight(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """Stores the insight (after the intake guard, which saw insight and practice together)."""
    insight, _, practice = text.partition("\n")
    source = Source.model_validate(data["source"])
    await literature.save(
        turn.unit,
        community.id,
        member,
        source,
        insight,
        practice or str(data.get("practice", "")),
        source_id=data.get("source_id"),
    )
    await turn.reply(quality_texts.insight_saved(turn.tr, source))


@command("reading")
async def reading_command(turn: Turn) -> None:
    """The reading list, newest first, grouped by source; add your own insight to one."""
    community, _member = await turn.here()
    items = await literature.reading_list(turn.unit, community.id)
    markup = (
        keyboard(
            *[
                [
                    (
                        quality_texts.add_insight_label(turn.tr, n),
                        (Button.READING_ADD, item.source_id),
                    )
                ]
                for n, item in enumerate(items[:20], start=1)
            ]
        )
        if items
        else None
    )
    await turn.reply(quality_texts.reading(turn.tr, items[:20]), markup)


@button(Button.READING_ADD)
async def add_pressed(turn: Turn) -> None:
    _, ref = turn.button(2)
    source_id = as_int(ref)
    if source_id is None:
        raise StaleAction("stale_button")
    community, member = await turn.here()
    await turn.answer()
    await start(turn, community, member, "", source_id=source_id)


@answers(PromptKind.LITERATURE)
async def prompt_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the literature prompt names the source; the dialogue asks the rest."""
    community, member = await turn.here()
    await start(turn, community, member, text)
