"""What the bot says about meetings, agendas, attendance and reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines, mention
from bot.services.agenda import AgendaItem
from bot.services.holidays import Holiday
from bot.services.meetings import MeetingView, Planned
from bot.services.reminders import Rhythm
from bot.services.values import MemberView
from bot.services.when import format_datetime_local, format_duration, format_weekday

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
        text = _(item.text) if item.translate else item.text
        if item.label:
            text = f"{_(item.label)}: {text}"
        if item.by:
            lines.append(fmt("\u2022 {text} ({by})", text=text, by=item.by))
        else:
            lines.append(fmt("\u2022 {text}", text=text))
    return lines


def schedule(
    tr: Translator,
    name: str,
    meetings: Sequence[tuple[MeetingView, Sequence[AgendaItem], dict[str, int]]],
    tz: ZoneInfo,
    now: datetime,
) -> Markup:
    _ = tr.gettext
    if not meetings:
        return fmt(
            _("{cop} has no meetings planned yet. A facilitator plans them with /plan."), cop=name
        )
    lines: list[str] = [fmt(_("<b>Meetings of {cop}</b>"), cop=name)]
    for meeting, items, counts in meetings:
        lines.append("")
        lines.append(meeting_line(tr, meeting, tz, now))
        if meeting.state(now) == "planned":
            lines += agenda_lines(tr, items)
            if counts:
                lines.append(attendance_counts(tr, counts))
    return join_lines(lines)


def planned(tr: Translator, result: Planned, tz: ZoneInfo, now: datetime) -> Markup:
    _ = tr.gettext
    count = len(result.meetings)
    lines: list[str] = [
        fmt(tr.ngettext("Planned {n} meeting:", "Planned {n} meetings:", count), n=count)
    ]
    lines += [meeting_line(tr, meeting, tz, now) for meeting in result.meetings]
    lines += holiday_warnings(tr, result.warnings)
    lines.append(fmt(_("See the whole schedule with /meetings; import it with /calendar.")))
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


def cancelled(tr: Translator, meeting: MeetingView, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    return fmt(
        _("Meeting {number} on {when} is cancelled. Its reminders will not be sent."),
        number=meeting.number,
        when=when(tr, meeting.starts_at, tz),
    )


def agenda(
    tr: Translator,
    meeting: MeetingView,
    items: Sequence[AgendaItem],
    tz: ZoneInfo,
    *,
    can_edit: bool,
) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(
            _("<b>Agenda of meeting {number}</b>, {when}"),
            number=meeting.number,
            when=when(tr, meeting.starts_at, tz),
        ),
        *agenda_lines(tr, items),
        "",
        fmt(_("Reply to this message to add a point to the agenda.")),
    ]
    if can_edit:
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


def lead_text(tr: Translator, lead: timedelta) -> str:
    hours = int(lead.total_seconds() // 3600)
    minutes = int(lead.total_seconds() // 60)
    if hours >= 24 and hours % 24 == 0:
        return tr.ngettext("{n} day", "{n} days", hours // 24).format(n=hours // 24)
    if minutes >= 60 and minutes % 60 == 0:
        return tr.ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


def before(
    tr: Translator,
    name: str,
    meeting: MeetingView,
    items: Sequence[AgendaItem],
    tz: ZoneInfo,
    counts: dict[str, int],
    *,
    ask: bool,
) -> Markup:
    _ = tr.gettext
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
    lines.append(fmt(_("On the agenda:")))
    lines += agenda_lines(tr, items)
    if ask:
        lines += ["", fmt(_("Will you come? Press a button; you can change your answer."))]
    if counts:
        lines.append(attendance_counts(tr, counts))
    return join_lines(lines)


def agenda_post(
    tr: Translator, name: str, meeting: MeetingView, items: Sequence[AgendaItem], tz: ZoneInfo
) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(
                _("\U0001f4cb <b>Tomorrow: meeting {number} of {cop}</b>, {when}."),
                number=meeting.number,
                cop=name,
                when=when(tr, meeting.starts_at, tz),
            ),
            *agenda_lines(tr, items),
            "",
            fmt(_("Something to add? Reply to this message.")),
        ]
    )


def nudge_private(tr: Translator, name: str, meeting: MeetingView, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    return fmt(
        _(
            "Will you come to meeting {number} of {cop} ({when})? Please answer with the buttons "
            "in the group."
        ),
        number=meeting.number,
        cop=name,
        when=when(tr, meeting.starts_at, tz),
    )


def nudge_group(tr: Translator, meeting: MeetingView, people: Sequence[MemberView]) -> Markup:
    _ = tr.gettext
    names = Markup(", ".join(mention(p.telegram_user_id or 0, p.name) for p in people))
    return fmt(
        _("{names}: will you come to meeting {number}? Please answer with the buttons above."),
        names=names,
        number=meeting.number,
    )


def after(tr: Translator, name: str, meeting: MeetingView) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(
                _(
                    "Meeting {number} of {cop} has ended. What did you agree? Reply to this "
                    "message and it goes into the meeting log."
                ),
                number=meeting.number,
                cop=name,
            ),
            fmt(_("Facilitators: /document makes the updated collection document.")),
        ]
    )


def note_saved(tr: Translator, meeting_number: int) -> Markup:
    return fmt(tr.gettext("Saved in the log of meeting {number}."), number=meeting_number)


def weekly(tr: Translator, name: str) -> Markup:
    _ = tr.gettext
    return fmt(
        _(
            "\U0001f331 <b>{cop}</b>: what did you try in your class this week? Reply to this "
            "message to share it with the group (pupils by pseudonym, please)."
        ),
        cop=name,
    )


def weekly_noted(tr: Translator, name: str) -> Markup:
    return fmt(tr.gettext("Thank you, {name}: shared for the next meeting."), name=name)


def health(tr: Translator, name: str, notes: Sequence[str]) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("<b>Rhythm check for {cop}</b> (only you see this):"), cop=name),
            *[fmt("\u2022 {note}", note=note) for note in notes],
        ]
    )


def health_low_response(tr: Translator, share: int) -> str:
    return tr.gettext(
        "Only {share}% of the members answered the last two attendance questions."
    ).format(share=share)


def health_silent(tr: Translator, names: Sequence[str]) -> str:
    return tr.gettext("No reaction since meeting 1 from: {names}.").format(names=", ".join(names))


def health_too_fast(tr: Translator, days: int) -> str:
    return tr.gettext(
        "The next meeting follows after only {days} days; members may drop out if it goes too fast."
    ).format(days=days)


def health_too_slow(tr: Translator, days: int) -> str:
    return tr.gettext(
        "The next meeting is {days} days away; without rhythm, little happens in between."
    ).format(days=days)


def health_nothing_planned(tr: Translator) -> str:
    return tr.gettext("No next meeting is planned yet.")


def rhythm_overview(
    tr: Translator, settings: Rhythm, tz: ZoneInfo, recent: Sequence[tuple[str, str, datetime]]
) -> Markup:
    _ = tr.gettext
    leads = ", ".join(
        lead_text(tr, timedelta(minutes=m)) for m in sorted(settings.leads_minutes, reverse=True)
    )
    lines: list[str] = [
        fmt(_("<b>Reminders</b>")),
        fmt(_("Before each meeting: {leads}."), leads=leads or "\u2013"),
        fmt(
            _("Weekly question: {when}."),
            when=(
                f"{format_weekday(settings.weekly_weekday, tr.language)} {settings.weekly_time}"
                if settings.weekly
                else _("off")
            ),
        ),
        fmt(_("Holidays: {state}."), state=_("skipped") if settings.holidays else _("not skipped")),
    ]
    if settings.paused:
        lines.append(fmt(_("All reminders are paused; /resume starts them again.")))
    if recent:
        lines += ["", fmt(_("Recent:"))]
        for kind, status, due in recent:
            lines.append(
                fmt(
                    "\u2022 {when} \u00b7 {kind} \u00b7 {status}",
                    when=when(tr, due, tz),
                    kind=_(KIND_NAMES.get(kind, kind)),
                    status=_(STATUS_NAMES.get(status, status)),
                )
            )
    lines += [
        "",
        fmt(
            _(
                "Change: /reminders 2d 1h \u00b7 /weekly thu 16:00 \u00b7 /weekly off \u00b7 "
                "/holidays north|middle|south|off \u00b7 /pause \u00b7 /resume"
            )
        ),
    ]
    return join_lines(lines)


KIND_NAMES = {
    "before": N_("reminder"),
    "agenda": N_("agenda"),
    "nudge": N_("attendance nudge"),
    "after": N_("after-meeting question"),
    "health": N_("rhythm check"),
    "weekly": N_("weekly question"),
    "round": N_("issue round"),
    "literature": N_("literature question"),
    "using": N_("using-qualities question"),
    "decisions": N_("agreements at the meeting's end"),
    "due_soon": N_("agreement reminder"),
    "due": N_("agreement due"),
    "followup": N_("practice follow-up"),
}
STATUS_NAMES = {
    "planned": N_("planned"),
    "sent": N_("sent"),
    "missed": N_("missed"),
    "skipped": N_("skipped"),
    "cancelled": N_("cancelled"),
    "failed": N_("failed"),
    "sending": N_("interrupted"),
}


def paused(tr: Translator) -> str:
    return tr.gettext("All reminders of this CoP are paused. /resume starts them again.")


def resumed(tr: Translator) -> str:
    return tr.gettext("Reminders are back on.")


def reminders_set(tr: Translator, settings: Rhythm) -> Markup:
    leads = ", ".join(
        lead_text(tr, timedelta(minutes=m)) for m in sorted(settings.leads_minutes, reverse=True)
    )
    if not leads:
        return fmt(tr.gettext("No reminders before meetings any more."))
    return fmt(tr.gettext("Reminders before each meeting: {leads}."), leads=leads)


def weekly_set(tr: Translator, settings: Rhythm) -> Markup:
    if not settings.weekly:
        return fmt(tr.gettext("The weekly question is off."))
    return fmt(
        tr.gettext("The weekly question now comes on {day} at {time}."),
        day=format_weekday(settings.weekly_weekday, tr.language),
        time=settings.weekly_time,
    )


def holidays_set(tr: Translator, region: str | None, skip: bool) -> Markup:
    _ = tr.gettext
    if not skip:
        return fmt(_("Reminders are sent in holidays too."))
    names = {"north": _("north"), "middle": _("middle"), "south": _("south")}
    if region is None:
        return fmt(
            _(
                "Reminders skip public holidays. Set your school region to skip school "
                "holidays too: /holidays north, middle or south."
            )
        )
    return fmt(
        _("Reminders skip public holidays and the school holidays of region {region}."),
        region=names[region],
    )


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
        "example: 2026-12-02 15:00 or woensdag 15:00."
    ),
    "count": N_("<b>2/5.</b> How many meetings? Press a button or reply with a number."),
    "interval": N_("<b>3/5.</b> How often?"),
    "duration": N_("<b>4/5.</b> How long does a meeting last? Press a button or reply (e.g. 75)."),
    "location": N_("<b>5/5.</b> Where? Reply with a room or a video link, or skip."),
}


def plan_question(tr: Translator, step: str) -> Markup:
    return join_lines(
        [
            fmt(tr.gettext(PLAN_QUESTIONS[step])),
            fmt(tr.gettext("Send /cancel to stop without saving.")),
        ]
    )


def weeks(tr: Translator, n: int) -> str:
    return tr.ngettext("every week", "every {n} weeks", n).format(n=n)


def plan_summary(tr: Translator, preview: object, tz: ZoneInfo) -> Markup:
    from bot.services.meetings import Preview

    assert isinstance(preview, Preview)
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
