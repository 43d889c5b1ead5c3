"""What the bot says while facilitators code contributions (/code): the code book."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.coding import CodingItem
from bot.services.when import format_date_local
from bot.texts.contributions_log import kind_name

CODES = {
    "ie": N_("individual / external"),
    "ii": N_("individual / internal"),
    "se": N_("shared / external"),
    "si": N_("shared / internal"),
    "x": N_("not about an issue"),
}


def code_book(tr: Translator) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("<b>Code book</b>")),
            fmt(
                _(
                    "<b>Individual issue</b>: about a personal situation in one's own "
                    "teaching practice."
                )
            ),
            fmt(
                _(
                    "<b>Shared issue</b>: about teaching practice and what the CoP can mean "
                    "for it, "
                    "aimed at the school."
                )
            ),
            fmt(
                _(
                    "<b>Internal attribution</b>: causes and solutions are seen within the "
                    "person and/or "
                    "the school: ability, effort, mood."
                )
            ),
            fmt(
                _(
                    "<b>External attribution</b>: causes and solutions are seen outside the "
                    "person and/or "
                    "the school: the difficulty of the task, luck, prejudice."
                )
            ),
        ]
    )


def coding_item(
    tr: Translator, item: CodingItem, tz: ZoneInfo, *, show_code: bool = True
) -> Markup:
    """One contribution as a facilitator reads it: its number in the list, what it is,
    who wrote it and when (never a database id)."""
    _ = tr.gettext
    meeting = fmt(" \u00b7 {m}", m=_("meeting {n}").format(n=item.meeting_number))
    code = tr.gettext(CODES[item.code]) if item.code else _("not coded yet")
    return join_lines(
        [
            fmt(
                "<b>{number}.</b> {kind} \u00b7 {author} \u00b7 {date}{meeting}",
                number=item.number,
                kind=kind_name(tr, item.kind),
                author=item.author,
                date=format_date_local(item.created_at, tz, tr.language),
                meeting=meeting if item.meeting_number else "",
            ),
            fmt("{text}", text=item.text[:1500]),
            *([fmt(_("Code: {code}"), code=code)] if show_code else []),
        ]
    )


def code_labels(tr: Translator) -> dict[str, str]:
    return {key: tr.gettext(label) for key, label in CODES.items()}


def coding_summary(tr: Translator, shown: int, uncoded: int) -> Markup:
    _ = tr.gettext
    if shown == 0:
        return fmt(_("Nothing to code: every contribution has a code. /code all shows them again."))
    return fmt(
        tr.ngettext(
            "{n} contribution still has no code.", "{n} contributions still have no code.", uncoded
        ),
        n=uncoded,
    )
