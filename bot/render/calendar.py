"""The CoP meeting schedule as an iCalendar (.ics) file for `/calendar`.

Teachers import the file into Outlook or Google Calendar, and re-import it after the
schedule changes. That only updates their existing entries (instead of duplicating them)
when every meeting keeps the same UID for its whole life and a change bumps SEQUENCE,
so the caller owns both: the UID comes from `event_uid` and the SEQUENCE from storage.
A cancelled meeting is not dropped from the file but exported with STATUS:CANCELLED,
because a missing event does not remove anything from a teacher's calendar on re-import.

Times are written in the CoP's own time zone (DTSTART;TZID=Europe/Amsterdam) together
with a matching VTIMEZONE, not in UTC: a 15:00 meeting must stay 15:00 local time on
both sides of a DST change, and clients show the zone the CoP actually meets in.

All escaping and line folding is left to the `icalendar` library on purpose: agendas
are free text from users (commas, semicolons, newlines, emoji, HTML-like text), and
hand-rolled escaping is where .ics exports usually break.

This module is pure (no Telegram, no storage, no clock): the caller passes `stamp`,
so the same schedule always renders the same bytes and tests can compare output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone

DEFAULT_PRODUCT = "-//copbot//CoP meetings//NL"
UID_DOMAIN = "copbot"

_INSTALLATION = re.compile(r"[A-Za-z0-9]{1,64}")

# RFC 5545 TEXT allows no control characters except HTAB (newlines are escaped as \n).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as it should appear in the teacher's calendar.

    `uid` must stay the same when the meeting is moved or cancelled (see `event_uid`)
    and `sequence` must grow with each such change; otherwise calendar clients either
    duplicate the meeting or ignore the update on re-import.
    """

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    cancelled: bool = False
    last_modified: datetime | None = None


def event_uid(installation: str, community_id: int, meeting_id: int) -> str:
    """The stable UID of a meeting.

    Built from the installation's random id and database ids only (never from the date
    or title), so a moved or renamed meeting keeps its UID and a re-import updates the
    existing entry, while another installation (another school, or this one after a
    reinstall) never produces the same UID. The domain part keeps it globally unique as
    RFC 5545 asks, next to other calendars a teacher has.
    """
    if not _INSTALLATION.fullmatch(installation):
        raise ValueError(f"installation id must be short and plain: {installation!r}")
    return f"copbot-{installation}-cop{int(community_id)}-meeting{int(meeting_id)}@{UID_DOMAIN}"


def render_calendar(
    *,
    name: str,
    timezone: str,
    events: Sequence[CalendarEvent],
    product: str = DEFAULT_PRODUCT,
    stamp: datetime,
) -> bytes:
    """Renders the schedule of one CoP as the bytes of an .ics file (METHOD:PUBLISH).

    `timezone` is the CoP's IANA zone: every DTSTART/DTEND is converted to it and a
    VTIMEZONE for it is always included (also for an empty schedule, so X-WR-TIMEZONE
    never points at a zone the file does not define). `stamp` is the DTSTAMP of every
    event that has no `last_modified`; it is passed in to keep the output deterministic.
    Events are written ordered by start time and UID, so the input order does not matter.

    Raises ValueError for an unknown time zone, naive datetimes, an end that is not after
    the start, a negative sequence or duplicate UIDs: each of those would produce a file
    that clients reject or silently misread, so it is better to fail loudly here.
    """
    zone = _zone(timezone)
    _require_aware(stamp, "stamp")
    _check_events(events)

    calendar = Calendar()
    calendar.add("PRODID", product)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    # Non-standard but what Outlook and Google read for the calendar's name and zone.
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-TIMEZONE", timezone)

    calendar.add_component(_vtimezone(timezone, events, stamp))
    for event in sorted(events, key=lambda e: (e.start, e.uid)):
        calendar.add_component(_vevent(event, zone, stamp))
    # Safety net: with everything in one zone this adds nothing, but it keeps the file
    # valid should a component ever reference another TZID.
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical


def _zone(timezone: str) -> ZoneInfo:
    """Resolves the CoP's zone; an unknown name would give times no client can place."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone: {timezone!r}") from error


def _require_aware(value: datetime, what: str) -> None:
    """Naive datetimes are ambiguous (floating time in iCalendar), so they are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {value!r}")


def _check_events(events: Sequence[CalendarEvent]) -> None:
    """Refuses input that would render an invalid or misleading calendar."""
    seen: set[str] = set()
    for event in events:
        if not event.uid:
            raise ValueError("event uid must not be empty")
        if event.uid in seen:
            # Two VEVENTs with one UID (and no RECURRENCE-ID) make clients keep only one.
            raise ValueError(f"duplicate event uid: {event.uid!r}")
        seen.add(event.uid)
        if event.sequence < 0:
            raise ValueError(f"sequence must not be negative: {event.uid!r}")
        _require_aware(event.start, f"start of {event.uid}")
        _require_aware(event.end, f"end of {event.uid}")
        if event.end <= event.start:
            raise ValueError(f"end must be after start: {event.uid!r}")
        if event.last_modified is not None:
            _require_aware(event.last_modified, f"last_modified of {event.uid}")


def _vtimezone(timezone: str, events: Sequence[CalendarEvent], stamp: datetime) -> Timezone:
    """The VTIMEZONE of the CoP's zone, covering the schedule with a year of margin.

    The range is derived from the input (not from today) so the output stays
    deterministic, and kept short so the component stays small for clients.
    """
    years = [stamp.year]
    for event in events:
        years.extend((event.start.year, event.end.year))
    first = date(min(years) - 1, 1, 1)
    last = date(max(years) + 2, 1, 1)
    return Timezone.from_tzid(timezone, first_date=first, last_date=last)


def _vevent(event: CalendarEvent, zone: ZoneInfo, stamp: datetime) -> Event:
    """One VEVENT; the library escapes the free text and folds long lines."""
    vevent = Event()
    vevent.add("UID", event.uid)
    # DTSTAMP must be UTC. A known last change time gives every event its own stable
    # stamp, so re-exports of an unchanged meeting produce an identical VEVENT.
    vevent.add("DTSTAMP", _utc(event.last_modified or stamp))
    if event.last_modified is not None:
        vevent.add("LAST-MODIFIED", _utc(event.last_modified))
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("DTSTART", event.start.astimezone(zone))
    vevent.add("DTEND", event.end.astimezone(zone))
    vevent.add("SUMMARY", _text(event.summary))
    if event.description:
        vevent.add("DESCRIPTION", _text(event.description))
    if event.location:
        vevent.add("LOCATION", _text(event.location))
    # An explicit CONFIRMED lets a re-import also undo an earlier cancellation.
    vevent.add("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
    return vevent


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _text(value: str) -> str:
    """Makes user text representable; escaping and folding stay with the library.

    iCalendar has only one line break, so CRLF and CR become LF (as the library would do
    anyway), and other control characters, which RFC 5545 forbids in TEXT and which make
    some importers reject the whole file, are dropped.
    """
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
