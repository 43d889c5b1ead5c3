"""Example values for hints ("for example: 9 december 15:00"), built from today.

A fixed date in a hint ("2026-12-02") goes stale within weeks and reads like a database;
teachers write "9 december" and "woensdag". Every hint that shows a date takes it from
here, in the reader's language.
"""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date

from bot.i18n import Translator
from bot.services.when import format_weekday

#: How far ahead the example dates lie: next week, and the week after.
SOON, LATER = timedelta(days=7), timedelta(days=14)


def examples(tr: Translator, today: date) -> dict[str, str]:
    """`{example_date}` ("9 december"), `{example_date_later}` ("16 december"),
    `{example_numeric}` ("9-12-2026") and `{example_weekday}` ("woensdag")."""
    soon, later = today + SOON, today + LATER
    return {
        "example_date": format_date(soon, "d MMMM", locale=tr.language),
        "example_date_later": format_date(later, "d MMMM", locale=tr.language),
        "example_numeric": f"{soon.day}-{soon.month}-{soon.year}",
        "example_weekday": format_weekday(soon.weekday(), tr.language).lower()
        if tr.language == "nl"
        else format_weekday(soon.weekday(), tr.language),
    }
