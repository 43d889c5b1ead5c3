"""What the bot says after a meeting: the presence message, the recap draft and the recap
the group gets, and the warm message to a member who drifts away (`/checkin`)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.callbacks import Button, pack
from bot.render.html import Markup, fmt, join_lines
from bot.services.attendance import DONE, OPEN, Sheet
from bot.services.meetings import MeetingView
from bot.services.recap import Draft
from bot.services.rhythm import CheckIn
from bot.services.when import format_date_local
from bot.texts.meetings import present_count, when

ERRORS = {
    "presence_facilitators": N_(
        "Only the CoP's facilitators tick who was there. Nothing was changed."
    ),
    "presence_not_held": N_(
        "Meeting {number} has not taken place yet: presence is ticked after the meeting."
    ),
    "presence_cancelled": N_("Meeting {number} was cancelled: there is no presence to tick."),
    "presence_nothing_held": N_("No meeting has taken place yet. See /meetings."),
    "recap_facilitators": N_("Only the CoP's facilitators write and post the recap."),
    "recap_empty": N_("The recap cannot be empty. The draft is kept as it was."),
    "recap_too_long": N_(
        "That is {length} characters; a recap should fit on a phone screen, so keep it "
        "under {limit}. The draft is kept as it was."
    ),
    "recap_posted": N_("The recap of meeting {number} was posted already; it is not changed."),
    "checkin_usage": N_("Use /checkin on or /checkin off."),
    "after_meeting_usage": N_(
        "Give the meeting's number (for example 2), or nothing for the last meeting."
    ),
}

#: How many agreements and things to bring the recap lists before "and N more".
SHOWN = 5

Buttons = list[list[tuple[str, str]]]
TICKED, UNTICKED = "\u2705", "\u2b1c"  # on the presence buttons


# --- presence ----------------------------------------------------------------------------


def presence(tr: Translator, name: str, sheet: Sheet) -> Markup:
    """After a meeting, to one facilitator: who was there (buttons) and what was agreed."""
    _ = tr.gettext
    return join_lines(
        [
            fmt(
                _(
                    "Meeting {number} of {cop} has ended. What did you agree? Reply to this "
                    "message and it goes into the meeting log."
                ),
                number=sheet.meeting.number,
                cop=name,
            ),
            "",
            fmt(
                _(
                    "<b>Who was there?</b> Tap a name to change it; those who said they "
                    "would come are ticked already. Then press Done."
                )
            ),
            present_count(tr, sheet.present, len(sheet.members)),
            fmt(_("Facilitators: /document makes the updated collection document.")),
        ]
    )


def presence_buttons(tr: Translator, sheet: Sheet) -> Buttons:
    """One toggle per counted member (two a row), then Done."""
    meeting_id = sheet.meeting.id
    toggles = [
        (
            f"{TICKED if there else UNTICKED} {member.name}",
            pack(Button.PRESENCE, meeting_id, member.id),
        )
        for member, there in sheet.members
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    rows.append([(tr.gettext("Done"), pack(Button.PRESENCE, meeting_id, DONE))])
    return rows


def presence_closed(tr: Translator, name: str, sheet: Sheet) -> Markup:
    """The presence message once Done was pressed."""
    _ = tr.gettext
    lines: list[str] = [
        fmt(
            _("<b>Meeting {number} of {cop}</b>: {count}."),
            number=sheet.meeting.number,
            cop=name,
            count=present_count(tr, sheet.present, len(sheet.members)),
        )
    ]
    absent = sheet.absent()
    if absent:
        lines.append(fmt(_("Not there: {names}."), names=", ".join(m.name for m in absent)))
    lines.append(fmt(_("Recap drafts a short message for the group; you check it first.")))
    return join_lines(lines)


def closed_buttons(tr: Translator, meeting_id: int) -> Buttons:
    return [
        [
            (tr.gettext("Recap"), pack(Button.RECAP, meeting_id, "show")),
            (tr.gettext("Change"), pack(Button.PRESENCE, meeting_id, OPEN)),
        ]
    ]


def ticked(tr: Translator, sheet: Sheet) -> str:
    """The toast after a press on the presence message."""
    return tr.gettext("Noted: present {present} of {counted}.").format(
        present=sheet.present, counted=len(sheet.members)
    )


# --- the recap ---------------------------------------------------------------------------


def recap(tr: Translator, draft: Draft) -> Markup:
    """The recap as the group gets it: a few lines, phone-sized."""
    _ = tr.gettext
    tz = ZoneInfo(draft.community.timezone)
    meeting = draft.meeting
    if draft.text is not None:
        body = fmt("{text}", text=draft.text)
        return join_lines([_head(tr, meeting, tz), body])
    lines: list[str] = [_head(tr, meeting, tz)]
    if draft.agreed:
        lines.append(fmt(_("<b>Agreed</b>")))
        for item in draft.agreed[:SHOWN]:
            lines.append(_agreement_line(tr, item.text, item.owner_name, item.due, tz))
        lines += _more(tr, len(draft.agreed))
    else:
        lines.append(fmt(_("No new agreements this time.")))
    if draft.shared is not None:
        lines.append(fmt(_("<b>Our shared issue</b>: {text}"), text=draft.shared.text))
    if draft.following is not None:
        lines.append(
            fmt(
                _("<b>Next time</b>: meeting {number}, {when}"),
                number=draft.following.number,
                when=when(tr, draft.following.starts_at, tz),
            )
        )
        for thing in draft.bring[:SHOWN]:
            lines.append(_agreement_line(tr, thing.text, thing.by, thing.due, tz))
        lines += _more(tr, len(draft.bring))
    else:
        lines.append(fmt(_("No next meeting is planned yet.")))
    return join_lines(lines)


def _head(tr: Translator, meeting: MeetingView, tz: ZoneInfo) -> Markup:
    return fmt(
        tr.gettext("\U0001f4dd <b>Recap of meeting {number}</b> ({date})"),
        number=meeting.number,
        date=format_date_local(meeting.starts_at, tz, tr.language),
    )


def _agreement_line(
    tr: Translator, text: str, by: str | None, due: date | None, tz: ZoneInfo
) -> Markup:
    _ = tr.gettext
    day = format_date_local(due, tz, tr.language) if due is not None else None
    if by and day:
        return fmt(_("\u2022 {text} ({name}, by {date})"), text=text, name=by, date=day)
    if by:
        return fmt("\u2022 {text} ({name})", text=text, name=by)
    if day:
        return fmt(_("\u2022 {text} (by {date})"), text=text, date=day)
    return fmt("\u2022 {text}", text=text)


def _more(tr: Translator, count: int) -> list[str]:
    if count <= SHOWN:
        return []
    extra = count - SHOWN
    return [fmt(tr.ngettext("\u2026 and {n} more", "\u2026 and {n} more", extra), n=extra)]


def draft(tr: Translator, shown: Draft, group: Translator) -> Markup:
    """The draft for the facilitator: what the group would get, and what the buttons do.
    The recap itself is in the CoP's language (`group`)."""
    _ = tr.gettext
    if shown.posted is not None:
        return join_lines(
            [
                fmt(
                    _("The recap of meeting {number} is posted in the group:"),
                    number=shown.meeting.number,
                ),
                "",
                Markup(shown.posted),
            ]
        )
    return join_lines(
        [
            fmt(_("<b>Draft recap</b> (only you see this):")),
            "",
            recap(group, shown),
            "",
            fmt(_("Post sends it to the group. Edit lets you rewrite it first.")),
        ]
    )


def draft_buttons(tr: Translator, shown: Draft) -> Buttons:
    if shown.posted is not None:
        return []
    meeting_id = shown.meeting.id
    return [
        [
            (tr.gettext("Post"), pack(Button.RECAP, meeting_id, "post")),
            (tr.gettext("Edit"), pack(Button.RECAP, meeting_id, "edit")),
        ]
    ]


def edit_question(tr: Translator, number: int, limit: int) -> Markup:
    return fmt(
        tr.gettext(
            "Reply to this message with the recap of meeting {number} as the group should "
            "read it (at most {limit} characters)."
        ),
        number=number,
        limit=limit,
    )


def posted(tr: Translator, number: int) -> Markup:
    return fmt(tr.gettext("The recap of meeting {number} is posted in the group."), number=number)


def posted_already(tr: Translator) -> str:
    return tr.gettext("This recap was posted already; it is not posted twice.")


# --- /checkin ----------------------------------------------------------------------------


def checkin_set(tr: Translator, on: bool) -> Markup:
    _ = tr.gettext
    if on:
        return fmt(
            _(
                "Check-in is on: a member who misses two meetings in a row gets a warm private "
                "message with the last recap (once, and only with a private chat)."
            )
        )
    return fmt(_("Check-in is off: only the facilitators hear who missed two meetings."))


def checkin(tr: Translator, name: str, visit: CheckIn, tz: ZoneInfo) -> Markup:
    """To a member who missed the last two meetings: warm, no blame, the door open."""
    _ = tr.gettext
    lines: list[str] = [
        fmt(
            _(
                "Hi {name}, we missed you at the last two meetings of {cop}. How are things? "
                "No need to explain: you are welcome whenever it suits you."
            ),
            name=visit.member.name,
            cop=name,
        )
    ]
    if visit.following is not None:
        lines.append(
            fmt(
                _("The next meeting is meeting {number}, {when}."),
                number=visit.following.number,
                when=when(tr, visit.following.starts_at, tz),
            )
        )
    if visit.recap:
        lines += ["", fmt(_("What we did last time:")), Markup(visit.recap)]
    return join_lines(lines)
