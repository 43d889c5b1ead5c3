"""What the bot says about the development of the practice issue (/development)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.development import ORDER, PeriodShares
from bot.texts.coding import CODES


def development(tr: Translator, rows: Sequence[PeriodShares]) -> Markup:
    _ = tr.gettext
    if not rows:
        return fmt(
            _(
                "There is no coded data yet. A facilitator codes contributions with /code "
                "in a private chat with me."
            )
        )
    header = [_("Meeting"), "I/E", "I/I", "S/E", "S/I", "n"]
    table = ["{:<8}{:>10}{:>10}{:>10}{:>10}{:>5}".format(*header)]
    for row in rows:
        label = str(row.meeting_number) if row.meeting_number else "\u2013"
        cells = [f"{row.percent[code]}% ({row.counts[code]})" for code in ORDER]
        table.append("{:<8}{:>10}{:>10}{:>10}{:>10}{:>5}".format(label, *cells, row.total))
    return join_lines(
        [
            fmt(_("<b>Development of the practice issue</b> (share per meeting)")),
            fmt("<pre>{table}</pre>", table="\n".join(table)),
            fmt(_("I = individual, S = shared issue; /E = external, /I = internal attribution.")),
            fmt(
                _(
                    "In brackets: how many contributions. Shares are rounded, so a row may "
                    "add up to 99% or 101%."
                )
            ),
        ]
    )


def chart_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "title": _("Development of the practice issue"),
        "meeting": _("Meeting"),
        **{code: tr.gettext(CODES[code]) for code in ORDER},
    }
