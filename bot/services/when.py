"""Dates, times, durations and weekdays as facilitators type them, and as the group reads them.

Facilitators type moments in Telegram commands, in Dutch or English ("2 dec", "15u",
"1u30", "woensdag"). This module reads those texts in the CoP's time zone and formats
moments back in the group's language (with Babel, so Dutch names are Dutch).

Rules that shape everything below:

* Nothing here asks the system clock: `today`/`now` are always passed in, so tests and
  the demo can move time freely (see `bot.clock`).
* Ambiguous or impossible input is refused with `InvalidInput`, never guessed. Numeric
  dates are read in Dutch order (day-month-year), because the users are Dutch teachers.
  A wall-clock time that does not exist (spring forward) or happens twice (fall back)
  is refused rather than silently shifted, because a meeting at "02:30" on such a night
  would otherwise start at a moment nobody intended.
* Errors are raised with a code; `bot.texts.meetings.ERRORS` says them. The values are
  numbers, ISO dates or the person's own text, so they need no translation.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_day_names

from bot.errors import InvalidInput
from bot.i18n import LANGUAGES

__all__ = [
    "LEAD_MAX",
    "LEAD_MIN",
    "MAX_AHEAD",
    "MEETING_MAX_MINUTES",
    "MEETING_MIN_MINUTES",
    "format_date_local",
    "format_datetime_local",
    "format_duration",
    "format_time_local",
    "format_weekday",
    "localize",
    "next_weekly",
    "parse_date",
    "parse_duration_minutes",
    "parse_lead",
    "parse_time",
    "parse_weekday",
    "parse_when",
]

MEETING_MIN_MINUTES = 10
MEETING_MAX_MINUTES = 480
LEAD_MIN = timedelta(minutes=5)
LEAD_MAX = timedelta(days=14)
MAX_AHEAD = timedelta(days=730)
DEFAULT_LANGUAGE = "nl"

# Longer echoes of the person's text would swamp the error message.
_ECHO_LIMIT = 40

MONTHS: dict[str, int] = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "febr": 2,
    "februari": 2,
    "february": 2,
    "mrt": 3,
    "maart": 3,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "aug": 8,
    "augustus": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("maandag", "ma", "monday", "mon", "mo"), 0),
    **dict.fromkeys(("dinsdag", "di", "din", "tuesday", "tue", "tues", "tu"), 1),
    **dict.fromkeys(("woensdag", "wo", "woe", "wednesday", "wed", "we"), 2),
    **dict.fromkeys(("donderdag", "do", "don", "thursday", "thu", "thur", "thurs", "th"), 3),
    **dict.fromkeys(("vrijdag", "vr", "vrij", "friday", "fri", "fr"), 4),
    **dict.fromkeys(("zaterdag", "za", "zat", "saturday", "sat", "sa"), 5),
    **dict.fromkeys(("zondag", "zo", "zon", "sunday", "sun", "su"), 6),
}

_TODAY_WORDS = frozenset({"today", "vandaag"})
_TOMORROW_WORDS = frozenset({"tomorrow", "morgen"})

# Unit sizes in minutes. Months and years are left out on purpose: they have no fixed length.
_MINUTE_UNITS = dict.fromkeys(("m", "min", "mins", "minute", "minutes", "minuut", "minuten"), 1)
_HOUR_UNITS = dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "u", "uur", "uren"), 60)
_DAY_UNITS = dict.fromkeys(("d", "day", "days", "dag", "dagen"), 24 * 60)
_WEEK_UNITS = dict.fromkeys(("w", "wk", "week", "weeks", "weken"), 7 * 24 * 60)
_DURATION_UNITS = {**_MINUTE_UNITS, **_HOUR_UNITS}
_LEAD_UNITS = {**_MINUTE_UNITS, **_HOUR_UNITS, **_DAY_UNITS, **_WEEK_UNITS}

_ORDINAL = r"(?:(?:st|nd|rd|th|ste|de|e)(?![a-z]))?"  # 2nd, 2e, 2de
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
_NUMERIC_DATE = re.compile(r"(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}))?")
_DAY_MONTH = re.compile(
    rf"(?P<d>\d{{1,2}}){_ORDINAL}\.?\s*(?P<mn>[a-z]+)\.?(?:,?\s*(?P<y>\d{{4}}))?"
)
_MONTH_DAY = re.compile(rf"(?P<mn>[a-z]+)\.?\s*(?P<d>\d{{1,2}}){_ORDINAL}(?:,?\s*(?P<y>\d{{4}}))?")
_LEADING_WEEKDAY = re.compile(r"(?P<wd>[a-z]+)\.?,?\s+(?P<rest>.*\d.*)")

_TIME_CLOCK = re.compile(r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:\s*(?:u|uur|h))?")
_TIME_DUTCH = re.compile(r"(?P<h>\d{1,2})\s*(?:u|uur|h)(?:\s*(?P<m>\d{2}))?")
_TIME_AMPM = re.compile(r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)")

_AMOUNT_PART = re.compile(r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z]*)\.?\s*")


# --- helpers -------------------------------------------------------------------------------


def _normalize(text: str) -> str:
    """Lower case with single spaces, so every pattern below can ignore layout quirks."""
    return " ".join(text.split()).lower()


def _echo(text: str) -> str:
    """The person's own text, trimmed, for quoting back in an error."""
    cleaned = " ".join(text.split())
    if len(cleaned) > _ECHO_LIMIT:
        return cleaned[: _ECHO_LIMIT - 1] + "…"
    return cleaned


def _iso(year: int, month: int, day: int) -> str:
    """An ISO-style date string that also works for dates that do not exist (for errors)."""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _hhmm(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def _require_aware(moment: datetime, name: str) -> None:
    """Naive datetimes are programming errors here, not user errors: fail loudly."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def _locale(language: str) -> str:
    """Babel locale for a group language; unknown codes fall back like `Catalogs.get` does."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _does_not_exist(year: int, month: int, day: int) -> InvalidInput:
    return InvalidInput(
        "date_not_real",
        date=_iso(year, month, day),
    )


def _make_date(year: int, month: int, day: int) -> date:
    """A real date, or the "does not exist" error (31 February, month 13, day 0)."""
    if 1 <= month <= 12 and 1 <= day <= _days_in_month(year, month) and year >= 1:
        return date(year, month, day)
    raise _does_not_exist(year, month, day)


def _next_yearless(month: int, day: int, today: date) -> date:
    """The first `day`-`month` on or after `today`.

    For 29 February that may be a few years ahead: still the next such date, not a guess.
    A day that exists in no year at all (31 April) gets the "does not exist" error, shown
    with the year it would have had.
    """
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(2000, month)):
        year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
        raise _does_not_exist(year, month, day)
    year = today.year
    while True:
        if day <= _days_in_month(year, month):
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
        year += 1


def _cannot_read_date(text: str) -> InvalidInput:
    return InvalidInput(
        "date_unreadable",
        text=_echo(text),
    )


# --- parsing -------------------------------------------------------------------------------


def parse_weekday(text: str) -> int:
    """A weekday name or abbreviation in Dutch or English, Monday=0 (Python's convention)."""
    key = _normalize(text).rstrip(".")
    if key in WEEKDAYS:
        return WEEKDAYS[key]
    raise InvalidInput(
        "weekday_unknown",
        text=_echo(text),
    )


def parse_date(text: str, *, today: date) -> date:
    """A calendar date as typed, read in Dutch order when numeric.

    Accepted: ISO `2026-12-02`; `2-12-2026`, `02/12/2026`, `2.12.2026` (day first);
    `2 december 2026`, `2 dec`, `december 2, 2026`; optionally preceded by a weekday that
    must match; without a year the next such date on or after `today`; `today`/`vandaag`,
    `tomorrow`/`morgen`; a weekday name alone means the next such day strictly after
    today (typing "woensdag" on a Wednesday means next week, as people mean it).
    """
    norm = _normalize(text).rstrip(".")
    if not norm:
        raise _cannot_read_date(text)
    if norm in _TODAY_WORDS:
        return today
    if norm in _TOMORROW_WORDS:
        return today + timedelta(days=1)
    if norm in WEEKDAYS:
        ahead = (WEEKDAYS[norm] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)

    # "woensdag 2 december 2026": the weekday is a check, so a mismatch is refused.
    lead = _LEADING_WEEKDAY.fullmatch(norm)
    if lead and lead["wd"] in WEEKDAYS:
        found = _parse_plain_date(lead["rest"], today=today, original=text)
        if found.weekday() != WEEKDAYS[lead["wd"]]:
            raise InvalidInput(
                "weekday_mismatch",
                date=found.isoformat(),
            )
        return found
    return _parse_plain_date(norm, today=today, original=text)


def _parse_plain_date(norm: str, *, today: date, original: str) -> date:
    """The date forms without relative words or a leading weekday."""
    if match := _ISO_DATE.fullmatch(norm):
        return _make_date(int(match["y"]), int(match["m"]), int(match["d"]))
    if match := _NUMERIC_DATE.fullmatch(norm):
        day, month = int(match["d"]), int(match["m"])
        if match["y"] is None:
            return _next_yearless(month, day, today)
        return _make_date(int(match["y"]), month, day)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        match = pattern.fullmatch(norm)
        if match and match["mn"] in MONTHS:
            day, month = int(match["d"]), MONTHS[match["mn"]]
            if match["y"] is None:
                return _next_yearless(month, day, today)
            return _make_date(int(match["y"]), month, day)
    raise _cannot_read_date(original)


def parse_time(text: str) -> time:
    """A clock time: `15:00`, `15.00`, `15u`, `15 uur`, `15u30`, `3pm`, `3:30 pm`, `9:05`.

    A bare number ("3") is refused: it could be 03:00 or 15:00.
    """
    norm = _normalize(text)
    match = _TIME_CLOCK.fullmatch(norm) or _TIME_DUTCH.fullmatch(norm)
    if match:
        hour, minute = int(match["h"]), int(match["m"] or 0)
    elif match := _TIME_AMPM.fullmatch(norm):
        hour, minute = int(match["h"]), int(match["m"] or 0)
        if not 1 <= hour <= 12:
            raise InvalidInput(
                "ampm_hour",
            )
        hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
    else:
        raise InvalidInput(
            "time_unreadable",
            text=_echo(text),
        )
    if hour > 23 or minute > 59:
        raise InvalidInput(
            "time_out_of_range",
            text=_echo(text),
        )
    return time(hour, minute)


def _parse_amount(norm: str, units: dict[str, int], *, bare_minutes: bool) -> Fraction | None:
    """Total minutes of "1u30", "1.5h", "2 dagen", "1h 30m"; None when it cannot be read.

    Units must get smaller from left to right ("30m 1h" is refused). A number without a
    unit counts as minutes only right after hours ("1u30") or, if `bare_minutes`, alone.
    """
    negative = norm.startswith("-")
    rest = norm[1:].lstrip() if negative else norm
    parts: list[tuple[Fraction, str]] = []
    pos = 0
    while pos < len(rest):
        match = _AMOUNT_PART.match(rest, pos)
        if not match:
            return None
        parts.append((Fraction(Decimal(match["n"].replace(",", "."))), match["unit"]))
        pos = match.end()
    if not parts:
        return None
    total = Fraction(0)
    previous_size: int | None = None
    for index, (number, unit) in enumerate(parts):
        if unit:
            if unit not in units:
                return None
            size = units[unit]
        elif (len(parts) == 1 and bare_minutes) or (
            index == len(parts) - 1 and previous_size == 60 and number.denominator == 1
        ):
            size = 1  # "60" alone, or the "30" of "1u30"
        else:
            return None
        if previous_size is not None and size >= previous_size:
            return None
        previous_size = size
        total += number * size
    return -total if negative else total


def parse_duration_minutes(text: str) -> int:
    """A meeting length in whole minutes: `60`, `60m`, `60 min`, `1h`, `1.5h`, `1u30`."""
    norm = _normalize(text)
    minutes = _parse_amount(norm, _DURATION_UNITS, bare_minutes=True) if norm else None
    if minutes is None:
        raise InvalidInput(
            "duration_unreadable",
            text=_echo(text),
        )
    if not MEETING_MIN_MINUTES <= minutes <= MEETING_MAX_MINUTES:
        raise InvalidInput(
            "duration_out_of_range",
            minimum=MEETING_MIN_MINUTES,
            maximum=MEETING_MAX_MINUTES,
        )
    if minutes.denominator != 1:
        raise InvalidInput("whole_minutes")
    return int(minutes)


def parse_lead(text: str) -> timedelta:
    """How long before a meeting a reminder goes out: `2d`, `48h`, `30m`, `2 dagen`, `1 uur`.

    A unit is required: "2" alone could be minutes, hours or days.
    """
    norm = _normalize(text)
    minutes = _parse_amount(norm, _LEAD_UNITS, bare_minutes=False) if norm else None
    if minutes is None:
        raise InvalidInput(
            "lead_unreadable",
            text=_echo(text),
        )
    lowest, highest = LEAD_MIN // timedelta(minutes=1), LEAD_MAX // timedelta(minutes=1)
    if not lowest <= minutes <= highest:
        raise InvalidInput(
            "lead_out_of_range",
            minutes=lowest,
            days=LEAD_MAX.days,
        )
    if minutes.denominator != 1:
        raise InvalidInput("whole_minutes")
    return timedelta(minutes=int(minutes))


# --- time zones ----------------------------------------------------------------------------


def _wall_clock_kind(day: date, at: time, tz: ZoneInfo) -> str:
    """Whether this wall-clock time is "gap", "fold" or "normal" (PEP 495 fold semantics).

    A time in a gap does not survive a round trip through UTC; a time in a fold does,
    but with fold=0 and fold=1 giving different offsets.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = naive.replace(tzinfo=tz, fold=0)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return "gap"
    if first.utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        return "fold"
    return "normal"


def localize(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The aware local datetime of `day` at `at` in `tz`, refusing DST gaps and folds.

    Refused rather than shifted: the facilitator chose a time on a night when that time
    does not exist or happens twice, and only they can say what they meant.
    """
    if at.tzinfo is not None:
        raise ValueError("localize takes a wall-clock time without tzinfo")
    kind = _wall_clock_kind(day, at, tz)
    if kind == "gap":
        raise InvalidInput(
            "clocks_forward",
            date=day.isoformat(),
            time=_hhmm(at),
        )
    if kind == "fold":
        raise InvalidInput(
            "clocks_back",
            date=day.isoformat(),
            time=_hhmm(at),
        )
    return datetime.combine(day, at.replace(fold=0), tzinfo=tz)


def _localize_lenient(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Like `localize`, but for recurring meetings that must happen anyway.

    In a gap it gives the first moment after the gap (the transition itself, e.g. 03:00
    for a 02:30 meeting on the night the clocks go forward); in a fold the first
    occurrence (fold=0, still summer time).
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    if _wall_clock_kind(day, at, tz) != "gap":
        return naive.replace(tzinfo=tz, fold=0)
    # The transition lies between the two readings of the naive time (fold=1 reads it with
    # the later offset, so earlier in UTC); find it to the second by bisection.
    low, high = sorted(naive.replace(tzinfo=tz, fold=fold).timestamp() for fold in (0, 1))
    before, after = math.floor(low), math.ceil(high)
    after_offset = datetime.fromtimestamp(after, tz).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == after_offset:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, tz)


def parse_when(
    date_text: str,
    time_text: str,
    *,
    tz: ZoneInfo,
    now: datetime,
    max_ahead: timedelta = MAX_AHEAD,
) -> datetime:
    """A future meeting moment from a typed date and time in the CoP's zone, in UTC.

    "Today" and year-less dates are read against the CoP's local date, not UTC's,
    so a facilitator typing at 00:30 in Amsterdam gets their own calendar day.
    """
    _require_aware(now, "now")
    today = now.astimezone(tz).date()
    day = parse_date(date_text, today=today)
    at = parse_time(time_text)
    moment = localize(day, at, tz).astimezone(UTC)
    if moment <= now:
        raise InvalidInput(
            "moment_past",
            when=f"{day.isoformat()} {_hhmm(at)}",
        )
    if moment - now > max_ahead:
        if max_ahead == MAX_AHEAD:
            raise InvalidInput("too_far_ahead")
        raise InvalidInput(
            "too_far_days",
            days=max_ahead.days,
        )
    return moment


def next_weekly(after: datetime, weekday: int, at: time, tz: ZoneInfo) -> datetime:
    """The first local `weekday` at `at` strictly after `after`, in UTC.

    The time is kept on the local wall clock, so a weekly 08:00 stays 08:00 through
    daylight-saving changes. A recurring meeting cannot be refused week by week, so on
    the night the clocks go forward a time inside the gap becomes the first moment after
    the gap (02:30 -> 03:00), and on the night they go back the first occurrence is used.
    """
    _require_aware(after, "after")
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    if at.tzinfo is not None:
        raise ValueError("next_weekly takes a wall-clock time without tzinfo")
    local_after = after.astimezone(tz)
    day = local_after.date() + timedelta(days=(weekday - local_after.weekday()) % 7)
    while True:
        moment = _localize_lenient(day, at, tz)
        if moment > after:
            return moment.astimezone(UTC)
        day += timedelta(days=7)


# --- formatting ----------------------------------------------------------------------------


def format_datetime_local(moment: datetime, tz: ZoneInfo, language: str) -> str:
    """E.g. "woensdag 2 december 2026, 15:00" / "Wednesday 2 December 2026, 15:00".

    Weekday in full because teachers plan by weekday; 24-hour clock in both languages,
    as is usual in the Netherlands.
    """
    _require_aware(moment, "moment")
    return babel_format_datetime(
        moment, "EEEE d MMMM y, HH:mm", tzinfo=tz, locale=_locale(language)
    )


def format_date_local(moment: datetime | date, tz: ZoneInfo, language: str) -> str:
    """E.g. "woensdag 2 december 2026"; an aware datetime is first moved into `tz`."""
    if isinstance(moment, datetime):
        _require_aware(moment, "moment")
        return babel_format_datetime(moment, "EEEE d MMMM y", tzinfo=tz, locale=_locale(language))
    as_datetime = datetime.combine(moment, time(12), tzinfo=tz)
    return babel_format_datetime(as_datetime, "EEEE d MMMM y", tzinfo=tz, locale=_locale(language))


def format_time_local(moment: datetime, tz: ZoneInfo, language: str) -> str:
    """E.g. "15:00": the wall-clock time in `tz`, 24-hour clock."""
    _require_aware(moment, "moment")
    return babel_format_datetime(moment, "HH:mm", tzinfo=tz, locale=_locale(language))


def format_weekday(weekday: int, language: str) -> str:
    """E.g. "woensdag" / "Wednesday" for 2 (Monday=0, like `date.weekday()`)."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    return str(get_day_names("wide", locale=_locale(language))[weekday])


def format_duration(minutes: int, language: str) -> str:
    """E.g. "45 min", "60 min", "1 uur 30 min" / "1 h 30 min", "2 uur" / "2 h".

    Up to an hour reads best in minutes (teachers say "een uur" and "60 minuten" alike);
    longer meetings read best in hours.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if minutes <= 60:
        return f"{minutes} min"
    hour_unit = "uur" if _locale(language) == "nl" else "h"
    hours, rest = divmod(minutes, 60)
    return f"{hours} {hour_unit} {rest} min" if rest else f"{hours} {hour_unit}"
