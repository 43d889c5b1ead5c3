"""Reading and showing dates, times, durations and weekdays (bot.services.when).

The facilitator's input is refused, never guessed, when it is ambiguous or impossible;
a meeting keeps its local wall-clock time across daylight-saving changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.i18n import Catalogs
from bot.services.when import (
    format_date_local,
    format_datetime_local,
    format_duration,
    format_time_local,
    format_weekday,
    localize,
    next_weekly,
    parse_date,
    parse_duration_minutes,
    parse_lead,
    parse_time,
    parse_weekday,
    parse_when,
)
from bot.texts.common import all_errors
from bot.texts.examples import examples

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


def _sentence(excinfo: pytest.ExceptionInfo[InvalidInput]) -> str:
    """The English sentence of the error's code (`bot.texts` says each code)."""
    return all_errors()[excinfo.value.msgid]


def _error(excinfo: pytest.ExceptionInfo[InvalidInput]) -> str:
    """The error as the person would read it (the English sentence with its values)."""
    shown = examples(Catalogs().get("en"), TODAY)
    return _sentence(excinfo).format(**{**shown, **excinfo.value.values})


@contextmanager
def _refused(pattern: str) -> Iterator[None]:
    """Like `pytest.raises(InvalidInput, match=...)`, on the sentence the person reads."""
    with pytest.raises(InvalidInput) as excinfo:
        yield
    assert re.search(pattern, _error(excinfo)), _error(excinfo)


# --- parse_date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-02",
        "2-12-2026",
        "02-12-2026",
        "02/12/2026",
        "2/12/2026",
        "2.12.2026",
        "2 december 2026",
        "2 December 2026",
        "2 dec 2026",
        "2 dec. 2026",
        "2dec2026",
        "2december2026",
        "2de december 2026",
        "december 2, 2026",
        "dec 2 2026",
        "2nd december 2026",
        "2e december 2026",
        "  2   december   2026  ",
        "woensdag 2 december 2026",
        "Wednesday 2 December 2026",
        "wo 2 dec 2026",
        "wed, 2 dec",
        "2 dec",
        "2-12",
        "2/12",
        "2.12",
        "december 2",
    ],
)
def test_parse_date_accepts_every_format(text: str) -> None:
    assert parse_date(text, today=TODAY) == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("januari", 1),
        ("january", 1),
        ("jan", 1),
        ("februari", 2),
        ("february", 2),
        ("feb", 2),
        ("maart", 3),
        ("march", 3),
        ("mrt", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("mei", 5),
        ("may", 5),
        ("juni", 6),
        ("june", 6),
        ("jun", 6),
        ("juli", 7),
        ("july", 7),
        ("jul", 7),
        ("augustus", 8),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("oktober", 10),
        ("october", 10),
        ("okt", 10),
        ("oct", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
    ],
)
def test_parse_date_knows_dutch_and_english_months(name: str, month: int) -> None:
    assert parse_date(f"3 {name} 2027", today=TODAY) == date(2027, month, 3)
    assert parse_date(f"3 {name.upper()} 2027", today=TODAY) == date(2027, month, 3)


def test_date_without_year_is_the_next_one_on_or_after_today() -> None:
    assert parse_date("23 nov", today=TODAY) == date(2026, 11, 23)  # today counts
    assert parse_date("24-11", today=TODAY) == date(2026, 11, 24)
    assert parse_date("22 nov", today=TODAY) == date(2027, 11, 22)  # yesterday: next year
    assert parse_date("15 januari", today=TODAY) == date(2027, 1, 15)  # year rollover
    assert parse_date("1-1", today=date(2026, 12, 31)) == date(2027, 1, 1)
    assert parse_date("31 dec", today=date(2026, 12, 31)) == date(2026, 12, 31)


def test_29_february_without_year_is_the_next_leap_day() -> None:
    assert parse_date("29 feb", today=TODAY) == date(2028, 2, 29)
    assert parse_date("29-2", today=date(2028, 1, 1)) == date(2028, 2, 29)


def test_relative_words() -> None:
    assert parse_date("today", today=TODAY) == TODAY
    assert parse_date("Vandaag", today=TODAY) == TODAY
    assert parse_date("tomorrow", today=TODAY) == date(2026, 11, 24)
    assert parse_date("morgen", today=TODAY) == date(2026, 11, 24)
    assert parse_date("morgen", today=date(2026, 12, 31)) == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("woensdag", date(2026, 11, 25)),
        ("wednesday", date(2026, 11, 25)),
        ("wo", date(2026, 11, 25)),
        ("wed", date(2026, 11, 25)),
        ("dinsdag", date(2026, 11, 24)),
        ("zondag", date(2026, 11, 29)),
        ("maandag", date(2026, 11, 30)),  # today is Monday: strictly after, so next week
        ("monday", date(2026, 11, 30)),
    ],
)
def test_weekday_as_date_is_the_next_one_strictly_after_today(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "soon", "volgende week", "2026/12/02", "12-2026", "2 foo 2026", "2-12-26", "32"],
)
def test_parse_date_refuses_unreadable_text(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_date(text, today=TODAY)
    assert _sentence(excinfo).startswith("I cannot read")
    assert "Write it like 30 November or 30-11-2026." in _error(excinfo)  # TODAY + a week
    assert excinfo.value.values == {"text": " ".join(text.split())}


def test_unreadable_echo_is_trimmed() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_date("x" * 500, today=TODAY)
    assert len(excinfo.value.values["text"]) == 40
    assert excinfo.value.values["text"].endswith("…")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("31 februari 2027", "2027-02-31"),
        ("29-02-2027", "2027-02-29"),
        ("2027-02-29", "2027-02-29"),
        ("31 april 2027", "2027-04-31"),
        ("0-12-2026", "2026-12-00"),
        ("2-13-2026", "2026-13-02"),
        ("2026-00-10", "2026-00-10"),
        ("0000-01-01", "0000-01-01"),
        ("31 feb", "2027-02-31"),
        ("31-4", "2027-04-31"),
        ("30-11", "2026-11-30"),
    ],
)
def test_parse_date_refuses_days_that_do_not_exist(text: str, shown: str) -> None:
    if text == "30-11":  # sanity: a real yearless date is accepted
        assert parse_date(text, today=TODAY) == date(2026, 11, 30)
        return
    with pytest.raises(InvalidInput) as excinfo:
        parse_date(text, today=TODAY)
    assert _sentence(excinfo) == "{date} does not exist. Check the day and the month."
    assert excinfo.value.values == {"date": shown}


def test_leap_day_in_a_leap_year_is_fine() -> None:
    assert parse_date("29 februari 2028", today=TODAY) == date(2028, 2, 29)


def test_weekday_before_a_date_must_match() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_date("donderdag 2 december 2026", today=TODAY)
    assert _error(excinfo) == "The weekday does not match 2026-12-02. Check the date."


# --- parse_time ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15:00", time(15, 0)),
        ("15.00", time(15, 0)),
        ("15u", time(15, 0)),
        ("15 uur", time(15, 0)),
        ("15:00 uur", time(15, 0)),
        ("15u30", time(15, 30)),
        ("15h", time(15, 0)),
        ("3pm", time(15, 0)),
        ("3 PM", time(15, 0)),
        ("3 p.m.", time(15, 0)),
        ("3:30 pm", time(15, 30)),
        ("3.30pm", time(15, 30)),
        ("9am", time(9, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("9:05", time(9, 5)),
        ("09:05", time(9, 5)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "3", "15", "noon", "15:0", "15:000", "1500", "3 o'clock"])
def test_parse_time_refuses_unreadable(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_time(text)
    assert _sentence(excinfo).startswith("I cannot read")
    assert "15:00 or 3pm" in _error(excinfo)


@pytest.mark.parametrize("text", ["24:30", "24:00", "15:75", "25u", "99.99"])
def test_parse_time_refuses_out_of_range(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_time(text)
    assert _error(excinfo) == (
        f"\u201c{text}\u201d is not a time of day. Use hours 0 to 23 and minutes 0 to 59, "
        "like 15:00."
    )


@pytest.mark.parametrize("text", ["13pm", "0am", "15:30 pm"])
def test_parse_time_refuses_impossible_am_pm(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_time(text)
    assert "am or pm" in _error(excinfo)


def test_am_pm_with_bad_minutes_is_out_of_range() -> None:
    with _refused("is not a time of day"):
        parse_time("3:75pm")


# --- parse_duration_minutes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60", 60),
        ("60m", 60),
        ("60 min", 60),
        ("60 minuten", 60),
        ("60 minutes", 60),
        ("1h", 60),
        ("1 uur", 60),
        ("1u", 60),
        ("1.5h", 90),
        ("1,5 uur", 90),
        ("1u30", 90),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1 uur 30 minuten", 90),
        ("90 minuten", 90),
        ("10", 10),
        ("8h", 480),
        ("480", 480),
    ],
)
def test_parse_duration_accepts(text: str, expected: int) -> None:
    assert parse_duration_minutes(text) == expected


@pytest.mark.parametrize("text", ["", "an hour", "1d", "30m 1h", "1h1h", "1u30u", "h", "1.5.3h"])
def test_parse_duration_refuses_unreadable(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_duration_minutes(text)
    assert _sentence(excinfo).startswith("I cannot read")
    assert "60, 90m or 1h30" in _error(excinfo)


@pytest.mark.parametrize("text", ["0", "-30", "-1h", "9", "481", "9h", "100000h", "9" * 5000])
def test_parse_duration_refuses_out_of_range(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_duration_minutes(text)
    assert _error(excinfo) == (
        "A meeting can last from 10 to 480 minutes. Write for example 60, 90m or 1h30."
    )


def test_parse_duration_refuses_fractions_of_minutes() -> None:
    with _refused("whole minutes"):
        parse_duration_minutes("1.01h")


# --- parse_lead ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2d", timedelta(days=2)),
        ("2 dagen", timedelta(days=2)),
        ("1 dag", timedelta(days=1)),
        ("2 days", timedelta(days=2)),
        ("48h", timedelta(hours=48)),
        ("1h", timedelta(hours=1)),
        ("1 uur", timedelta(hours=1)),
        ("30m", timedelta(minutes=30)),
        ("30 min", timedelta(minutes=30)),
        ("5m", timedelta(minutes=5)),
        ("1d 12h", timedelta(hours=36)),
        ("1u30", timedelta(minutes=90)),
        ("1 week", timedelta(days=7)),
        ("2 weken", timedelta(days=14)),
        ("14d", timedelta(days=14)),
    ],
)
def test_parse_lead_accepts(text: str, expected: timedelta) -> None:
    assert parse_lead(text) == expected


@pytest.mark.parametrize("text", ["", "2", "soon", "2 maanden", "12h 1d"])
def test_parse_lead_refuses_unreadable(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_lead(text)
    assert "2d, 48h or 30m" in _error(excinfo)
    assert _sentence(excinfo).startswith("I cannot read")


@pytest.mark.parametrize("text", ["4m", "0m", "-1d", "15d", "3 weken", "337h"])
def test_parse_lead_refuses_out_of_range(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_lead(text)
    assert _error(excinfo) == (
        "A reminder can go out from 5 minutes to 14 days before. Write for example 2d, 48h or 30m."
    )


def test_parse_lead_refuses_fractions_of_minutes() -> None:
    with _refused("whole minutes"):
        parse_lead("5.5m")


# --- parse_weekday -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "number"),
    [
        (("maandag", "ma", "Monday", "mon"), 0),
        (("dinsdag", "di", "Tuesday", "tue", "tues"), 1),
        (("woensdag", "wo", "Wednesday", "wed"), 2),
        (("donderdag", "do", "Thursday", "thu", "thurs"), 3),
        (("vrijdag", "vr", "Friday", "fri"), 4),
        (("zaterdag", "za", "Saturday", "sat"), 5),
        (("zondag", "zo", "Sunday", "sun"), 6),
    ],
)
def test_parse_weekday_dutch_and_english(names: tuple[str, ...], number: int) -> None:
    for name in names:
        assert parse_weekday(name) == number
        assert parse_weekday(f" {name.upper()}. ") == number


@pytest.mark.parametrize("text", ["", "weekend", "x", "2", "maart"])
def test_parse_weekday_refuses_unknown(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_weekday(text)
    assert "Write a day like Monday." in _error(excinfo)  # the weekday a week from TODAY


# --- localize and daylight saving ----------------------------------------------------------


def test_localize_gives_the_aware_local_moment() -> None:
    moment = localize(date(2026, 12, 2), time(15, 0), AMS)
    assert moment.tzinfo is AMS
    assert moment.astimezone(UTC) == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


def test_localize_refuses_a_time_in_the_spring_gap() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        localize(date(2027, 3, 28), time(2, 30), AMS)
    assert _error(excinfo) == (
        "On 2027-03-28 the clocks go forward: 02:30 does not exist. Choose another time."
    )
    with pytest.raises(InvalidInput):
        localize(date(2026, 3, 29), time(2, 0), AMS)


def test_localize_refuses_a_time_that_happens_twice_in_autumn() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        localize(date(2026, 10, 25), time(2, 30), AMS)
    assert _error(excinfo) == (
        "On 2026-10-25 the clocks go back: 02:30 happens twice. Choose another time."
    )


def test_localize_accepts_the_edges_of_the_changes() -> None:
    assert localize(date(2027, 3, 28), time(3, 0), AMS).astimezone(UTC).hour == 1
    assert localize(date(2027, 3, 28), time(1, 59), AMS).astimezone(UTC).hour == 0
    assert localize(date(2026, 10, 25), time(3, 0), AMS).astimezone(UTC).hour == 2
    assert localize(date(2026, 10, 25), time(1, 59), AMS).astimezone(UTC).hour == 23


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (date(2026, 10, 24), date(2026, 10, 26)),  # summer time ends 25 October 2026
        (date(2027, 3, 27), date(2027, 3, 29)),  # summer time starts 28 March 2027
    ],
)
def test_a_15_00_meeting_stays_15_00_local_across_the_change(before: date, after: date) -> None:
    first = localize(before, time(15, 0), AMS)
    second = localize(after, time(15, 0), AMS)
    assert first.time() == second.time() == time(15, 0)
    assert first.astimezone(AMS).hour == second.astimezone(AMS).hour == 15
    assert first.utcoffset() != second.utcoffset()
    assert (second.astimezone(UTC) - first.astimezone(UTC)) != timedelta(days=2)


def test_localize_wants_a_wall_clock_time() -> None:
    with pytest.raises(ValueError):
        localize(date(2026, 12, 2), time(15, 0, tzinfo=UTC), AMS)


# --- parse_when ----------------------------------------------------------------------------


def test_parse_when_returns_utc() -> None:
    moment = parse_when("2 december 2026", "15:00", tz=AMS, now=NOW)
    assert moment == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
    assert moment.tzinfo is UTC


def test_parse_when_in_summer_time() -> None:
    moment = parse_when("1-7-2027", "15u", tz=AMS, now=NOW)
    assert moment == datetime(2027, 7, 1, 13, 0, tzinfo=UTC)


def test_parse_when_reads_today_in_the_cop_zone() -> None:
    # 23:30 UTC on 23 November is already 24 November in Amsterdam.
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert parse_when("vandaag", "20:00", tz=AMS, now=late) == datetime(
        2026, 11, 24, 19, 0, tzinfo=UTC
    )


def test_parse_when_refuses_the_past() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_when("vandaag", "08:00", tz=AMS, now=NOW)
    assert _error(excinfo) == "2026-11-23 08:00 is in the past. Choose a later date or time."
    with _refused("in the past"):
        parse_when("2026-01-05", "15:00", tz=AMS, now=NOW)
    with _refused("in the past"):
        parse_when("today", "09:00", tz=AMS, now=NOW)  # exactly now


def test_parse_when_later_today_is_fine() -> None:
    assert parse_when("today", "09:01", tz=AMS, now=NOW) == NOW + timedelta(minutes=1)


def test_parse_when_refuses_more_than_two_years_ahead() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_when("1 januari 2029", "15:00", tz=AMS, now=NOW)
    assert _error(excinfo) == "That is more than two years away. Plan meetings within two years."
    assert parse_when("1 november 2028", "15:00", tz=AMS, now=NOW).year == 2028


def test_parse_when_with_a_shorter_limit() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_when("1-6-2027", "15:00", tz=AMS, now=NOW, max_ahead=timedelta(days=90))
    assert _error(excinfo) == "That is too far away. Plan meetings within 90 days."


def test_parse_when_passes_on_the_parts_errors() -> None:
    with _refused("as a date"):
        parse_when("soon", "15:00", tz=AMS, now=NOW)
    with _refused("as a time"):
        parse_when("2 dec", "later", tz=AMS, now=NOW)
    with _refused("clocks go forward"):
        parse_when("28-3-2027", "2:30", tz=AMS, now=NOW)
    with _refused("happens twice"):
        parse_when("31 oktober 2027", "02:30", tz=AMS, now=datetime(2027, 1, 1, tzinfo=UTC))


def test_parse_when_wants_an_aware_now() -> None:
    with pytest.raises(ValueError):
        parse_when("2 dec", "15:00", tz=AMS, now=datetime(2026, 11, 23, 8, 0))  # noqa: DTZ001


# --- next_weekly ---------------------------------------------------------------------------


def test_next_weekly_keeps_08_00_local_for_two_years_of_dst_changes() -> None:
    after = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    previous: datetime | None = None
    offsets = set()
    for _ in range(105):
        moment = next_weekly(after, 2, time(8, 0), AMS)
        assert moment.tzinfo is UTC
        local = moment.astimezone(AMS)
        assert local.weekday() == 2
        assert local.time() == time(8, 0)
        if previous is not None:
            assert local.date() - previous.astimezone(AMS).date() == timedelta(days=7)
        offsets.add(local.utcoffset())
        previous = moment
        after = moment
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    changes = sum(
        1
        for week in range(105)
        if (datetime(2026, 1, 7, 7, tzinfo=UTC) + timedelta(weeks=week)).astimezone(AMS).hour != 8
    )
    assert changes > 40  # most weeks a fixed UTC time would have drifted: the test has teeth
    assert previous is not None and previous.astimezone(AMS).date() == date(2028, 1, 5)


def test_next_weekly_is_strictly_after() -> None:
    wednesday_8 = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam
    assert next_weekly(wednesday_8, 2, time(8, 0), AMS) == wednesday_8 + timedelta(days=7)
    just_before = wednesday_8 - timedelta(seconds=1)
    assert next_weekly(just_before, 2, time(8, 0), AMS) == wednesday_8


def test_next_weekly_later_the_same_day_and_other_weekdays() -> None:
    monday_morning = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 local, a Monday
    assert next_weekly(monday_morning, 0, time(8, 0), AMS) == datetime(
        2026, 11, 23, 7, 0, tzinfo=UTC
    )
    assert next_weekly(monday_morning, 6, time(8, 0), AMS) == datetime(
        2026, 11, 29, 7, 0, tzinfo=UTC
    )


def test_next_weekly_in_the_spring_gap_uses_the_moment_after_it() -> None:
    moment = next_weekly(datetime(2027, 3, 22, tzinfo=UTC), 6, time(2, 30), AMS)
    assert moment == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert moment.astimezone(AMS).time() == time(3, 0)
    # The week after, the meeting is at 02:30 again.
    following = next_weekly(moment, 6, time(2, 30), AMS)
    assert following.astimezone(AMS) == datetime(2027, 4, 4, 2, 30, tzinfo=AMS)


def test_next_weekly_in_the_autumn_fold_uses_the_first_occurrence() -> None:
    moment = next_weekly(datetime(2026, 10, 20, tzinfo=UTC), 6, time(2, 30), AMS)
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # Between the first and the second 02:30 it is next week's meeting, not the repeat.
    between = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    assert next_weekly(between, 6, time(2, 30), AMS) == datetime(2026, 11, 1, 1, 30, tzinfo=UTC)


def test_next_weekly_refuses_programming_errors() -> None:
    with pytest.raises(ValueError):
        next_weekly(datetime(2026, 1, 1), 2, time(8, 0), AMS)  # noqa: DTZ001
    with pytest.raises(ValueError):
        next_weekly(NOW, 7, time(8, 0), AMS)


# --- formatting ----------------------------------------------------------------------------

WINTER = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)  # Wednesday 15:00 in Amsterdam
SUMMER = datetime(2027, 5, 3, 13, 0, tzinfo=UTC)  # Monday 15:00 in Amsterdam


def test_format_datetime_local() -> None:
    assert format_datetime_local(WINTER, AMS, "nl") == "woensdag 2 december 2026, 15:00"
    assert format_datetime_local(WINTER, AMS, "en") == "Wednesday 2 December 2026, 15:00"
    assert format_datetime_local(SUMMER, AMS, "nl") == "maandag 3 mei 2027, 15:00"
    assert format_datetime_local(SUMMER, AMS, "en") == "Monday 3 May 2027, 15:00"


def test_format_uses_the_given_zone() -> None:
    late = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    assert format_datetime_local(late, AMS, "nl") == "donderdag 3 december 2026, 00:30"
    assert format_datetime_local(late, ZoneInfo("UTC"), "en") == "Wednesday 2 December 2026, 23:30"


def test_format_date_and_time_local() -> None:
    assert format_date_local(WINTER, AMS, "nl") == "woensdag 2 december 2026"
    assert format_date_local(WINTER, AMS, "en") == "Wednesday 2 December 2026"
    assert format_date_local(date(2027, 3, 1), AMS, "nl") == "maandag 1 maart 2027"
    assert format_time_local(WINTER, AMS, "nl") == "15:00"
    assert format_time_local(datetime(2026, 12, 2, 8, 5, tzinfo=UTC), AMS, "en") == "09:05"


def test_format_unknown_language_falls_back_to_dutch() -> None:
    assert format_date_local(WINTER, AMS, "de") == "woensdag 2 december 2026"
    assert format_date_local(WINTER, AMS, "en-GB") == "Wednesday 2 December 2026"


def test_format_refuses_naive_moments() -> None:
    with pytest.raises(ValueError):
        format_datetime_local(datetime(2026, 12, 2, 15, 0), AMS, "nl")  # noqa: DTZ001


@pytest.mark.parametrize(
    ("weekday", "nl", "en"),
    [
        (0, "maandag", "Monday"),
        (1, "dinsdag", "Tuesday"),
        (2, "woensdag", "Wednesday"),
        (3, "donderdag", "Thursday"),
        (4, "vrijdag", "Friday"),
        (5, "zaterdag", "Saturday"),
        (6, "zondag", "Sunday"),
    ],
)
def test_format_weekday(weekday: int, nl: str, en: str) -> None:
    assert format_weekday(weekday, "nl") == nl
    assert format_weekday(weekday, "en") == en
    assert parse_weekday(format_weekday(weekday, "nl")) == weekday
    assert parse_weekday(format_weekday(weekday, "en")) == weekday


def test_format_weekday_refuses_out_of_range() -> None:
    with pytest.raises(ValueError):
        format_weekday(7, "nl")


@pytest.mark.parametrize(
    ("minutes", "nl", "en"),
    [
        (10, "10 min", "10 min"),
        (45, "45 min", "45 min"),
        (60, "60 min", "60 min"),
        (90, "1 uur 30 min", "1 h 30 min"),
        (120, "2 uur", "2 h"),
        (480, "8 uur", "8 h"),
    ],
)
def test_format_duration(minutes: int, nl: str, en: str) -> None:
    assert format_duration(minutes, "nl") == nl
    assert format_duration(minutes, "en") == en


def test_formatted_output_reads_back() -> None:
    """What the bot shows, a facilitator can paste back."""
    shown = format_datetime_local(WINTER, AMS, "nl")
    date_text, time_text = shown.split(", ")
    assert parse_when(date_text, time_text, tz=AMS, now=NOW) == WINTER
    assert parse_duration_minutes(format_duration(90, "nl")) == 90
    assert parse_duration_minutes(format_duration(90, "en")) == 90
