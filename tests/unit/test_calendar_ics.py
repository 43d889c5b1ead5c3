"""The .ics export: parsed back with icalendar, as Outlook/Google would read it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from bot.render.calendar import DEFAULT_PRODUCT, CalendarEvent, event_uid, render_calendar

AMS = ZoneInfo("Europe/Amsterdam")
STAMP = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
NASTY = (
    "Agenda, deel 1; intro\n"
    "2. Casus: 'leerling X' \u2013 gedrag, grenzen; afspraken\n"
    "<b>Belangrijk</b> &amp; <i>niet</i> vergeten \U0001f4da\U0001f469\u200d\U0001f3eb\n"
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 (rtl)\n"
    "backslash \\ and \\n literal, tab\there\n" + "lange regel " * 40
)


INSTALL = "5eed1dea"


def meeting(
    meeting_id: int,
    start: datetime,
    *,
    sequence: int = 0,
    cancelled: bool = False,
    description: str = "",
    location: str = "",
) -> CalendarEvent:
    return CalendarEvent(
        uid=event_uid(INSTALL, 12, meeting_id),
        sequence=sequence,
        start=start,
        end=start + timedelta(hours=1, minutes=30),
        summary=f"CoP Gedrag \u2013 bijeenkomst {meeting_id}",
        description=description,
        location=location,
        cancelled=cancelled,
    )


def render(events: list[CalendarEvent], timezone: str = "Europe/Amsterdam") -> bytes:
    return render_calendar(name="CoP Gedrag", timezone=timezone, events=events, stamp=STAMP)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def by_uid(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


# Meetings at 15:00 Amsterdam time before (CEST, UTC+2) and after (CET, UTC+1)
# the DST change of 25 October 2026, given in UTC as storage would.
BEFORE_DST = datetime(2026, 10, 20, 13, 0, tzinfo=UTC)
AFTER_DST = datetime(2026, 10, 27, 14, 0, tzinfo=UTC)


def schedule() -> list[CalendarEvent]:
    return [
        meeting(1, BEFORE_DST, description=NASTY, location="Lokaal 3, gebouw B; 1e verdieping"),
        meeting(2, AFTER_DST, sequence=2),
        meeting(3, datetime(2026, 11, 3, 14, 0, tzinfo=UTC), sequence=1, cancelled=True),
    ]


def test_event_uid_is_stable_and_built_from_ids_only() -> None:
    assert event_uid(INSTALL, 12, 34) == "copbot-5eed1dea-cop12-meeting34@copbot"
    assert event_uid(INSTALL, 12, 34) == event_uid(INSTALL, 12, 34)
    assert event_uid(INSTALL, 12, 34) != event_uid(INSTALL, 12, 35)
    assert event_uid(INSTALL, 12, 34) != event_uid(INSTALL, 13, 34)
    # Another installation (another school, a reinstall) never gives the same UID.
    assert event_uid("0ther1d", 12, 34) != event_uid(INSTALL, 12, 34)


def test_event_uid_refuses_an_installation_id_that_would_break_the_uid() -> None:
    for bad in ("", "a@b", "x" * 65, "a b"):
        with pytest.raises(ValueError, match="installation"):
            event_uid(bad, 1, 1)


def test_calendar_properties() -> None:
    calendar = parse(render(schedule()))
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == DEFAULT_PRODUCT
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "CoP Gedrag"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"


def test_one_event_per_meeting_with_uid_sequence_and_status() -> None:
    events = by_uid(parse(render(schedule())))
    assert set(events) == {
        event_uid(INSTALL, 12, 1),
        event_uid(INSTALL, 12, 2),
        event_uid(INSTALL, 12, 3),
    }
    assert [int(events[event_uid(INSTALL, 12, i)]["SEQUENCE"]) for i in (1, 2, 3)] == [0, 2, 1]
    assert str(events[event_uid(INSTALL, 12, 3)]["STATUS"]) == "CANCELLED"
    assert str(events[event_uid(INSTALL, 12, 1)]["STATUS"]) == "CONFIRMED"
    assert str(events[event_uid(INSTALL, 12, 2)]["STATUS"]) == "CONFIRMED"
    assert str(events[event_uid(INSTALL, 12, 1)]["SUMMARY"]) == "CoP Gedrag \u2013 bijeenkomst 1"


def test_moved_and_cancelled_meeting_keeps_its_uid_and_bumps_sequence() -> None:
    original = meeting(7, BEFORE_DST)
    moved = replace(original, start=AFTER_DST, end=AFTER_DST + timedelta(hours=1), sequence=1)
    cancelled = replace(moved, cancelled=True, sequence=2)
    exported = [by_uid(parse(render([version]))) for version in (original, moved, cancelled)]
    assert [list(events) for events in exported] == [[event_uid(INSTALL, 12, 7)]] * 3
    assert [int(events[event_uid(INSTALL, 12, 7)]["SEQUENCE"]) for events in exported] == [0, 1, 2]
    assert str(exported[2][event_uid(INSTALL, 12, 7)]["STATUS"]) == "CANCELLED"
    assert str(parse(render([cancelled]))["METHOD"]) == "PUBLISH"


def test_times_are_local_in_the_cop_zone_on_both_sides_of_dst() -> None:
    events = by_uid(parse(render(schedule())))
    for meeting_id, utc_start in ((1, BEFORE_DST), (2, AFTER_DST)):
        event = events[event_uid(INSTALL, 12, meeting_id)]
        start = event["DTSTART"]
        assert start.params["TZID"] == "Europe/Amsterdam"
        assert event["DTEND"].params["TZID"] == "Europe/Amsterdam"
        assert start.dt.time() == time(15, 0)
        assert start.dt == utc_start  # the same instant
        assert event.end - event.start == timedelta(hours=1, minutes=30)
    before = events[event_uid(INSTALL, 12, 1)]["DTSTART"].dt
    after = events[event_uid(INSTALL, 12, 2)]["DTSTART"].dt
    assert before.utcoffset() == timedelta(hours=2)
    assert after.utcoffset() == timedelta(hours=1)


def test_raw_dtstart_lines_carry_the_tzid() -> None:
    text = render(schedule()).decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20261020T150000\r\n" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20261027T150000\r\n" in text


def test_vtimezone_present_and_matches() -> None:
    calendar = parse(render(schedule()))
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]
    assert calendar.get_missing_tzids() == set()
    # The generated rules themselves give the right offsets across the DST change.
    zone = calendar.timezones[0].to_tz()
    assert datetime(2026, 10, 20, 15, tzinfo=zone).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 10, 27, 15, tzinfo=zone).utcoffset() == timedelta(hours=1)


def test_events_given_in_another_zone_are_converted_to_the_cop_zone() -> None:
    new_york = datetime(2026, 10, 20, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    event = parse(render([meeting(1, new_york)])).walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event["DTSTART"].dt.time() == time(15, 0)


def test_other_cop_time_zone() -> None:
    calendar = parse(render([meeting(1, BEFORE_DST)], timezone="America/Curacao"))
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Curacao"
    assert [tz.tz_name for tz in calendar.timezones] == ["America/Curacao"]
    start = calendar.walk("VEVENT")[0]["DTSTART"]
    assert start.params["TZID"] == "America/Curacao"
    assert start.dt.time() == time(9, 0)


def test_free_text_round_trips_exactly() -> None:
    event = parse(render(schedule())).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == NASTY
    assert str(event["LOCATION"]) == "Lokaal 3, gebouw B; 1e verdieping"


@pytest.mark.parametrize(
    "text",
    [
        "a,b;c:d",
        "\U0001f600" * 60,
        "\u05e9\u05dc\u05d5\u05dd " * 30,
        "<b>x</b> &amp; &lt;",
        "\\" * 100,
        "\n\n",
        "\u00e9" * 200,
    ],
)
def test_summary_and_description_round_trip(text: str) -> None:
    data = render([replace(meeting(1, BEFORE_DST), summary=text, description=text)])
    event = parse(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == text
    assert str(event["DESCRIPTION"]) == text
    assert_valid_lines(data)


def test_carriage_returns_and_control_characters_are_normalised() -> None:
    text = "een\r\ntwee\rdrie\x00\x1b\x7f\tvier"
    event = parse(render([meeting(1, BEFORE_DST, description=text)])).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == "een\ntwee\ndrie\tvier"


def assert_valid_lines(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    for line in lines:
        assert len(line) <= 75, line
        assert b"\n" not in line and b"\r" not in line
        line.decode("utf-8")  # folding never splits a UTF-8 sequence


def test_every_physical_line_is_at_most_75_octets() -> None:
    data = render(schedule())
    assert_valid_lines(data)
    assert b"\r\n " in data  # the long agenda was actually folded


def test_output_is_deterministic_and_independent_of_input_order() -> None:
    first = render(schedule())
    assert render(schedule()) == first
    assert render(list(reversed(schedule()))) == first


def test_dtstamp_is_the_given_stamp_or_last_modified() -> None:
    changed = datetime(2026, 8, 15, 12, 30, tzinfo=AMS)
    data = render([meeting(1, BEFORE_DST), replace(meeting(2, AFTER_DST), last_modified=changed)])
    events = by_uid(parse(data))
    assert events[event_uid(INSTALL, 12, 1)]["DTSTAMP"].dt == STAMP
    assert "LAST-MODIFIED" not in events[event_uid(INSTALL, 12, 1)]
    assert events[event_uid(INSTALL, 12, 2)]["DTSTAMP"].dt == changed
    assert b"DTSTAMP:20260815T103000Z\r\n" in data  # DTSTAMP must be in UTC
    assert b"DTSTAMP:20260901T080000Z\r\n" in data
    assert events[event_uid(INSTALL, 12, 2)]["LAST-MODIFIED"].dt == changed


def test_empty_schedule_is_still_a_valid_calendar() -> None:
    data = render([])
    calendar = parse(data)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]
    assert_valid_lines(data)


def test_custom_product() -> None:
    data = render_calendar(
        name="x", timezone="Europe/Amsterdam", events=[], product="-//acme//x//EN", stamp=STAMP
    )
    assert str(parse(data)["PRODID"]) == "-//acme//x//EN"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": datetime(2026, 10, 20, 15, 0)}, "timezone-aware"),  # noqa: DTZ001
        ({"end": BEFORE_DST}, "after start"),
        ({"sequence": -1}, "negative"),
        ({"uid": ""}, "empty"),
        ({"last_modified": datetime(2026, 1, 1)}, "timezone-aware"),  # noqa: DTZ001
    ],
)
def test_invalid_events_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render([replace(meeting(1, BEFORE_DST), **change)])  # type: ignore[arg-type]


def test_duplicate_uids_unknown_zone_and_naive_stamp_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        render([meeting(1, BEFORE_DST), meeting(1, AFTER_DST)])
    with pytest.raises(ValueError, match="unknown time zone"):
        render([], timezone="Europe/Atlantis")
    with pytest.raises(ValueError, match="timezone-aware"):
        render_calendar(
            name="x",
            timezone="Europe/Amsterdam",
            events=[],
            stamp=datetime(2026, 1, 1),  # noqa: DTZ001
        )


def test_a_4096_character_name_with_markup_emoji_and_rtl_round_trips() -> None:
    long = ("<b>&amp; 🎉 שלום עולם " * 200)[:4096]
    event = meeting(1, BEFORE_DST, description=long, location=long)
    event = CalendarEvent(**{**event.__dict__, "summary": long})
    data = render_calendar(name=long, timezone="Europe/Amsterdam", events=[event], stamp=STAMP)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded, not one huge line
    calendar = parse(data)
    assert str(calendar["X-WR-CALNAME"]) == long
    [parsed] = calendar.walk("VEVENT")
    assert str(parsed["SUMMARY"]) == str(parsed["DESCRIPTION"]) == str(parsed["LOCATION"]) == long
