"""/agreement: coders see how far the first and second codes agree, and resolve the rest."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.render.callbacks import Button
from bot.services import agreement
from bot.texts import agreement as agreement_texts
from handlers.base import Turn, button, command
from handlers.keyboards import keyboard


@command("agreement")
async def agreement_command(turn: Turn) -> None:
    """Per code book: double-coded, % agreement, alpha; each disagreement with buttons."""
    community, member = await turn.here()
    reports = await agreement.report(turn.unit, community.id, member)
    for report in reports:
        await turn.reply(agreement_texts.report(turn.tr, report), quote=False)
        for item in report.open:
            await turn.reply(
                agreement_texts.disagreement(turn.tr, item, ZoneInfo(community.timezone)),
                keyboard(
                    *[
                        [
                            (
                                agreement_texts.resolve_label(turn.tr, combo),
                                (Button.RESOLVE, item.item.contribution_id, combo),
                            )
                        ]
                        for combo in (item.first, item.second)
                    ]
                ),
                quote=False,
            )


@button(Button.RESOLVE)
async def resolve_pressed(turn: Turn) -> None:
    """Resolves a disagreement as the pressed code; the buttons go."""
    contribution_id, combo = turn.pressed(int, str)
    community, member = await turn.here()
    chosen = await agreement.resolve(turn.unit, community.id, member, contribution_id, combo)
    await turn.answer(agreement_texts.resolve_label(turn.tr, chosen))
    await turn.edit_pressed(agreement_texts.resolved(turn.tr, chosen), None)
