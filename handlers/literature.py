"""Literature insights: /insight, /reading, and replies to the literature prompt.

The /insight dialogue's steps live in `bot.services.literature`; here each answer is
handed to one step there and its next question (or the finished insight) rendered.
"""

from __future__ import annotations

from typing import Any

from telegram import ForceReply

from bot.render.callbacks import Button
from bot.services import literature
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Draft, Release
from bot.services.literature import InsightQuestion
from bot.services.prompts import PromptKind, PromptView
from bot.services.values import CommunityView, MemberView
from bot.texts import literature as literature_texts
from handlers.base import Turn, answers, attach, button, command, continues, released, submit
from handlers.keyboards import keyboard


@command("insight")
async def insight_command(turn: Turn) -> None:
    """/insight [source]: then your insight, then what it means for practice."""
    text = turn.message.text if turn.message and turn.message.text else ""
    body = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    community, _member = await turn.here()
    await _begin(turn, community, source_text=body)


async def _begin(
    turn: Turn, community: CommunityView, *, source_text: str = "", source_id: int | None = None
) -> None:
    asked = await literature.begin_insight(
        turn.unit,
        community.id,
        chat_id=turn.chat.id,
        user_id=turn.require_person().user_id,
        source_text=source_text,
        source_id=source_id,
    )
    await _ask(turn, asked)


async def _ask(turn: Turn, asked: InsightQuestion) -> None:
    await turn.reply(
        literature_texts.question(turn.tr, asked),
        ForceReply(selective=True),
        record=attach(asked.flow),
    )


@continues(FlowKind.INSIGHT)
async def replied(turn: Turn, state: FlowState, text: str) -> None:
    """One answer of the /insight dialogue; the last one sends everything to the guard."""
    community, member = await turn.pair_for(state.community_id)
    outcome = await literature.insight_replied(turn.unit, state, text)
    if isinstance(outcome, Draft):
        await submit(turn, community, member, outcome.text, outcome.release, outcome.data)
    else:
        await _ask(turn, outcome)


@released(Release.INSIGHT)
async def save_insight(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    """Stores the insight (after the intake guard, which saw insight and practice together)."""
    source = await literature.save_insight(turn.unit, community.id, member, text, data)
    await turn.acknowledge(literature_texts.insight_saved(turn.tr, source))


@command("reading")
async def reading_command(turn: Turn) -> None:
    """The reading list, newest first, grouped by source; add your own insight to one."""
    community, _member = await turn.here()
    items = (await literature.reading_list(turn.unit, community.id))[:20]
    rows = [
        [(literature_texts.add_insight_label(turn.tr, n), (Button.READING_ADD, item.source_id))]
        for n, item in enumerate(items, start=1)
    ]
    await turn.reply(literature_texts.reading(turn.tr, items), keyboard(*rows) if rows else None)


@button(Button.READING_ADD)
async def add_pressed(turn: Turn) -> None:
    """ "+ insight n" on the reading list: the dialogue, with that source given."""
    (source_id,) = turn.pressed(int)
    community, _member = await turn.here()
    await turn.answer()
    await _begin(turn, community, source_id=source_id)


@answers(PromptKind.LITERATURE)
async def prompt_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to the literature prompt names the source; the dialogue asks the rest."""
    community, _member = await turn.here()
    await _begin(turn, community, source_text=text)
