"""What the bot says about the schedule: meetings, /plan, agendas, attendance, calendars.

Also the sentences of the errors that `bot.services.{meetings,meeting_args,agenda,
attendance,when}` raise by code, and the agenda template's lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.render.pages import PHONE_LINES, paginate
from bot.services import attendance
from bot.services.agenda import AgendaItem, Briefing, Shown
from bot.services.cycle import Moved
from bot.services.holidays import Holiday
from bot.services.meeting_args import Change
from bot.services.meetings import Cancelled, MeetingView, Planned, Preview, Shortened, Stepped
from bot.services.when import format_datetime_local, format_duration
from bot.texts.examples import examples

ERRORS = {
    # reading dates, times and durations (bot.services.when)
    "date_not_real": N_("{date} does not exist. Check the day and the month."),
    "date_unreadable": N_(
        "I cannot read \u201c{text}\u201d as a date. Write it like {example_date} or "
        "{example_numeric}."
    ),
    "weekday_unknown": N_(
        "I do not know the weekday \u201c{text}\u201d. Write a day like {example_weekday}."
    ),
    "weekday_mismatch": N_("The weekday does not match {date}. Check the date."),
    "ampm_hour": N_("With am or pm the hour goes from 1 to 12. Write for example 3pm or 15:00."),
    "time_unreadable": N_(
        "I cannot read \u201c{text}\u201d as a time. Write it like 15:00 or 3pm."
    ),
    "time_out_of_range": N_(
        "\u201c{text}\u201d is not a time of day. Use hours 0 to 23 and minutes 0 to 59, "
        "like 15:00."
    ),
    "duration_unreadable": N_(
        "I cannot read \u201c{text}\u201d as a duration. Write it like 60, 90m or 1h30."
    ),
    "duration_out_of_range": N_(
        "A meeting can last from {minimum} to {maximum} minutes. Write for example 60, 90m or 1h30."
    ),
    "whole_minutes": N_("Please use whole minutes, like 90m or 1h30."),
    "lead_unreadable": N_(
        "I cannot read \u201c{text}\u201d as a time before the meeting. "
        "Write it like 2d, 48h or 30m."
    ),
    "lead_out_of_range": N_(
        "A reminder can go out from {minutes} minutes to {days} days before. "
        "Write for example 2d, 48h or 30m."
    ),
    "clocks_forward": N_(
        "On {date} the clocks go forward: {time} does not exist. Choose another time."
    ),
    "clocks_back": N_("On {date} the clocks go back: {time} happens twice. Choose another time."),
    "moment_past": N_("{when} is in the past. Choose a later date or time."),
    "too_far_ahead": N_("That is more than two years away. Plan meetings within two years."),
    "too_far_days": N_("That is too far away. Plan meetings within {days} days."),
    # the schedule (bot.services.meetings, meeting_args)
    "no_such_meeting": N_("There is no meeting {number}. See /meetings."),
    "series_too_long": N_("Plan between 1 and {limit} meetings at a time."),
    "interval_out_of_range": N_("Choose an interval between 1 and 8 weeks."),
    "location_too_long": N_("Please keep the location under {limit} characters."),
    "meeting_cancelled": N_("Meeting {number} is cancelled. Add a new meeting instead."),
    "meeting_held": N_("Meeting {number} has already taken place."),
    "meeting_already_cancelled": N_("Meeting {number} is already cancelled."),
    "meeting_started": N_("Meeting {number} has already started or taken place."),
    "meeting_overlap": N_("That overlaps meeting {number}. Choose another time, or move that one."),
    "date_and_time_needed": N_("Give a date and a time, for example: {example_date} 15:00."),
    "only_date_and_time": N_("Give only a date and a time, for example: {example_date} 15:00."),
    "meeting_usage": N_(
        "Use /meeting add {example_date} 15:00 60 Room 4, /meeting move 2 {example_date_later} "
        "15:00, "
        "/meeting cancel 2, /meeting shorten 4 (keep the first 4 meetings) or "
        "/meeting steps 3 qualities literature."
    ),
    "unknown_step": N_(
        "I do not know the step \u201c{word}\u201d. The steps are: issues, "
        "confidentiality, qualities, shared, literature, using, agreements, document; "
        "- for none. For example: /meeting steps 3 qualities literature"
    ),
    "shorten_below_held": N_(
        "{held} meetings have already been held (or started), so the series cannot be "
        "shortened to {count}."
    ),
    "shorten_nothing": N_("The series already has {count} meetings. To add one, use /meeting add."),
    "plan_number": N_("Please answer with a number from 1 to {limit}."),
    # agendas and attendance (bot.services.agenda, attendance)
    "agenda_usage": N_("Use /agenda or /agenda N (the meeting's number)."),
    "agenda_point_empty": N_("An agenda point needs some text."),
    "agenda_point_too_long": N_("Please keep an agenda point under {limit} characters."),
    "agenda_full": N_(
        "The agenda of meeting {number} is full ({limit} points). Bring your point up at "
        "the meeting, or ask a facilitator to make room."
    ),
    "agenda_points_yours": N_(
        "You already have {limit} points on the agenda of meeting {number}. That is the "
        "most one person can add, so everyone gets a turn."
    ),
    "meeting_closed": N_("This meeting has already started or was cancelled."),
    "no_upcoming_meeting": N_("There is no upcoming meeting. See /meetings."),
}

#: The lines of the cycle template (`bot.services.agenda.template` names them).
AGENDA_TEMPLATE = {
    "opening": N_("Opening and round: how are things in your class?"),
    "issues": N_("Practice issues: everyone brings their own issue, and perhaps a shared one"),
    "confidentiality": N_("Agreements on confidentiality and our rhythm"),
    "qualities": N_("Quality round: name each other's qualities"),
    "shared": N_("From individual issues to one shared issue"),
    "literature": N_("Literature insights: what did you read, what does it mean for practice?"),
    "using": N_("Using qualities: when did you use your own or a colleague's quality?"),
    "working": N_("Working on the shared issue: a small next step"),
    "agreements": N_("Agreements and new practices: what do we keep doing?"),
    "document": N_("The collection document: what do we share with the school team?"),
    "closing": N_("Closing: what do you take with you?"),
}
#: The cycle's steps in a sentence ("Its steps move to meeting 3: quality round, ...").
STEP_NAMES = {
    "issues": N_("issue round"),
    "confidentiality": N_("confidentiality"),
    "qualities": N_("quality round"),
    "shared": N_("from individual to shared issue"),
    "literature": N_("literature insights"),
    "using": N_("using qualities"),
    "agreements": N_("agreements"),
    "document": N_("collection document"),
}


def step_names(tr: Translator, steps: Sequence[str]) -> str:
    return ", ".join(tr.gettext(STEP_NAMES[step]) for step in steps)


def moved_steps(tr: Translator, moved: Sequence[Moved]) -> list[str]:
    """One line per group of steps that changed meeting."""
    _ = tr.gettext
    lines: list[str] = []
    for move in moved:
        if move.to is None:
            lines.append(
                fmt(
                    _("Its steps ({steps}) wait for the next meeting you plan."),
                    steps=step_names(tr, move.steps),
                )
            )
        else:
            lines.append(
                fmt(
                    _("Steps moved from meeting {frm} to meeting {to}: {steps}."),
                    frm=move.frm,
                    to=move.to,
                    steps=step_names(tr, move.steps),
                )
            )
    return lines


#: What kind of open item an agenda line is (`AgendaItem.label`).
AGENDA_LABELS = {
    "open_round": N_("Issue round still open"),
    "shared_to_decide": N_("Shared issue to decide"),
    "agreement_to_decide": N_("Agreement to decide"),
    "agreement_due": N_("Agreement due for review"),
    "literature_shared": N_("Literature shared since the last meeting"),
    "weekly_share": N_("Tried this week"),
}

STATES = {
    "planned": N_("planned"),
    "held": N_("held"),
    "cancelled": N_("cancelled"),
}


def when(tr: Translator, moment: datetime, tz: ZoneInfo) -> str:
    return format_datetime_local(moment, tz, tr.language)


def meeting_line(tr: Translator, meeting: MeetingView, tz: ZoneInfo, now: datetime) -> Markup:
    _ = tr.gettext
    place = f" \u00b7 {meeting.location}" if meeting.location else ""
    return fmt(
        "<b>{number}.</b> {when} ({duration}){place} \u00b7 {state}",
        number=meeting.number,
        when=when(tr, meeting.starts_at, tz),
        duration=format_duration(meeting.duration_minutes, tr.language),
        place=place,
        state=_(STATES[meeting.state(now)]),
    )


def agenda_lines(tr: Translator, items: Sequence[AgendaItem]) -> list[str]:
    _ = tr.gettext
    lines: list[str] = []
    for item in items:
        if item.label == "more_agreements":
            lines.append(fmt(_("\u2026 and {n} more agreements: see /decisions"), n=int(item.text)))
            continue
        text = _(AGENDA_TEMPLATE[item.text]) if item.template else item.text
        if item.label:
            text = f"{_(AGENDA_LABELS[item.label])}: {text}"
        if item.by:
            lines.append(fmt("\u2022 {text} ({by})", text=text, by=item.by))
        else:
            lines.append(fmt("\u2022 {text}", text=text))
    return lines


@dataclass(frozen=True)
class SchedulePages:
    """/meetings cut into phone-sized pages; `start` is the page with the next meeting."""

    pages: list[Markup]
    start: int


def schedule_pages(
    tr: Translator,
    name: str,
    meetings: Sequence[Briefing],
    tz: ZoneInfo,
    now: datetime,
    *,
    limit: int = PHONE_LINES,
) -> SchedulePages:
    """Pages of the schedule; the first one shown starts at the next meeting (the group
    reads what comes, and goes back for what was)."""
    _ = tr.gettext
    if not meetings:
        empty = fmt(
            _("{cop} has no meetings planned yet. A facilitator plans them with /plan."), cop=name
        )
        return SchedulePages([empty], 0)
    head = [fmt(_("<b>Meetings of {cop}</b>"), cop=name)]
    blocks = [_schedule_block(tr, briefing, tz, now) for briefing in meetings]
    coming = next(
        (i for i, b in enumerate(meetings) if b.meeting.state(now) == "planned"), len(meetings)
    )
    before = paginate(head, blocks[:coming], limit=limit) if coming else []
    after = paginate(head, blocks[coming:], limit=limit) if coming < len(blocks) else []
    pages = [join_lines(page) for page in before + after]
    return SchedulePages(pages, len(before) - 1 + bool(after))


def _schedule_block(tr: Translator, briefing: Briefing, tz: ZoneInfo, now: datetime) -> list[str]:
    """One meeting: its line, and while it is to come its agenda and who comes."""
    meeting = briefing.meeting
    line = meeting_line(tr, meeting, tz, now)
    if attendance.PRESENT in briefing.counts:  # ticked after the meeting
        line = fmt(
            "{line} \u00b7 {present}",
            line=line,
            present=present_count(
                tr, briefing.counts[attendance.PRESENT], briefing.counts[attendance.COUNTED]
            ),
        )
    lines: list[str] = [line]
    if meeting.state(now) == "planned":
        lines += agenda_lines(tr, briefing.items)
        if briefing.counts:
            lines.append(attendance_counts(tr, briefing.counts))
    return lines


def present_count(tr: Translator, present: int, counted: int) -> Markup:
    """ "present 5 of 6": what /meetings, the meeting log and the presence message say."""
    return fmt(tr.gettext("present {present} of {counted}"), present=present, counted=counted)


def planned(tr: Translator, result: Planned, tz: ZoneInfo, now: datetime) -> Markup:
    _ = tr.gettext
    count = len(result.meetings)
    lines: list[str] = [
        fmt(tr.ngettext("Planned {n} meeting:", "Planned {n} meetings:", count), n=count)
    ]
    lines += [meeting_line(tr, meeting, tz, now) for meeting in result.meetings]
    lines += holiday_warnings(tr, result.warnings)
    lines += moved_steps(tr, result.moved)
    lines.append(
        fmt(_("See the whole schedule with /meetings, and add it to your calendar with /calendar."))
    )
    return join_lines(lines)


def holiday_warnings(tr: Translator, warnings: Sequence[tuple[int, Holiday]]) -> list[str]:
    _ = tr.gettext
    return [
        fmt(
            _("\u26a0\ufe0f Meeting {number} falls in a holiday: {holiday}."),
            number=number,
            holiday=holiday.name(tr.language),
        )
        for number, holiday in warnings
    ]


def moved(tr: Translator, result: Planned, tz: ZoneInfo, now: datetime) -> Markup:
    _ = tr.gettext
    meeting = result.meetings[0]
    lines: list[str] = [fmt(_("Meeting moved:")), meeting_line(tr, meeting, tz, now)]
    return join_lines(lines + holiday_warnings(tr, result.warnings))


def cancelled(tr: Translator, result: Cancelled, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    meeting = result.meeting
    lines: list[str] = [
        fmt(
            _("Meeting {number} on {when} is cancelled. Its reminders will not be sent."),
            number=meeting.number,
            when=when(tr, meeting.starts_at, tz),
        )
    ]
    move = result.moved
    if move is not None and move.to is not None:
        lines.append(
            fmt(
                _("Its steps move to meeting {to}: {steps}."),
                to=move.to,
                steps=step_names(tr, move.steps),
            )
        )
    elif move is not None:
        lines += moved_steps(tr, [move])
    return join_lines(lines)


def shortened(tr: Translator, result: Shortened) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(
            _("The series now has {count} meetings; cancelled: {numbers}."),
            count=result.count,
            numbers=", ".join(str(n) for n in result.cancelled),
        )
    ]
    lines += moved_steps(tr, result.moved)
    lines.append(fmt(_("See the whole schedule with /meetings.")))
    return join_lines(lines)


def stepped(tr: Translator, result: Stepped) -> Markup:
    _ = tr.gettext
    meeting = result.meeting
    if not meeting.steps:
        return fmt(
            _("Meeting {number} now carries no step of the cycle: it works on the shared issue."),
            number=meeting.number,
        )
    return fmt(
        _("Meeting {number} now carries: {steps}."),
        number=meeting.number,
        steps=step_names(tr, meeting.steps),
    )


def agenda(tr: Translator, shown: Shown, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    meeting = shown.meeting
    lines: list[str] = [
        fmt(
            _("<b>Agenda of meeting {number}</b>, {when}"),
            number=meeting.number,
            when=when(tr, meeting.starts_at, tz),
        ),
        *agenda_lines(tr, shown.items),
        "",
        fmt(_("Reply to this message to add a point to the agenda.")),
    ]
    if shown.can_edit:
        lines.append(
            fmt(
                _(
                    "Facilitators: /agenda {number} followed by one item per line replaces "
                    "the template items."
                ),
                number=meeting.number,
            )
        )
    return join_lines(lines)


def changed(tr: Translator, change: Change, tz: ZoneInfo, now: datetime) -> Markup:
    """What /meeting add, move, cancel, shorten or steps did."""
    if change.cancelled is not None:
        return cancelled(tr, change.cancelled, tz)
    if change.shortened is not None:
        return shortened(tr, change.shortened)
    if change.stepped is not None:
        return stepped(tr, change.stepped)
    assert change.planned is not None
    if change.action == "move":
        return moved(tr, change.planned, tz, now)
    return planned(tr, change.planned, tz, now)


def agenda_set(tr: Translator, meeting: MeetingView) -> Markup:
    return fmt(tr.gettext("The agenda of meeting {number} is updated."), number=meeting.number)


def point_added(tr: Translator, meeting: MeetingView) -> Markup:
    return fmt(tr.gettext("Added to the agenda of meeting {number}."), number=meeting.number)


def no_next_meeting(tr: Translator) -> str:
    return tr.gettext(
        "There is no upcoming meeting to add this to. A facilitator plans with /plan."
    )


ANSWERS = {"y": N_("I'll come"), "m": N_("Maybe"), "n": N_("I can't come")}


def attendance_labels(tr: Translator) -> dict[str, str]:
    return {key: tr.gettext(label) for key, label in ANSWERS.items()}


def attendance_counts(tr: Translator, counts: dict[str, int]) -> Markup:
    _ = tr.gettext
    return fmt(
        _("Coming: {yes} \u00b7 maybe: {maybe} \u00b7 not: {no}"),
        yes=counts.get("y", 0),
        maybe=counts.get("m", 0),
        no=counts.get("n", 0),
    )


def attendance_noted(tr: Translator, answer: str) -> str:
    _ = tr.gettext
    return {
        "y": _("Noted: you will come."),
        "m": _("Noted: maybe."),
        "n": _("Noted: you cannot come. Thanks for letting us know."),
    }[answer]


def event_title(tr: Translator, name: str, number: int) -> Markup:
    return fmt(tr.gettext("{cop} \u2013 meeting {number}"), cop=name, number=number)


def calendar_caption(tr: Translator, count: int) -> Markup:
    return fmt(
        tr.ngettext(
            "{n} meeting. Open the file to add it to Outlook or Google Calendar; importing it "
            "again later updates moved and cancelled meetings.",
            "{n} meetings. Open the file to add them to Outlook or Google Calendar; importing it "
            "again later updates moved and cancelled meetings.",
            count,
        ),
        n=count,
    )


def absent_noted(tr: Translator, number: int) -> Markup:
    return fmt(tr.gettext("Your apologies for meeting {number} are noted."), number=number)


PLAN_QUESTIONS = {
    "first": N_(
        "<b>Plan meetings, 1/5.</b> When is the first meeting? Reply with a date and time, for "
        "example: {example_date} 15:00 or {example_weekday} 15:00."
    ),
    "count": N_("<b>2/5.</b> How many meetings? Press a button or reply with a number."),
    "interval": N_("<b>3/5.</b> How often?"),
    "duration": N_("<b>4/5.</b> How long does a meeting last? Press a button or reply (e.g. 75)."),
    "location": N_("<b>5/5.</b> Where? Reply with a room or a video link, or skip."),
}


def plan_question(tr: Translator, step: str, today: date) -> Markup:
    return join_lines(
        [
            fmt(tr.gettext(PLAN_QUESTIONS[step]), **examples(tr, today)),
            fmt(tr.gettext("Send /cancel to stop without saving.")),
        ]
    )


def weeks(tr: Translator, n: int) -> str:
    return tr.ngettext("every week", "every {n} weeks", n).format(n=n)


def minutes_choice(n: int) -> str:
    """A duration button of /plan (the same in every language)."""
    return f"{n} min"


def plan_summary(tr: Translator, preview: Preview, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    lines: list[str] = [fmt(_("<b>Please check:</b>"))]
    for index, start in enumerate(preview.starts, start=1):
        lines.append(fmt("{n}. {when}", n=index, when=when(tr, start, tz)))
    lines.append(
        fmt(
            _("Duration: {duration}"),
            duration=format_duration(preview.duration_minutes, tr.language),
        )
    )
    if preview.location:
        lines.append(fmt(_("Where: {place}"), place=preview.location))
    lines += holiday_warnings(tr, preview.warnings)
    return join_lines(lines)
