"""What the bot says around the collection document, sharing and the portfolio."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.mine import OwnItem


def building(tr: Translator, team: bool) -> str:
    _ = tr.gettext
    return (
        _("Building the team version of the collection document\u2026")
        if team
        else _("Building the collection document\u2026")
    )


def busy(tr: Translator) -> str:
    return tr.gettext(
        "A document for this CoP is being built right now; please try again in a minute."
    )


def ready(tr: Translator, team: bool) -> str:
    _ = tr.gettext
    return (
        _("The team version: only what members marked shareable, names only where people agreed.")
        if team
        else _(
            "The collection document of the CoP (confidential). Open the .docx in Word, the "
            ".html in any browser; the .zip holds the Markdown with its charts."
        )
    )


def review_status(tr: Translator, reviewed: Sequence[str], waiting: Sequence[str]) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("Reviewed what they share: {names}."), names=", ".join(reviewed) or "\u2013"),
            fmt(
                _("Not yet reviewed: {names}. They can do so with /share."),
                names=", ".join(waiting) or "\u2013",
            ),
        ]
    )


def share_list(tr: Translator, items: Sequence[OwnItem], shared: set[int], named: bool) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(_("<b>What you share with the school team</b> (the team version of the document)")),
        fmt(
            _(
                "Your name in the team version: {state}. Change with /share name on or /share "
                "name off."
            ),
            state=_("yes") if named else _("no"),
        ),
    ]
    if not items:
        lines.append(fmt(_("You have no contributions that you could share.")))
    for index, item in enumerate(items, start=1):
        mark = "\U0001f7e2" if item.id in shared else "\U0001f512"
        lines.append(fmt("{mark} <b>{n}.</b> {text}", mark=mark, n=index, text=item.text[:200]))
    if items:
        lines.append(
            fmt(
                _(
                    "\U0001f7e2 shared with the team \u00b7 \U0001f512 stays in the CoP. "
                    "Press a number to change it."
                )
            )
        )
    return join_lines(lines)


def share_toggled(tr: Translator, shared: bool) -> str:
    _ = tr.gettext
    return _("Now shared with the team.") if shared else _("Now stays in the CoP.")


def name_set(tr: Translator, on: bool) -> str:
    _ = tr.gettext
    return (
        _("Your name may appear in the team version.")
        if on
        else _("Your name stays out of the team version.")
    )


def share_usage(tr: Translator) -> str:
    return tr.gettext("Use /share, /share name on or /share name off.")


def portfolio_ready(tr: Translator) -> str:
    return tr.gettext("Your personal record for your professional-development file.")


def format_usage(tr: Translator) -> str:
    return tr.gettext("Use /document, /document team, or add docx, md or html for one format.")
