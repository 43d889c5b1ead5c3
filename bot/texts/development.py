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
    table = ["{:<12}{:>6}{:>6}{:>6}{:>6}{:>5}".format(*header)]
    for row in rows:
        label = str(row.meeting_number) if row.meeting_number else "\u2013"
        table.append(
            "{:<12}{:>5}%{:>5}%{:>5}%{:>5}%{:>5}".format(
                label, *(row.percent[code] for code in ORDER), row.total
            )
        )
    return join_lines(
        [
            fmt(_("<b>Development of the practice issue</b> (share per meeting)")),
            fmt("<pre>{table}</pre>", table="\n".join(table)),
            fmt(_("I = individual, S = shared issue; /E = external, /I = internal attribution.")),
        ]
    )


def chart_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "title": _("Development of the practice issue"),
        "meeting": _("Meeting"),
        **{code: tr.gettext(CODES[code]) for code in ORDER},
    }
