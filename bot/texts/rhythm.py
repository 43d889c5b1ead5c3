"""What the bot says about keeping the rhythm: reminder settings, the rhythm check, and
the answers to the outbox's questions (the weekly question, the meeting log)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.render.pages import paginate
from bot.services.reminders import Rhythm
from bot.services.rhythm import Finding, Listed, Note, Overview
from bot.services.when import format_weekday
from bot.texts.meetings import STATES as STATES  # bot.collection reads these from here
from bot.texts.meetings import agenda_lines as agenda_lines
from bot.texts.meetings import attendance_counts as attendance_counts
from bot.texts.meetings import when as when  # and bot.texts.issues this one

ERRORS = {
    "reminders_usage": N_("Give at most three times, for example: /reminders 2d 1h"),
    "weekly_usage": N_("Use /weekly thu 16:00, /weekly off or /weekly on."),
    "holidays_usage": N_(
        "Use /holidays north, /holidays middle, /holidays south or /holidays off."
    ),
}


def lead_text(tr: Translator, lead: timedelta) -> str:
    hours = int(lead.total_seconds() // 3600)
    minutes = int(lead.total_seconds() // 60)
    if hours >= 24 and hours % 24 == 0:
        return tr.ngettext("{n} day", "{n} days", hours // 24).format(n=hours // 24)
    if minutes >= 60 and minutes % 60 == 0:
        return tr.ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


def note_saved(tr: Translator, meeting_number: int) -> Markup:
    return fmt(tr.gettext("Saved in the log of meeting {number}."), number=meeting_number)


def weekly_noted(tr: Translator, name: str) -> Markup:
    return fmt(tr.gettext("Thank you, {name}: shared for the next meeting."), name=name)


def health_low_response(tr: Translator, share: int) -> str:
    return tr.gettext(
        "Only {share}% of the members answered the last two attendance questions."
    ).format(share=share)


def health_silent(tr: Translator, names: Sequence[str]) -> str:
    return tr.gettext("No reaction since meeting 1 from: {names}.").format(names=", ".join(names))


def health_drift(tr: Translator, name: str) -> str:
    """A member absent at the last two meetings, with what the facilitator could do."""
    return tr.gettext(
        "{name} was not there at the last two meetings. Ask {name} privately how things are, "
        "and share the recap."
    ).format(name=name)


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


def health_note(tr: Translator, note: Note) -> str:
    """One finding of the rhythm check (`bot.services.rhythm`)."""
    if note.finding is Finding.LOW_RESPONSE:
        return health_low_response(tr, note.number)
    if note.finding is Finding.SILENT:
        return health_silent(tr, note.names)
    if note.finding is Finding.DRIFT:
        return " ".join(health_drift(tr, name) for name in note.names)
    if note.finding is Finding.TOO_FAST:
        return health_too_fast(tr, note.number)
    if note.finding is Finding.TOO_SLOW:
        return health_too_slow(tr, note.number)
    return health_nothing_planned(tr)


def health_lines(tr: Translator, note: Note) -> list[str]:
    """The lines of one finding in the facilitator's note: one per member who drifts."""
    if note.finding is Finding.DRIFT:
        return [health_drift(tr, name) for name in note.names]
    return [health_note(tr, note)]


#: Reminders to come on the first page of /reminders; the rest is a press away.
FIRST_UPCOMING = 3


def rhythm_overview(tr: Translator, shown: Overview, tz: ZoneInfo) -> list[Markup]:
    """/reminders as pages: the settings with the next reminders and how to change them
    first, then the rest of what comes, then what was sent lately."""
    _ = tr.gettext
    settings = shown.rhythm
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
        fmt(
            _("Check-in with members who miss two meetings: {state}."),
            state=_("on") if settings.checkin else _("off"),
        ),
    ]
    if settings.paused:
        lines.append(fmt(_("All reminders are paused. Send /resume to start them again.")))
    first, rest = shown.upcoming[:FIRST_UPCOMING], shown.upcoming[FIRST_UPCOMING:]
    if first:
        lines += ["", fmt(_("Coming up:")), *_listed_lines(tr, tz, first)]
    lines += [
        "",
        fmt(
            _(
                "Change: /reminders 2d 1h \u00b7 /weekly thu 16:00 \u00b7 /weekly off \u00b7 "
                "/holidays north|middle|south|off \u00b7 /checkin on|off \u00b7 /pause \u00b7 "
                "/resume"
            )
        ),
    ]
    blocks = []
    if rest:
        blocks.append([fmt(_("Coming up later:")), *_listed_lines(tr, tz, rest)])
    if shown.recent:
        blocks.append([fmt(_("Sent lately:")), *_listed_lines(tr, tz, shown.recent)])
    later = paginate([fmt(_("<b>Reminders</b>"))], blocks) if blocks else []
    return [join_lines(lines), *(join_lines(page) for page in later)]


def _listed_lines(tr: Translator, tz: ZoneInfo, listed: Sequence[Listed]) -> list[str]:
    """One line per reminder; the status is said only where it is not the heading's."""
    _ = tr.gettext
    return [
        fmt(
            "\u2022 {when} \u00b7 {kind}{status}",
            when=when(tr, item.at, tz),
            kind=_(KIND_NAMES.get(item.kind, item.kind)),
            status=""
            if item.status in ("planned", "sent")
            else f" \u00b7 {_(STATUS_NAMES.get(item.status, item.status))}",
        )
        for item in listed
    ]


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
    "chase": N_("private reminder of an open question"),
    "qualities_early": N_("qualities early (to the facilitator)"),
}
STATUS_NAMES = {
    "planned": N_("planned"),
    "sent": N_("sent"),
    "missed": N_("missed"),
    "skipped": N_("skipped"),
    "cancelled": N_("cancelled"),
    "failed": N_("failed"),
    "sending": N_("being sent"),  # claimed; an interrupted send is recorded as missed
    "delivering": N_("being sent"),  # part of its messages out, the rest due again soon
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
    names = {
        "north": _("the northern region"),
        "middle": _("the middle region"),
        "south": _("the southern region"),
    }
    if region is None:
        return fmt(
            _(
                "Reminders skip public holidays. Set your school region to skip school "
                "holidays too: /holidays north, middle or south."
            )
        )
    return fmt(
        _("Reminders skip public holidays and the school holidays of {region}."),
        region=names[region],
    )
