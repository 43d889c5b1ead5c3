"""The holiday calendar: public holidays for everyone, school holidays per region."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.services.holidays import REGIONS, Holiday, HolidayCalendar, HolidayDataError

DATA = Path(__file__).parents[2] / "bot" / "data" / "school_holidays.json"
SATURDAY, SUNDAY = 5, 6


@pytest.fixture(scope="module")
def calendar() -> HolidayCalendar:
    return HolidayCalendar()


def shipped() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.mark.parametrize("region", [*REGIONS, None])
def test_christmas_day_2026_is_public_everywhere(calendar: HolidayCalendar, region) -> None:
    holiday = calendar.on(date(2026, 12, 25), region)
    assert holiday is not None
    assert holiday.kind == "public"  # preferred over the kerstvakantie around it
    assert holiday.key == "public:2026-12-25"
    assert holiday.name("nl").lower() == "eerste kerstdag"
    assert holiday.name("en") == "Christmas Day"


def test_herfstvakantie_2026_differs_per_region(calendar: HolidayCalendar) -> None:
    north_week, south_week = date(2026, 10, 14), date(2026, 10, 21)  # two Wednesdays
    north = calendar.on(north_week, "north")
    assert north is not None and north.key == "herfstvakantie-2026" and north.kind == "school"
    assert (north.start, north.end) == (date(2026, 10, 10), date(2026, 10, 18))
    assert calendar.on(north_week, "south") is None
    assert calendar.on(north_week, None) is None  # no region: public holidays only

    south = calendar.on(south_week, "south")
    assert south is not None and south.key == "herfstvakantie-2026"
    assert calendar.on(south_week, "north") is None


def test_a_normal_school_wednesday_is_no_holiday(calendar: HolidayCalendar) -> None:
    wednesday = date(2026, 11, 25)
    assert wednesday.weekday() == 2
    for region in [*REGIONS, None]:
        assert calendar.on(wednesday, region) is None


def test_school_holiday_is_inclusive_at_both_ends(calendar: HolidayCalendar) -> None:
    kerst = calendar.on(date(2026, 12, 19), "middle")
    assert kerst is not None and kerst.key == "kerstvakantie-2026"
    assert calendar.on(date(2027, 1, 3), "middle") == kerst
    assert calendar.on(date(2026, 12, 18), "middle") is None
    assert calendar.on(date(2027, 1, 4), "middle") is None


def test_between_december_january_finds_christmas_holiday_once(
    calendar: HolidayCalendar,
) -> None:
    found = calendar.between(date(2026, 12, 1), date(2027, 1, 31), "north")
    keys = [holiday.key for holiday in found]
    assert keys.count("kerstvakantie-2026") == 1
    assert {"public:2026-12-25", "public:2026-12-26", "public:2027-01-01"} <= set(keys)
    assert len(keys) == len(set(keys))
    assert found == sorted(found, key=lambda holiday: holiday.start)
    assert [h.key for h in found if h.kind == "school"] == ["kerstvakantie-2026"]


def test_between_without_region_is_public_only(calendar: HolidayCalendar) -> None:
    found = calendar.between(date(2026, 12, 1), date(2027, 1, 31), None)
    assert found and all(holiday.kind == "public" for holiday in found)


def test_between_includes_a_partly_overlapping_holiday(calendar: HolidayCalendar) -> None:
    found = calendar.between(date(2027, 1, 3), date(2027, 1, 3), "south")
    assert [holiday.key for holiday in found] == ["kerstvakantie-2026"]
    with pytest.raises(ValueError):
        calendar.between(date(2027, 1, 3), date(2027, 1, 2), "south")


def test_public_holidays_follow_the_holidays_package(calendar: HolidayCalendar) -> None:
    found = calendar.between(date(2027, 1, 1), date(2027, 12, 31), None)
    names = {holiday.name_nl.lower() for holiday in found}
    assert {
        "nieuwjaarsdag",
        "eerste paasdag",
        "tweede paasdag",
        "koningsdag",
        "hemelvaartsdag",
        "eerste pinksterdag",
        "tweede pinksterdag",
        "eerste kerstdag",
        "tweede kerstdag",
    } <= names
    assert all(holiday.start == holiday.end for holiday in found)
    assert calendar.on(date(2027, 4, 27), None).name("en") == "King's Day"


def test_unknown_region_is_refused(calendar: HolidayCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.on(date(2026, 11, 25), "east")  # type: ignore[arg-type]


def test_every_shipped_school_holiday_is_saturday_to_sunday() -> None:
    doc = shipped()
    assert "rijksoverheid.nl" in doc["source"]
    assert doc["retrieved"] and doc["note"]
    for school_year in doc["school_years"]:
        keys = [holiday["key"] for holiday in school_year["holidays"]]
        assert sorted(keys) == sorted(
            ["herfstvakantie", "kerstvakantie", "voorjaarsvakantie", "meivakantie", "zomervakantie"]
        )
        first, last = (int(part) for part in school_year["year"].split("-"))
        for holiday in school_year["holidays"]:
            assert holiday["name_nl"] and holiday["name_en"]
            assert set(holiday["regions"]) == set(REGIONS)
            for region, (start_text, end_text) in holiday["regions"].items():
                start, end = date.fromisoformat(start_text), date.fromisoformat(end_text)
                where = f"{school_year['year']} {holiday['key']} {region}"
                assert start <= end, where
                assert start.weekday() == SATURDAY, where
                assert end.weekday() == SUNDAY, where
                assert first <= start.year and end.year <= last, where
                assert (end - start).days + 1 <= 6 * 7 + 2, where


def test_binding_holidays_are_the_same_in_every_region() -> None:
    for school_year in shipped()["school_years"]:
        for holiday in school_year["holidays"]:
            if holiday["key"] in ("kerstvakantie", "meivakantie"):
                assert len({tuple(span) for span in holiday["regions"].values()}) == 1


def test_loaded_holidays_have_both_names(calendar: HolidayCalendar) -> None:
    found = calendar.between(date(2025, 8, 1), date(2028, 9, 30), "south")
    school = [holiday for holiday in found if holiday.kind == "school"]
    assert len(school) == 3 * 5
    for holiday in found:
        assert holiday.name("nl") == holiday.name_nl and holiday.name_nl
        assert holiday.name("nl-NL") == holiday.name_nl
        assert holiday.name("en") == holiday.name_en and holiday.name_en
    assert calendar.on(date(2026, 7, 15), "south").name("en") == "Summer holiday"
    assert calendar.on(date(2026, 7, 15), "south").name("nl") == "Zomervakantie"


def test_covered_years(calendar: HolidayCalendar) -> None:
    assert calendar.covered_years() == (2025, 2028)


def test_holiday_is_a_frozen_value() -> None:
    day = date(2026, 12, 25)
    holiday = Holiday("public:2026-12-25", "Eerste kerstdag", "Christmas Day", day, day, "public")
    with pytest.raises(AttributeError):
        holiday.name_en = "Xmas"  # type: ignore[misc]
    assert holiday.contains(day) and not holiday.contains(day + timedelta(days=1))


def test_explicit_data_path_is_used(tmp_path: Path) -> None:
    doc = shipped()
    doc["school_years"] = doc["school_years"][-1:]
    path = tmp_path / "school_holidays.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert HolidayCalendar(path).covered_years() == (2027, 2028)


def _broken(tmp_path: Path, mutate) -> Path:
    doc = shipped()
    mutate(doc)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _first_regions(doc: dict) -> dict:
    return doc["school_years"][0]["holidays"][0]["regions"]


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(
            lambda doc: _first_regions(doc).update(north=["2025-10-32", "2025-10-26"]),
            id="bad-date",
        ),
        pytest.param(
            lambda doc: _first_regions(doc).update(north=["2025-10-26", "2025-10-18"]),
            id="start-after-end",
        ),
        pytest.param(lambda doc: _first_regions(doc).pop("south"), id="missing-region"),
        pytest.param(
            lambda doc: _first_regions(doc).update(east=["2025-10-18", "2025-10-26"]),
            id="unknown-region",
        ),
        pytest.param(lambda doc: _first_regions(doc).update(north=["2025-10-18"]), id="half-range"),
        pytest.param(lambda doc: doc["school_years"][0].update(year="2025"), id="bad-year"),
        pytest.param(
            lambda doc: doc["school_years"][0]["holidays"][0].pop("name_en"), id="no-english-name"
        ),
        pytest.param(lambda doc: doc.pop("school_years"), id="no-school-years"),
        pytest.param(
            lambda doc: doc["school_years"].append(doc["school_years"][0]), id="duplicate-year"
        ),
    ],
)
def test_broken_data_file_raises(tmp_path: Path, mutate) -> None:
    with pytest.raises(HolidayDataError):
        HolidayCalendar(_broken(tmp_path, mutate))


def test_unreadable_or_invalid_json_raises(tmp_path: Path) -> None:
    with pytest.raises(HolidayDataError):
        HolidayCalendar(tmp_path / "missing.json")
    path = tmp_path / "garbage.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(HolidayDataError):
        HolidayCalendar(path)
