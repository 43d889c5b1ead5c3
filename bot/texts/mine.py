"""What the bot says about a member's own contributions (/mine: see, edit, delete)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.mine import OwnItem
from bot.texts.contributions_log import kind_name

ERRORS = {
    "contribution_not_yours": N_("That contribution is not there any more, or it is not yours."),
    "contribution_group_owned": N_(
        "This belongs to the group now; ask a facilitator, or use /leave to remove "
        "your name from it."
    ),
}


def mine(tr: Translator, name: str, items: Sequence[OwnItem], tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    if not items:
        return fmt(_("You have no contributions in {cop} (yet)."), cop=name)
    lines: list[str] = [fmt(_("<b>Your contributions in {cop}</b>"), cop=name)]
    for index, item in enumerate(items, start=1):
        text = item.text if len(item.text) <= 300 else item.text[:300] + "\u2026"
        lines.append(
            fmt("<b>{n}.</b> [{kind}] {text}", n=index, kind=kind_name(tr, item.kind), text=text)
        )
    lines.append(fmt(_("Change or delete one with the buttons.")))
    return join_lines(lines)


def mine_labels(tr: Translator, n: int) -> tuple[str, str]:
    _ = tr.gettext
    return _("Edit {n}").format(n=n), _("Delete {n}").format(n=n)


def edit_question(tr: Translator, item: OwnItem) -> Markup:
    return join_lines(
        [
            fmt(tr.gettext("Reply to this message with the new text for:")),
            fmt("<i>{text}</i>", text=item.text[:500]),
        ]
    )


def edited(tr: Translator) -> str:
    return tr.gettext("Changed.")


def delete_question(tr: Translator, item: OwnItem) -> Markup:
    return join_lines(
        [fmt(tr.gettext("Delete this for good?")), fmt("<i>{text}</i>", text=item.text[:500])]
    )


def delete_labels(tr: Translator) -> tuple[str, str]:
    _ = tr.gettext
    return _("Yes, delete"), _("No, keep it")


def deleted(tr: Translator) -> str:
    return tr.gettext("Deleted.")


def kept(tr: Translator) -> str:
    return tr.gettext("Kept.")
