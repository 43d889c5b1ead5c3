"""/chair: who chairs the next meetings, and the rotating chair of a self-running CoP."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.services import chair
from bot.texts import chair as texts
from bot.texts import keywords
from handlers.base import Turn, command, keyword_args


@command("chair")
async def chair_command(turn: Turn) -> None:
    """/chair shows the rota; /chair rotate (or off) switches the rotating chair."""
    community = turn.require_community()
    args = keyword_args(turn, "rotate", *keywords.SWITCH)
    if len(args) > 1:
        raise chair.usage()
    if args:
        shown = await chair.set_mode(turn.unit, community.id, args[0])
    else:
        shown = await chair.rota(turn.unit, community.id)
    await turn.reply(texts.rota(turn.tr, shown, ZoneInfo(community.timezone)))
