"""What the bot says when people leave the Telegram group, and about the main facilitator."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.roster import Departure, HandOver

ERRORS = {
    "blocked_bot": N_(
        "You blocked me, so I cannot answer you here and nothing was changed. Press "
        "Restart in this chat, then try again."
    ),
    "handover_not_allowed": N_(
        "Only the main facilitator can hand the role over. When the CoP has none, a group "
        "administrator can appoint one."
    ),
    "handover_usage": N_(
        "Use /facilitator main @name, or reply to a member's message with /facilitator main."
    ),
}


def departed(tr: Translator, departure: Departure) -> Markup:
    """Said in the group when someone left it or was removed from it."""
    _ = tr.gettext
    lines: list[str] = [
        fmt(
            _(
                "{name} is not in the group any more, so they are no longer a member of {cop}. "
                "What they "
                "contributed stays as the CoP's history; they can still have it erased with "
                "/leave in a private chat with me. If they come back, they can join again "
                "with /join."
            ),
            name=departure.member.name,
            cop=departure.community.name,
        )
    ]
    if departure.was_main:
        lines.append(
            fmt(
                _(
                    "{cop} has no main facilitator now. A group administrator can appoint "
                    "one with /facilitator main @name."
                ),
                cop=departure.community.name,
            )
        )
    return join_lines(lines)


def handed_over(tr: Translator, handover: HandOver) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(
            _("{name} is now the main facilitator of {cop}."),
            name=handover.main.name,
            cop=handover.community.name,
        )
    ]
    for previous in handover.previous:
        lines.append(fmt(_("{name} stays on as co-facilitator."), name=previous.name))
    return join_lines(lines)
