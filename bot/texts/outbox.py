"""What the bot posts on its own, from the reminder outbox (`bot.outbox`).

The outbox composes every message through this module only. Sentences that other
features also say stay in their own texts module and are named here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.render.html import Markup, fmt, join_lines, mention
from bot.services.agenda import AgendaItem, Briefing
from bot.services.decisions import DecisionView
from bot.services.meetings import MeetingView
from bot.services.rhythm import Note
from bot.services.values import MemberView
from bot.texts.chair import chair_line
from bot.texts.chair import next_series as next_series
from bot.texts.chair import next_series_labels as next_series_labels
from bot.texts.common import bot_removed as bot_removed
from bot.texts.common import retention_warning as retention_warning
from bot.texts.decisions import adopted_at_end as adopted_at_end
from bot.texts.decisions import decision_labels as decision_labels
from bot.texts.decisions import due_soon as due_soon
from bot.texts.decisions import due_today as due_today
from bot.texts.decisions import followup as followup
from bot.texts.decisions import followup_labels as followup_labels
from bot.texts.issues import round_prompt as round_prompt
from bot.texts.meetings import agenda_lines, attendance_counts, attendance_noted, when
from bot.texts.meetings import attendance_labels as attendance_labels
from bot.texts.recap import checkin as checkin
from bot.texts.recap import presence as presence
from bot.texts.recap import presence_buttons as presence_buttons
from bot.texts.rhythm import health_lines


def before(tr: Translator, name: str, shown: Briefing, tz: ZoneInfo, *, ask: bool) -> Markup:
    """The reminder before a meeting (the first one asks who comes); without the agenda
    when the meeting has its own agenda message the day before."""
    _ = tr.gettext
    meeting, items, counts = shown.meeting, shown.items, shown.counts
    place = fmt(_("Where: {place}"), place=meeting.location) if meeting.location else None
    lines: list[str] = [
        fmt(
            _("\U0001f4c5 <b>{cop}: meeting {number}</b> is on {when}."),
            cop=name,
            number=meeting.number,
            when=when(tr, meeting.starts_at, tz),
        ),
    ]
    if place:
        lines.append(place)
    if shown.chair is not None:
        lines.append(chair_line(tr, shown.chair.name))
    if not shown.agenda_posted:
        lines.append(fmt(_("On the agenda:")))
        lines += agenda_lines(tr, items)
    else:
        lines.append(fmt(_("The agenda comes the day before. Reply to it to add a point.")))
    if ask:
        lines += ["", fmt(_("Are you coming? Press a button. You can change your answer later."))]
    if counts:
        lines.append(attendance_counts(tr, counts))
    return join_lines(lines)


def starting_soon(
    tr: Translator, name: str, meeting: MeetingView, counts: dict[str, int], tz: ZoneInfo
) -> Markup:
    """The last reminder before a meeting: when and where, and who said they come."""
    _ = tr.gettext
    where = fmt(_(" \u00b7 {place}"), place=meeting.location) if meeting.location else ""
    lines: list[str] = [
        fmt(
            _("\u23f0 <b>{cop}: meeting {number}</b> starts at {time}{where}."),
            cop=name,
            number=meeting.number,
            time=meeting.starts_at.astimezone(tz).strftime("%H:%M"),
            where=where,
        )
    ]
    if counts:
        lines.append(attendance_counts(tr, counts))
    return join_lines(lines)


def agenda_post(
    tr: Translator,
    name: str,
    meeting: MeetingView,
    items: Sequence[AgendaItem],
    tz: ZoneInfo,
    now: datetime,
    chair: str | None = None,
) -> Markup:
    """The agenda the day before; sent late, it says what is true when it is sent."""
    _ = tr.gettext
    days = (meeting.starts_at.astimezone(tz).date() - now.astimezone(tz).date()).days
    if days == 0:
        head = _("\U0001f4cb <b>Today: meeting {number} of {cop}</b>, {when}.")
    elif days == 1:
        head = _("\U0001f4cb <b>Tomorrow: meeting {number} of {cop}</b>, {when}.")
    else:
        head = _("\U0001f4cb <b>Meeting {number} of {cop}</b>: {when}.")
    return join_lines(
        [
            fmt(head, number=meeting.number, cop=name, when=when(tr, meeting.starts_at, tz)),
            *([chair_line(tr, chair)] if chair else []),
            *agenda_lines(tr, items),
            "",
            fmt(_("Something to add? Reply to this message.")),
        ]
    )


def nudge_private(
    tr: Translator, name: str, meeting: MeetingView, tz: ZoneInfo, answer: str | None = None
) -> Markup:
    """The private nudge, with its own buttons; once pressed, it says what was noted."""
    _ = tr.gettext
    question = fmt(
        _(
            "Are you coming to meeting {number} of {cop} ({when})? Press a button. You can "
            "change your answer later."
        ),
        number=meeting.number,
        cop=name,
        when=when(tr, meeting.starts_at, tz),
    )
    if answer is None:
        return question
    return join_lines([question, "", fmt("{noted}", noted=attendance_noted(tr, answer))])


def nudge_group(tr: Translator, meeting: MeetingView, people: Sequence[MemberView]) -> Markup:
    _ = tr.gettext
    names = Markup(", ".join(mention(p.telegram_user_id or 0, p.name) for p in people))
    return fmt(
        tr.ngettext(  # one person is asked as one ("kom je"), several as several
            "{names}: will you come to meeting {number}? Please press a button below.",
            "{names}: will you come to meeting {number}? Please press a button below.",
            len(people),
        ),
        names=names,
        number=meeting.number,
    )


def weekly(tr: Translator, name: str) -> Markup:
    _ = tr.gettext
    return fmt(
        _(
            "\U0001f331 <b>{cop}</b>: what did you try in your class this week? Reply to this "
            "message to share it with the group (pupils by pseudonym, please). Your answer "
            "goes on the next meeting's agenda."
        ),
        cop=name,
    )


def health(tr: Translator, name: str, notes: Sequence[Note]) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("<b>Rhythm check for {cop}</b> (only you see this):"), cop=name),
            *[fmt("\u2022 {note}", note=line) for note in notes for line in health_lines(tr, note)],
        ]
    )


def literature_prompt(tr: Translator) -> Markup:
    return fmt(
        tr.gettext(
            "\U0001f4da <b>Literature</b>: what did you read that helps with our "
            "issue? Reply to this message with the source (title, or a link or "
            "DOI); I will ask for your insight."
        )
    )


def using_prompt(tr: Translator) -> Markup:
    return fmt(
        tr.gettext(
            "\U0001f91d <b>Using qualities</b>: when did you use your own or a colleague's quality "
            "since the last meeting? Reply to this message, starting with @name for a colleague: "
            "\u201c@anna summarises well: her summary helped me choose\u201d."
        )
    )


# --- private reminders of open questions (one per member per question) -------------------


def _lines(lines: list[str]) -> Markup:
    """The reminder's lines; a line left empty (no meeting ahead) is left out."""
    return join_lines([line for line in lines if line])


def _before(tr: Translator, meeting: MeetingView | None, tz: ZoneInfo) -> str:
    """ "Meeting 2 is on ...": why it matters now; nothing without a meeting."""
    if meeting is None:
        return ""
    return fmt(
        tr.gettext("Meeting {number} is on {when}."),
        number=meeting.number,
        when=when(tr, meeting.starts_at, tz),
    )


def chase_issue(tr: Translator, name: str, meeting: MeetingView | None, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    return _lines(
        [
            fmt(
                _(
                    "\U0001f44b A short reminder from <b>{cop}</b>: the issue round is open and "
                    "your practice issue is not in yet."
                ),
                cop=name,
            ),
            _before(tr, meeting, tz),
            fmt(
                _(
                    "Reply to this message with a) your own practice issue and b) if you see "
                    "one, a possible shared issue. Pseudonyms only (\u201cpupil A\u201d)."
                )
            ),
        ]
    )


def chase_reflection(
    tr: Translator, name: str, meeting: MeetingView | None, tz: ZoneInfo
) -> Markup:
    _ = tr.gettext
    return _lines(
        [
            fmt(
                _(
                    "\U0001f44b Thank you for your practice issue in <b>{cop}</b>. One question "
                    "is still open: what part of it can you or the school change?"
                ),
                cop=name,
            ),
            _before(tr, meeting, tz),
            fmt(_("Reply to this message (or leave it).")),
        ]
    )


def chase_qualities(tr: Translator, name: str, meeting: MeetingView | None, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    return _lines(
        [
            fmt(
                _(
                    "\U0001f44b A short reminder from <b>{cop}</b>: the quality round is open and "
                    "you have not named your colleagues' qualities yet."
                ),
                cop=name,
            ),
            _before(tr, meeting, tz),
            fmt(_("Press the button to begin. You can stop and carry on later.")),
        ]
    )


def chase_qualities_label(tr: Translator) -> str:
    return tr.gettext("Name qualities")


def chase_weekly(tr: Translator, name: str) -> Markup:
    return fmt(
        tr.gettext(
            "\U0001f331 <b>{cop}</b> asked this week: what did you try in your class? Reply to "
            "this message to share it for the next meeting (pupils by pseudonym, please)."
        ),
        cop=name,
    )


def chase_followup(tr: Translator, name: str, item: DecisionView) -> Markup:
    return fmt(
        tr.gettext(
            "\U0001f50e <b>{cop}</b> asked whether you use the new practice \u201c{text}\u201d. "
            "Press a button (reply to this message to add a remark)."
        ),
        cop=name,
        text=item.text,
    )


def qualities_early(tr: Translator, name: str, meeting: MeetingView, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(
                _(
                    "\U0001f4a1 <b>{cop}</b>: meeting {number} ({when}) is the meeting for "
                    "qualities, and no quality round has run yet."
                ),
                cop=name,
                number=meeting.number,
                when=when(tr, meeting.starts_at, tz),
            ),
            fmt(
                _(
                    "The study recommends naming qualities early, so everyone knows the "
                    "strengths the CoP can draw on. The button posts the quality round in "
                    "the group."
                )
            ),
        ]
    )


def qualities_early_label(tr: Translator) -> str:
    return tr.gettext("Start the quality round")
