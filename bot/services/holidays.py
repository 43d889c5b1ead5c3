"""Dutch public holidays and regional school holidays, so reminders skip days off.

A CoP of teachers does not meet when school is out: a reminder that lands in the
kerstvakantie or on Koningsdag is noise, and a meeting planned in the herfstvakantie
deserves a warning. This module answers "is this day off, and why?" for one of the
three school-holiday regions that Rijksoverheid defines (regio Noord, Midden, Zuid).

Public holidays come from the `holidays` package (which knows Easter-based dates and
the Koningsdag rule). School holidays come from `bot/data/school_holidays.json`, a
copy of the official Rijksoverheid table shipped with the bot, so the answer never
depends on a network call and can be reviewed in a diff when a new school year is
added. Pure Python: no Telegram, no handlers, no storage.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

Region = Literal["north", "middle", "south"]
REGIONS: tuple[Region, ...] = get_args(Region)

Kind = Literal["public", "school"]

COUNTRY = "NL"
# The `holidays` package translates the Dutch names itself; "en_US" is its English.
_PACKAGE_LANGUAGES = {"nl": "nl", "en": "en_US"}


class HolidayDataError(ValueError):
    """The school-holiday data file is missing or malformed.

    Raised on load, so a broken file stops the bot at start-up instead of silently
    letting reminders land in a holiday.
    """


@dataclass(frozen=True)
class Holiday:
    """One day off or one holiday period, with its name in both bot languages."""

    key: str  # stable id, e.g. "kerstvakantie-2026" or "public:2026-12-25"
    name_nl: str
    name_en: str
    start: date  # first day off (inclusive)
    end: date  # last day off (inclusive)
    kind: Kind

    def name(self, language: str) -> str:
        """The name in the member's language; Dutch for "nl"/"nl-NL"/"nl_BE", else English.

        The bot speaks Dutch and English only, so anything that is not Dutch gets English.
        """
        return self.name_nl if language.lower().startswith("nl") else self.name_en

    def contains(self, day: date) -> bool:
        """Whether `day` falls within this holiday (both ends inclusive)."""
        return self.start <= day <= self.end

    def overlaps(self, start: date, end: date) -> bool:
        """Whether this holiday shares at least one day with `start`..`end` (inclusive)."""
        return self.start <= end and start <= self.end


class HolidayCalendar:
    """Loads the shipped school-holiday data once; public holidays come from the `holidays` package.

    Build one per process (the composition root) and share it: loading validates the
    whole file, and public holidays are computed once per year and cached.
    """

    def __init__(self, data_path: Path | None = None) -> None:
        """Read and validate the school-holiday data.

        `data_path` lets tests (or an operator) use another file; by default the copy
        inside the installed `bot` package is read, so it works from a wheel as well
        as from a checkout. Raises `HolidayDataError` when the file is unusable.
        """
        raw = _read(data_path)
        self._school_years, self._school = _parse(raw, str(data_path or "bot/data"))
        self.source: str = raw["source"]
        self._public: dict[int, tuple[Holiday, ...]] = {}

    def on(self, day: date, region: Region | None) -> Holiday | None:
        """The holiday that makes `day` a day off, or None on a normal school day.

        With a region, school holidays of that region count too; with None only public
        holidays do (a CoP that has not chosen its region). When a public holiday falls
        inside a school holiday (Eerste Kerstdag in the kerstvakantie) the public holiday
        is returned: it is the more specific reason and holds for every region.
        """
        for holiday in self._public_for(day.year):
            if holiday.contains(day):
                return holiday
        if region is not None:
            for holiday in self._school_for(region):
                if holiday.contains(day):
                    return holiday
        return None

    def between(self, start: date, end: date, region: Region | None) -> list[Holiday]:
        """All holidays that overlap `start`..`end` (inclusive), sorted by start, once each.

        Used to warn about a series of meetings or to skip reminders over a period;
        a school holiday that only partly overlaps the range is included whole.
        """
        if start > end:
            raise ValueError(f"start {start} is after end {end}")
        found: dict[str, Holiday] = {}
        for year in range(start.year, end.year + 1):
            for holiday in self._public_for(year):
                if holiday.overlaps(start, end):
                    found.setdefault(holiday.key, holiday)
        if region is not None:
            for holiday in self._school_for(region):
                if holiday.overlaps(start, end):
                    found.setdefault(holiday.key, holiday)
        return sorted(found.values(), key=lambda h: (h.start, h.end, h.kind, h.key))

    def covered_years(self) -> tuple[int, int]:
        """First and last school year of the data, by calendar year of their start and end.

        (2025, 2028) means 2025-2026 up to and including 2027-2028: outside that span
        school holidays are unknown and only public holidays are reported, so callers
        can say so (or a maintainer knows it is time to add a year).
        """
        return self._school_years[0][0], self._school_years[-1][1]

    def _school_for(self, region: Region) -> tuple[Holiday, ...]:
        if region not in self._school:
            raise ValueError(f"unknown region {region!r}; expected one of {REGIONS}")
        return self._school[region]

    def _public_for(self, year: int) -> tuple[Holiday, ...]:
        cached = self._public.get(year)
        if cached is None:
            cached = self._public[year] = _public_holidays(year)
        return cached


def _public_holidays(year: int) -> tuple[Holiday, ...]:
    """Dutch public holidays of `year`, named in Dutch and English.

    We follow the `holidays` package on what counts: it includes Goede Vrijdag and
    lists Bevrijdingsdag only in lustrum years (2025, 2030), when most collective
    agreements make it a day off.
    """
    names = {
        language: _country_holidays(year, package_language)
        for language, package_language in _PACKAGE_LANGUAGES.items()
    }
    return tuple(
        Holiday(
            key=f"public:{day.isoformat()}",
            name_nl=name_nl,
            name_en=names["en"].get(day, name_nl),
            start=day,
            end=day,
            kind="public",
        )
        for day, name_nl in sorted(names["nl"].items())
    )


def _read(data_path: Path | None) -> dict[str, Any]:
    try:
        if data_path is None:
            text = (resources.files("bot") / "data" / "school_holidays.json").read_text("utf-8")
        else:
            text = data_path.read_text(encoding="utf-8")
    except OSError as error:
        raise HolidayDataError(f"cannot read school-holiday data: {error}") from error
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise HolidayDataError(f"school-holiday data is not valid JSON: {error}") from error
    if not isinstance(raw, dict):
        raise HolidayDataError("school-holiday data must be a JSON object")
    _text(raw, "source", "school-holiday data")
    if "school_years" not in raw:
        raise HolidayDataError("school-holiday data lacks 'school_years'")
    return raw


def _parse(
    raw: Mapping[str, Any], where: str
) -> tuple[list[tuple[int, int]], dict[Region, tuple[Holiday, ...]]]:
    """Validate the whole document and index the holidays by region.

    Checks what a typo would break: school-year labels, every region present and no
    unknown one, dates that parse, start <= end, and no key used twice in a region.
    """
    school_years_raw = raw["school_years"]
    if not isinstance(school_years_raw, list) or not school_years_raw:
        raise HolidayDataError(f"{where}: 'school_years' must be a non-empty list")
    years: list[tuple[int, int]] = []
    per_region: dict[Region, list[Holiday]] = {region: [] for region in REGIONS}
    for school_year in school_years_raw:
        label = _text(school_year, "year", where)
        first, last = _school_year(label, where)
        years.append((first, last))
        holidays_raw = school_year.get("holidays")
        if not isinstance(holidays_raw, list):
            raise HolidayDataError(f"{where} {label}: 'holidays' must be a list")
        for entry in holidays_raw:
            for region, holiday in _school_holidays(entry, f"{where} {label}"):
                per_region[region].append(holiday)
    if len(set(years)) != len(years):
        raise HolidayDataError(f"{where}: a school year is listed twice")
    for region, entries in per_region.items():
        keys = [holiday.key for holiday in entries]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise HolidayDataError(f"{where}: {region} has {', '.join(duplicates)} twice")
    return sorted(years), {
        region: tuple(sorted(entries, key=lambda h: h.start))
        for region, entries in per_region.items()
    }


def _school_holidays(entry: Any, where: str) -> Iterable[tuple[Region, Holiday]]:
    key = _text(entry, "key", where)
    where = f"{where} {key}"
    name_nl = _text(entry, "name_nl", where)
    name_en = _text(entry, "name_en", where)
    regions = entry.get("regions")
    if not isinstance(regions, dict):
        raise HolidayDataError(f"{where}: 'regions' must be an object")
    unknown = sorted(set(regions) - set(REGIONS))
    missing = [region for region in REGIONS if region not in regions]
    if unknown or missing:
        raise HolidayDataError(f"{where}: unknown regions {unknown}, missing regions {missing}")
    for region in REGIONS:
        span = regions[region]
        if not (isinstance(span, list) and len(span) == 2):
            raise HolidayDataError(f"{where} {region}: expected [start, end], got {span!r}")
        start, end = (_date(value, f"{where} {region}") for value in span)
        if start > end:
            raise HolidayDataError(f"{where} {region}: start {start} is after end {end}")
        yield (
            region,
            Holiday(
                key=f"{key}-{start.year}",
                name_nl=name_nl,
                name_en=name_en,
                start=start,
                end=end,
                kind="school",
            ),
        )


def _text(entry: Any, name: str, where: str) -> str:
    if not isinstance(entry, dict):
        raise HolidayDataError(f"{where}: expected an object, got {entry!r}")
    value = entry.get(name)
    if not (isinstance(value, str) and value.strip()):
        raise HolidayDataError(f"{where}: {name!r} must be a non-empty string")
    return value


def _school_year(label: str, where: str) -> tuple[int, int]:
    first, _, last = label.partition("-")
    if not (first.isdigit() and last.isdigit() and int(last) == int(first) + 1):
        raise HolidayDataError(f"{where}: school year {label!r} is not like '2026-2027'")
    return int(first), int(last)


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise HolidayDataError(f"{where}: {value!r} is not an ISO date string")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise HolidayDataError(f"{where}: {value!r} is not an ISO date") from error


def _country_holidays(year: int, language: str) -> Any:
    """The `holidays` package is imported on first use: it costs ~0.1 s at start-up."""
    import holidays

    return holidays.country_holidays(COUNTRY, years=year, language=language)
