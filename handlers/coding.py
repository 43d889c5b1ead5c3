"""/code: facilitators code contributions privately on the code book's two axes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message

from bot.render.callbacks import Button
from bot.services import coding
from bot.services.coding import CodingItem
from bot.texts import agreement as agreement_texts
from bot.texts import coding as coding_texts
from handlers.base import Turn, button, command, keyword_args
from handlers.keyboards import keyboard


@command("code")
async def code_command(turn: Turn) -> None:
    """Facilitators code contributions privately: /code (uncoded) or /code all."""
    community, member = await turn.here()
    word = keyword_args(turn, "all", "second")[:1]
    if word == ["second"]:
        await _second(turn)
        return
    coded_too = word == ["all"]
    items, uncoded = await coding.items(turn.unit, community.id, member, coded_too=coded_too)
    await turn.reply(coding_texts.code_book(turn.tr), quote=False)
    for item in items:
        await turn.reply(
            coding_texts.coding_item(turn.tr, item, ZoneInfo(community.timezone)),
            _code_keyboard(turn, item.contribution_id),
            quote=False,
        )
    await turn.reply(coding_texts.coding_summary(turn.tr, len(items), uncoded), quote=False)


async def _second(turn: Turn) -> None:
    """/code second: a blind sample of the coded contributions for a second coder."""
    community, member = await turn.here()
    items, left, size = await coding.second_items(turn.unit, community.id, member)
    await turn.reply(coding_texts.code_book(turn.tr), quote=False)
    for item in items:
        await turn.reply(
            coding_texts.coding_item(turn.tr, item, ZoneInfo(community.timezone)),
            _code_keyboard(turn, item.contribution_id, Button.CODE_SECOND),
            quote=False,
        )
    await turn.reply(agreement_texts.second_summary(turn.tr, left, size), quote=False)


def _code_keyboard(
    turn: Turn, contribution_id: int, kind: Button = Button.CODE
) -> InlineKeyboardMarkup:
    labels = coding_texts.code_labels(turn.tr)
    return keyboard(
        *[
            [(labels[combo], (kind, contribution_id, combo)) for combo in row]
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
            message,
            coding_texts.coding_item(turn.tr, item, ZoneInfo(community.timezone)),
            _code_keyboard(turn, contribution_id),
        )


@button(Button.CODE_SECOND)
async def code_second_pressed(turn: Turn) -> None:
    """A second coder's code: the message shows it; the first code stays hidden."""
    contribution_id, combo = turn.pressed(int, str)
    community, member = await turn.here()
    item = await coding.code_second(turn.unit, community.id, member, contribution_id, combo)
    await turn.answer(coding_texts.code_labels(turn.tr)[combo])
    message = turn.query.message if turn.query else None
    if isinstance(message, Message):
        await turn.edit(
            message,
            coding_texts.coding_item(turn.tr, item, ZoneInfo(community.timezone)),
            _code_keyboard(turn, contribution_id, Button.CODE_SECOND),
        )
