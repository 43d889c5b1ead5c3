"""Commands the bot does not know."""

from __future__ import annotations

from bot.texts import common as texts
from handlers.base import Turn, turn_callback


@turn_callback
async def unknown_command(turn: Turn) -> None:
    """Answers in private; in a group only when the command was addressed to this bot.

    A bare `/foo` in a group may belong to another bot there, so Telegram's convention
    is to stay quiet.
    """
    text = turn.message.text if turn.message and turn.message.text else ""
    word = text.split()[0] if text.split() else "/"
    name, _, addressee = word.partition("@")
    if turn.in_group and addressee.lower() != (turn.context.bot.username or "").lower():
        return
    await turn.reply(texts.unknown_command(turn.tr, name[:64]))
