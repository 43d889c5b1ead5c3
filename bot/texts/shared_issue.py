"""What the bot says about the shared issue: proposals, reactions, versions."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.shared_issue import Proposal, Suggestion
from bot.texts.rhythm import when

ERRORS = {
    "shared_too_long": N_("Please keep the shared issue under {limit} characters."),
    "shared_superseded": N_("A newer version of the shared issue exists; react to that one."),
    "shared_adopted": N_("This shared issue is already adopted."),
    "shared_rule_usage": N_("Use /shared rule majority or /shared rule all."),
}


def proposal(tr: Translator, item: Proposal) -> Markup:
    _ = tr.gettext
    status = {
        "proposed": _("proposed"),
        "adopted": _("adopted"),
        "superseded": _("replaced by a newer version"),
    }[item.status]
    return join_lines(
        [
            fmt(_("<b>Shared issue, version {v}</b> ({status})"), v=item.version, status=status),
            fmt("{text}", text=item.text),
            "",
            fmt(
                _("Agree: {agree} \u00b7 not yet: {not_yet} (of {members} members)"),
                agree=item.counts.get("agree", 0),
                not_yet=item.counts.get("not_yet", 0),
                members=item.members,
            ),
            (
                fmt(_("Adopted when all members agree. Reply to this message to comment."))
                if item.rule == "all"
                else fmt(
                    _(
                        "Adopted when more than half of the members agree. Reply to this message "
                        "to comment."
                    )
                )
            )
            if item.status == "proposed"
            else "",
        ]
    )


def vote_labels(tr: Translator) -> tuple[str, str]:
    _ = tr.gettext
    return _("Agree"), _("Not yet")


def voted(tr: Translator, choice: str) -> str:
    _ = tr.gettext
    return _("Noted: you agree.") if choice == "agree" else _("Noted: not yet.")


def adopted(tr: Translator, item: Proposal, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(
                _("\U0001f4cc <b>Our shared issue</b> (version {v}, adopted {when}):"),
                v=item.version,
                when=when(tr, item.adopted_at or item.created_at, tz),
            ),
            fmt("{text}", text=item.text),
        ]
    )


def history(tr: Translator, items: Sequence[Proposal], tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    if not items:
        return fmt(
            _(
                "No shared issue has been proposed yet. Facilitators: /shared followed by "
                "the text, or /shared to pick from members' suggestions."
            )
        )
    lines: list[str] = [fmt(_("<b>Versions of the shared issue</b>"))]
    for item in items:
        lines.append(
            fmt(
                _("<b>{v}.</b> {when} \u00b7 {status} \u00b7 {agree} agree, {not_yet} not yet"),
                v=item.version,
                when=when(tr, item.created_at, tz),
                status=_(
                    {
                        "proposed": N_("proposed"),
                        "adopted": N_("adopted"),
                        "superseded": N_("replaced"),
                    }[item.status]
                ),
                agree=item.counts.get("agree", 0),
                not_yet=item.counts.get("not_yet", 0),
            )
        )
        lines.append(fmt("{text}", text=item.text))
    return join_lines(lines)


def suggestions(tr: Translator, items: Sequence[Suggestion]) -> Markup:
    _ = tr.gettext
    if not items:
        return fmt(
            _(
                "Members have not suggested a shared issue yet. Propose one with /shared "
                "followed by the text."
            )
        )
    lines: list[str] = [
        fmt(_("<b>Possible shared issues from the members</b> (press one to propose it):"))
    ]
    for index, item in enumerate(items, start=1):
        lines.append(
            fmt("<b>{n}.</b> {text} ({author})", n=index, text=item.text[:300], author=item.author)
        )
    return join_lines(lines)


def comment_saved(tr: Translator) -> str:
    return tr.gettext("Thanks, your comment is saved with this version.")


def rule_set(tr: Translator, rule: str) -> str:
    _ = tr.gettext
    return (
        _("A shared issue is now adopted when all members agree.")
        if rule == "all"
        else _("A shared issue is now adopted when more than half of the members agree.")
    )
