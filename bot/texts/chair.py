"""The self-running CoP: the rotating chair, and the proposal of a next series."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.chair import Rota
from bot.services.when import format_datetime_local

ERRORS = {
    "chair_usage": N_(
        "Use /chair to see who chairs the next meetings, /chair rotate to let the chair "
        "go round the members, or /chair off."
    ),
    "chair_too_few": N_("A rotating chair needs at least two members who take part."),
    "next_series_nothing": N_("There is no series yet to continue. Plan one with /plan."),
}


def chair_line(tr: Translator, name: str) -> Markup:
    return fmt(tr.gettext("Chair: {name}"), name=name)


def rota(tr: Translator, shown: Rota, tz: ZoneInfo) -> Markup:
    """/chair, and the answer to /chair rotate or off."""
    _ = tr.gettext
    if not shown.rotating:
        return fmt(
            _(
                "The facilitators chair the meetings. With /chair rotate the chair goes round "
                "the members in turn, so the CoP keeps its rhythm when facilitation stops."
            )
        )
    lines: list[str] = [
        fmt(
            _(
                "The chair rotates: each meeting a member chairs it, in the order you joined. "
                "The chair can plan meetings (/plan, /meeting) and close the meeting."
            )
        )
    ]
    for meeting, member in shown.turns[:6]:
        lines.append(
            fmt(
                _("\u2022 Meeting {number} ({when}): {name}"),
                number=meeting.number,
                when=format_datetime_local(meeting.starts_at, tz, tr.language),
                name=member.name,
            )
        )
    if not shown.turns and shown.members:
        lines.append(fmt(_("{name} chairs the next meeting you plan."), name=shown.members[0].name))
    return join_lines(lines)


def next_series(
    tr: Translator, name: str, count: int, interval: int, first: datetime, tz: ZoneInfo
) -> Markup:
    """The morning after the last meeting: shall we go on?"""
    _ = tr.gettext
    return join_lines(
        [
            fmt(
                _("\U0001f331 That was the last meeting of this series of {cop}. Shall we go on?"),
                cop=name,
            ),
            fmt(
                tr.ngettext(
                    "Proposal: {count} meeting every {interval} weeks from {when}.",
                    "Proposal: {count} meetings every {interval} weeks from {when}.",
                    count,
                ),
                count=count,
                interval=interval,
                when=format_datetime_local(first, tz, tr.language),
            ),
            fmt(
                _(
                    "A facilitator plans it with one press. With a rotating chair the CoP "
                    "runs itself: each meeting a member chairs it."
                )
            ),
        ]
    )


def next_series_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"plan": _("Plan the next series"), "chair": _("Rotate the chair")}
