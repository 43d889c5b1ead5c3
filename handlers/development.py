"""/development: how the practice issue developed per meeting, as a table and a chart."""

from __future__ import annotations

from collections.abc import Sequence

from bot.render.charts import stacked_shares_png
from bot.render.offload import off_loop
from bot.services import development
from bot.services.development import PeriodShares
from bot.texts import development as development_texts
from handlers.base import Turn, command


@command("development")
async def development_command(turn: Turn) -> None:
    """The share of each code combination per meeting, as a table and a chart."""
    community = turn.require_community()
    rows = await development.development(turn.unit, community.id)
    await turn.reply(development_texts.development(turn.tr, rows))
    if rows:
        png = await _chart(turn, rows)
        await turn.send_file(png, "development.png", photo=True)


async def _chart(turn: Turn, rows: Sequence[PeriodShares]) -> bytes:
    labels = development_texts.chart_labels(turn.tr)
    return await off_loop(
        stacked_shares_png,
        title=labels["title"],
        categories=[str(r.meeting_number) if r.meeting_number else "\u2013" for r in rows],
        series=[
            (labels[code], [float(r.percent[code]) for r in rows]) for code in development.ORDER
        ],
    )
